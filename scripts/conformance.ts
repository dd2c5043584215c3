/**
 * Polling conformance, from the outside: discovers every feed of a running site from the
 * autodiscovery links of its index page and of every page its OPML lists name (the OPML lists the
 * index links to: the main one, tags, authors), and checks what an aggregator relies on: content
 * types, strong ETag, Last-Modified, 304 with an empty body on both validators, HEAD, and 404 for
 * unknown feeds.
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

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, '&');

/** Feed autodiscovery links (`<link rel="alternate">` of a feed type; language versions are not feeds). */
function discoverFeeds(html: string): Array<{ href: string; type: string }> {
  const links = html.match(/<link rel="alternate"[^>]*>/g) ?? [];
  return links.map((tag) => ({ href: attribute(tag, 'href') ?? '', type: attribute(tag, 'type') ?? '' })).filter((link) => link.type in CONTENT_TYPES);
}

/** The pages an OPML list names (its outlines' htmlUrl), moved to `origin`: the list names them by base_url. */
function opmlPages(xml: string, origin: string): string[] {
  return (xml.match(/<outline [^>]*>/g) ?? []).flatMap((tag) => {
    const page = attribute(tag, 'htmlUrl');
    if (!page) return [];
    const url = new URL(page);
    return [`${origin}${url.pathname}${url.search}`];
  });
}

export async function runConformance(origin: string): Promise<ConformanceReport> {
  const failures: string[] = [];
  const fail = (url: string, message: string) => failures.push(`${url}: ${message}`);
  const index = await fetch(`${origin}/`);
  if (index.status !== 200) fail('/', `index answered ${index.status}`);
  const indexHtml = await index.text();
  const found = discoverFeeds(indexHtml).map((feed) => ({ ...feed, url: new URL(feed.href, `${origin}/`).href }));
  if (found.length === 0) fail('/', 'no autodiscovery links');
  // Every page an OPML list of the index names, and the feeds its autodiscovery links name.
  const opmlLinks = [...indexHtml.matchAll(/<a href="([^"]*)" type="text\/x-opml"/g)].map((m) => new URL((m[1] as string).replace(/&amp;/g, '&'), `${origin}/`).href);
  const pages = new Set<string>();
  for (const opml of opmlLinks) {
    const response = await fetch(opml);
    if (response.status !== 200) fail(opml, `OPML answered ${response.status}`);
    for (const page of opmlPages(await response.text(), origin)) pages.add(page);
  }
  for (const page of pages) {
    const response = await fetch(page);
    if (response.status !== 200) fail(page, `page answered ${response.status}`);
    const discovered = discoverFeeds(await response.text());
    if (discovered.length === 0) fail(page, 'no autodiscovery links');
    for (const feed of discovered) found.push({ ...feed, url: new URL(feed.href, page).href });
  }
  const feeds = [...new Map(found.map((feed) => [feed.url, feed])).values()];

  for (const { url, type } of feeds) {
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
  return { feeds: feeds.map((f) => f.url), failures };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const origin = (process.argv[2] ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
  const report = await runConformance(origin);
  for (const failure of report.failures) console.log(`FAIL ${failure}`);
  console.log(`${report.feeds.length} feeds checked at ${origin}: ${report.failures.length} failures`);
  process.exitCode = report.failures.length === 0 ? 0 : 1;
}
