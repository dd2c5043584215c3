/**
 * The header policy: every header a client sees, decided in one place for the Node server, the
 * Worker and the static build's `_headers`. Nothing an article says can become active content (no
 * MIME sniffing, a Content-Security-Policy that allows no script, frames only from the site's embed
 * hosts); feeds are readable by web-based readers on other origins; WebSub feeds name their hub and
 * themselves; a person's browser opening a feed gets the same bytes under a type it renders.
 * Headers are plain records: mutating a response's headers afterwards would cost the Node adapter
 * its fast path.
 */
import { FEED_FORMATS, FORMATS } from '../feeds/formats.js';
import { SERVED_MEDIA_TYPES } from '../feeds/media-types.js';
import { OPML_MEDIA_TYPE } from '../feeds/opml.js';
import { ROBOTS_MEDIA_TYPE } from '../feeds/robots.js';
import { SITEMAP_MEDIA_TYPE } from '../feeds/sitemap.js';
import type { ResponseFacts } from '../publish/store.js';

/**
 * No script, no plugins, no forms; the stylesheets of the site itself; images and media from
 * anywhere (articles link them); frames only over https from `embedHosts` and their subdomains.
 */
export function contentSecurityPolicy(embedHosts: readonly string[]): string {
  const frames = embedHosts.flatMap((host) => [`https://${host}`, `https://*.${host}`]);
  return (
    "default-src 'none'; style-src 'self'; img-src * data:; media-src *; " +
    `${frames.length > 0 ? `frame-src ${frames.join(' ')}; ` : ''}base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
  );
}

function securityHeaders(embedHosts: readonly string[]): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'content-security-policy': contentSecurityPolicy(embedHosts),
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}

/** Errors and redirects show nothing an article wrote: they allow no frames. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = securityHeaders([]);

const CROSS_ORIGIN_TYPES: ReadonlySet<string> = new Set([...FEED_FORMATS.map((format) => FORMATS[format].mediaType), OPML_MEDIA_TYPE, SITEMAP_MEDIA_TYPE, ROBOTS_MEDIA_TYPE, ...SERVED_MEDIA_TYPES]);

/**
 * Feeds, the OPML list, media files, robots.txt and the sitemaps are public and read by web-based
 * readers and tools on other origins (web podcast players fetch transcripts and chapters).
 */
export function isCrossOriginReadable(contentType: string): boolean {
  return CROSS_ORIGIN_TYPES.has(mediaTypeOf(contentType));
}


/**
 * A person's browser opening the URL: a top-level navigation. Browsers send both headers on every
 * navigation (Chromium 76+, Firefox 90+, Safari 16.4+) and nothing else can: fetch() may not set
 * them, and feed readers, validators and crawlers send neither, whatever `Accept` or `User-Agent`
 * they imitate. A reader that copied them anyway gets the same bytes under a generic type.
 */
export function isBrowserNavigation(headers: Headers): boolean {
  return headers.get('sec-fetch-dest') === 'document' && headers.get('sec-fetch-mode') === 'navigate';
}

const BROWSER_MEDIA_TYPES: ReadonlyMap<string, string> = new Map(FEED_FORMATS.map((format) => [FORMATS[format].mediaType, FORMATS[format].browserMediaType]));

/** The headers `isBrowserNavigation` reads: every response that depends on them says so. */
const BROWSER_VARY = 'Sec-Fetch-Dest, Sec-Fetch-Mode';

function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]?.trim() ?? '';
}

/**
 * What a browser navigation gets instead of a feed's registered type: the same bytes as the
 * generic type of their syntax, which the browser renders (RSS and Atom styled by their
 * `xml-stylesheet`). `private`: shared caches that ignore `Vary` never hand it to a reader.
 * Undefined for everything else.
 */
export function browserViewHeaders(contentType: string, cacheControl: string): { 'content-type': string; 'cache-control': string } | undefined {
  const browserType = BROWSER_MEDIA_TYPES.get(mediaTypeOf(contentType));
  if (browserType === undefined) return undefined;
  return { 'content-type': contentType.replace(/^[^;]*/, browserType), 'cache-control': cacheControl.replace(/^public\b/, 'private') };
}

/**
 * The headers of a 200 response, less `etag`, `last-modified`, `content-length` and
 * `content-encoding`. Every representation may be sent compressed (by the Node server, by
 * Cloudflare's edge or a static host), hence `Vary` on all; feeds also have a browser view.
 */
export function representationHeaders(representation: ResponseFacts): Record<string, string> {
  const viewable = BROWSER_MEDIA_TYPES.has(mediaTypeOf(representation.contentType));
  const headers: Record<string, string> = {
    ...securityHeaders(representation.embedHosts),
    'content-type': representation.contentType,
    'cache-control': `public, max-age=${representation.maxAge}`,
    vary: viewable ? `Accept-Encoding, ${BROWSER_VARY}` : 'Accept-Encoding',
  };
  if (isCrossOriginReadable(representation.contentType)) headers['access-control-allow-origin'] = '*';
  if (representation.hub) {
    headers.link = representation.self ? `<${representation.hub}>; rel="hub", <${representation.self}>; rel="self"` : `<${representation.hub}>; rel="hub"`;
  }
  return headers;
}

/**
 * The longest max-age that does not run past `nextChange` (a scheduled publication or expiry):
 * whole seconds, rounded down. Undefined when nothing is scheduled.
 */
export function maxAgeUntil(nextChange: number | undefined, now: number): number | undefined {
  return nextChange === undefined ? undefined : Math.max(0, Math.floor((nextChange - now) / 1000));
}

/**
 * The bound on a response's max-age: the site's next change, and the representation's own `until`
 * (ResponseFacts) while that lies ahead (a deployment that did not render the version it announces
 * serves on, uncapped). Undefined when neither bounds it.
 */
export function maxAgeCap(nextChange: number | undefined, until: number | undefined, now: number): number | undefined {
  return maxAgeUntil(until !== undefined && until > now ? Math.min(until, nextChange ?? Infinity) : nextChange, now);
}

/** `cache-control` with its max-age lowered to `seconds`, if that is lower. */
export function capMaxAge(cacheControl: string, seconds: number): string {
  return cacheControl.replace(/max-age=(\d+)/, (whole, current: string) => (Number(current) > seconds ? `max-age=${seconds}` : whole));
}

/**
 * A 304 repeats what a cache needs to refresh its stored response (RFC 9110 15.4.5), no more:
 * aggregators poll far more 304s than 200s.
 */
const NOT_MODIFIED_HEADERS = ['etag', 'cache-control', 'last-modified', 'vary', 'access-control-allow-origin'];

export function notModifiedHeaders(okHeader: (name: string) => string | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of NOT_MODIFIED_HEADERS) {
    const value = okHeader(name);
    if (value) headers[name] = value;
  }
  return headers;
}

export type ErrorStatus = 400 | 404 | 405 | 412 | 414 | 416 | 500;

const STATUS_TEXT: Record<ErrorStatus, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  414: 'URI Too Long',
  416: 'Range Not Satisfiable',
  500: 'Internal Server Error',
};

/** A short plain-text answer that says why. */
export function errorResponse(status: ErrorStatus, reason: string, extra: Record<string, string> = {}): Response {
  return new Response(`${status} ${STATUS_TEXT[status]}: ${reason}\n`, {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra },
  });
}

export function redirectResponse(location: string): Response {
  return new Response(null, {
    status: 301,
    // Stated, since workerd states it for an empty body and Node would not.
    headers: { ...SECURITY_HEADERS, location, 'cache-control': 'public, max-age=3600', 'content-length': '0' },
  });
}

export const MAX_URL_LENGTH = 2048;

/** What no resource is served for, whatever the path: answered before routing, in every runtime. */
export function refuseRequest(request: Request): Response | undefined {
  // Hono answers HEAD through the GET route; everything else has nothing to act on.
  if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse(405, 'only GET and HEAD are served', { allow: 'GET, HEAD' });
  if (request.url.length > MAX_URL_LENGTH) return errorResponse(414, `URLs longer than ${MAX_URL_LENGTH} characters are not served`);
  return undefined;
}
