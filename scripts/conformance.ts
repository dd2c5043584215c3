/**
 * Polling conformance, from the outside: discovers every feed of a running site from its index
 * page's autodiscovery links and checks what an aggregator relies on: content types, strong ETag,
 * Last-Modified, 304 with an empty body on both validators, HEAD, and 404 for unknown feeds.
 *
 *   npx tsx scripts/conformance.ts http://127.0.0.1:8787
 */

const CONTENT_TYPES: Record<string, string> = {
  'application/rss+xml': 'application/rss+xml; charset=utf-8',
  'application/atom+xml': 'application/atom+xml; charset=utf-8',
  'application/feed+json': 'application/feed+json; charset=utf-8',
};

export interface ConformanceReport {
  feeds: string[];
  failures: string[];
}

function discoverFeeds(html: string): Array<{ href: string; type: string }> {
  const links = html.match(/<link rel="alternate"[^>]*>/g) ?? [];
  return links.map((tag) => ({
    href: /href="([^"]*)"/.exec(tag)?.[1]?.replace(/&amp;/g, '&') ?? '',
    type: /type="([^"]*)"/.exec(tag)?.[1] ?? '',
  }));
}

export async function runConformance(origin: string): Promise<ConformanceReport> {
  const failures: string[] = [];
  const fail = (url: string, message: string) => failures.push(`${url}: ${message}`);
  const index = await fetch(`${origin}/`);
  if (index.status !== 200) fail('/', `index answered ${index.status}`);
  const feeds = discoverFeeds(await index.text());
  if (feeds.length === 0) fail('/', 'no autodiscovery links');

  for (const { href, type } of feeds) {
    const url = new URL(href, `${origin}/`).href;
    const response = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    const body = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) {
      fail(url, `status ${response.status}`);
      continue;
    }
    if (response.headers.get('content-type') !== CONTENT_TYPES[type]) {
      fail(url, `content-type ${response.headers.get('content-type')} for a ${type} link`);
    }
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (!etag || !/^"[^"]+"$/.test(etag)) fail(url, `no strong ETag (${etag})`);
    if (!lastModified || Number.isNaN(Date.parse(lastModified)) || !/ GMT$/.test(lastModified)) fail(url, `bad Last-Modified (${lastModified})`);
    if (!/max-age=\d+/.test(response.headers.get('cache-control') ?? '')) fail(url, 'no Cache-Control max-age');
    if (Number(response.headers.get('content-length')) !== body.byteLength) fail(url, 'Content-Length does not match the body');

    for (const [name, value] of [['if-none-match', etag], ['if-modified-since', lastModified]] as const) {
      if (!value) continue;
      const conditional = await fetch(url, { headers: { [name]: value, 'accept-encoding': 'identity' } });
      const conditionalBody = await conditional.arrayBuffer();
      if (conditional.status !== 304) fail(url, `${name} answered ${conditional.status}, not 304`);
      if (conditionalBody.byteLength !== 0) fail(url, `304 to ${name} has a body`);
      if (conditional.headers.get('etag') !== etag) fail(url, `304 to ${name} lost the ETag`);
    }

    const head = await fetch(url, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
    if (head.status !== 200 || (await head.arrayBuffer()).byteLength !== 0) fail(url, `HEAD answered ${head.status} with a body`);
    for (const name of ['content-type', 'etag', 'last-modified', 'content-length']) {
      if (head.headers.get(name) !== response.headers.get(name)) fail(url, `HEAD ${name} differs from GET`);
    }
  }

  for (const path of ['/no-such-section/rss.xml', '/no-such-section/atom.xml', '/archive/999999/feed.json']) {
    const missing = await fetch(`${origin}${path}`);
    if (missing.status !== 404) fail(path, `unknown feed answered ${missing.status}`);
    await missing.arrayBuffer();
  }
  return { feeds: feeds.map((f) => f.href), failures };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const origin = (process.argv[2] ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
  const report = await runConformance(origin);
  for (const failure of report.failures) console.log(`FAIL ${failure}`);
  console.log(`${report.feeds.length} feeds checked at ${origin}: ${report.failures.length} failures`);
  process.exitCode = report.failures.length === 0 ? 0 : 1;
}
