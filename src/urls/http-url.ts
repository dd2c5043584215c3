/** Absolute http(s) URLs as feeds and HTTP headers may carry them. */

/**
 * The URL, normalized, if it is an absolute http(s) URL. Browsers' URL parsing leaves some
 * characters RFC 3986 forbids (`|`, `^`, `[`, a `%` that starts no escape, ...) as they were;
 * they are percent-encoded too, so that strict readers and validators accept the URL as a URI.
 */
export function httpUrl(value: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const userinfo = url.username || url.password ? `${strictUri(url.username)}${url.password ? `:${strictUri(url.password)}` : ''}@` : '';
  // The first "#" and "?" of the serialized URL delimit fragment and query (a present but empty
  // one included, which `url.hash` and `url.search` do not show).
  const hashAt = url.href.indexOf('#');
  const beforeHash = hashAt === -1 ? url.href : url.href.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const query = queryAt === -1 ? '' : `?${strictUri(beforeHash.slice(queryAt + 1))}`;
  const fragment = hashAt === -1 ? '' : `#${strictUri(url.href.slice(hashAt + 1))}`;
  return `${url.protocol}//${userinfo}${url.host}${strictUri(url.pathname)}${query}${fragment}`;
}

/** Characters a URI path, query or fragment may hold as they are (RFC 3986 pchar, "/" and "?"). */
const NOT_URI_CHARACTER = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/g;

function strictUri(part: string): string {
  return part.replace(NOT_URI_CHARACTER, (c) => (c === '%' ? '%25' : encodeURIComponent(c)));
}

/** `https://Example.com/news/` -> `https://example.com/news`; undefined unless absolute http(s). */
export function normalizeBaseUrl(value: string): string | undefined {
  const url = httpUrl(value);
  if (!url) return undefined;
  const parsed = new URL(url);
  if (parsed.search || parsed.hash || parsed.username || parsed.password) return undefined;
  return parsed.href.replace(/\/+$/, '');
}
