import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article, writeArticles } from '../helpers/articles.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { startServer } from '../helpers/server.js';

let server: Awaited<ReturnType<typeof startServer>>;
let articlesDir: string;
let hub: TestHub;
/** "Now" of the server: the publish ledger stamps every first rendering with it. */
const NOW = Date.parse('2026-01-01T00:00:00Z');

beforeAll(async () => {
  hub = await startHub();
  const files: Record<string, string> = {
    '_index.md': `---\ntitle: Archived\nbase_url: https://feeds.example.com\ntimezone: UTC\nfeed_limit: 2\narchive_size: 2\ncache_max_age: 600\nhub: ${hub.url}\n---\n`,
  };
  for (let i = 1; i <= 5; i++) {
    files[`news/item-${i}.md`] = article(`title: Item ${i}\ndate: 2020-01-0${i} 10:00`, `Paragraph ${i}. `.repeat(200));
  }
  articlesDir = await writeArticles(files);
  server = await startServer(articlesDir, 'https://feeds.example.com', { now: () => NOW });
});
afterAll(async () => {
  await server.close();
  await hub.close();
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${server.url}${path}`, { headers, method, redirect: 'manual' });

describe('validators and conditional GET', () => {
  it('sends a strong ETag, Last-Modified of the first publication of these bytes, and Cache-Control from cache_max_age', async () => {
    const response = await get('/news/rss.xml', { 'accept-encoding': 'identity' });
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    expect(response.headers.get('last-modified')).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    expect(response.headers.get('cache-control')).toBe('public, max-age=600');
    expect(await response.text()).toContain('<ttl>10</ttl>');
  });

  it('answers 304 with an empty body to If-None-Match and to If-Modified-Since, keeping validators and Cache-Control', async () => {
    const first = await get('/news/atom.xml');
    const etag = first.headers.get('etag') as string;
    const lastModified = first.headers.get('last-modified') as string;
    const variants: Array<Record<string, string>> = [{ 'if-none-match': etag }, { 'if-modified-since': lastModified }, { 'if-none-match': `"x", W/${etag}` }];
    for (const headers of variants) {
      const response = await get('/news/atom.xml', headers);
      expect(response.status).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe(etag);
      expect(response.headers.get('last-modified')).toBe(lastModified);
      expect(response.headers.get('cache-control')).toBe('public, max-age=600');
    }
    const stale = await get('/news/atom.xml', { 'if-none-match': '"old"', 'if-modified-since': lastModified });
    expect(stale.status).toBe(200);
  });

  it('ETags are stable across restarts of the server', async () => {
    const before = (await get('/news/feed.json')).headers.get('etag');
    const again = await startServer(articlesDir, 'https://feeds.example.com', { now: () => NOW });
    try {
      expect((await fetch(`${again.url}/news/feed.json`)).headers.get('etag')).toBe(before);
    } finally {
      await again.close();
    }
  });

  it('HEAD answers as GET without a body', async () => {
    const get200 = await get('/news/rss.xml');
    const head = await get('/news/rss.xml', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const name of ['content-type', 'etag', 'last-modified', 'cache-control', 'content-length', 'link']) {
      expect(head.headers.get(name), name).toBe(get200.headers.get(name));
    }
  });

  it('renders each representation once: repeated and conditional requests render nothing', async () => {
    await get('/news/archive/2/rss.xml');
    const renders = (await server.store()).renders;
    for (let i = 0; i < 5; i++) await get('/news/archive/2/rss.xml', i % 2 ? { 'if-none-match': '"x"' } : {});
    expect((await server.store()).renders).toBe(renders);
  });
});

describe('compression', () => {
  it('negotiates brotli and gzip with Vary: Accept-Encoding, and the bodies decode to the same bytes', async () => {
    const plain = Buffer.from(await (await get('/news/rss.xml', { 'accept-encoding': 'identity' })).arrayBuffer());
    const raw = async (encoding: string) => {
      const { request } = await import('node:http');
      return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        request(`${server.url}/news/rss.xml`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject).end();
      });
    };
    const br = await raw('gzip, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
    expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);
    const gz = await raw('gzip;q=1, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain)).toBe(true);
    expect(gz.headers.etag).not.toBe(br.headers.etag);
    // Any variant's ETag validates: the content is the same.
    const conditional = await get('/news/rss.xml', { 'if-none-match': String(gz.headers.etag) });
    expect(conditional.status).toBe(304);
  });
});

describe('archives (RFC 5005)', () => {
  it('chain the subscription document to the newest archive and each archive to its neighbours', async () => {
    // Five items in archives of two: archives 1 and 2 are full; item 5 waits in the subscription document.
    const rss = await (await get('/news/rss.xml')).text();
    expect(rss).toContain('<atom:link href="https://feeds.example.com/news/archive/2/rss.xml" rel="prev-archive" type="application/rss+xml"/>');
    expect(rss).not.toContain('fh:archive');
    expect(rss).toContain('<title>Item 5</title>');
    const newest = await (await get('/news/archive/2/rss.xml')).text();
    expect(newest).toContain('<atom:link href="https://feeds.example.com/news/rss.xml" rel="current" type="application/rss+xml"/>');
    expect(newest).toContain('<atom:link href="https://feeds.example.com/news/archive/1/rss.xml" rel="prev-archive" type="application/rss+xml"/>');
    expect(newest).not.toContain('rel="next-archive"');
    expect(newest).toContain('<fh:archive/>');
    const oldest = await (await get('/news/archive/1/atom.xml')).text();
    expect(oldest).toContain('<id>https://feeds.example.com/news/atom.xml</id>');
    expect(oldest).not.toContain('rel="prev-archive"');
    expect(oldest).toContain('<link rel="next-archive" type="application/atom+xml" href="https://feeds.example.com/news/archive/2/atom.xml"/>');
    const json = (await (await get('/feed.json')).json()) as { next_url?: string; items: unknown[] };
    expect(json.next_url).toBe('https://feeds.example.com/archive/2/feed.json');
    expect(json.items).toHaveLength(2);
    const last = (await (await get('/archive/1/feed.json')).json()) as { next_url?: string; items: Array<{ title: string }> };
    expect(last.next_url).toBeUndefined();
    expect(last.items.map((i) => i.title)).toEqual(['Item 2', 'Item 1']);
    // An archive exists only once full.
    expect((await get('/news/archive/3/atom.xml')).status).toBe(404);
  });
  it('give archives, all of them full, a day of max-age, and the subscription document the usual one', async () => {
    expect((await get('/news/archive/2/atom.xml')).headers.get('cache-control')).toBe('public, max-age=86400');
    expect((await get('/news/atom.xml')).headers.get('cache-control')).toBe('public, max-age=600');
  });

  it('404 archive numbers that are not whole numbers or do not exist', async () => {
    for (const path of ['/news/archive/4/rss.xml', '/news/archive/0/rss.xml', '/news/archive/02/rss.xml', '/news/archive/2.5/rss.xml', '/news/archive/-1/rss.xml', '/news/archive/x/rss.xml', '/news/archive/99999999999/rss.xml', '/news/page/2/rss.xml']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toMatch(/^404 Not Found: .+/);
    }
  });
});

describe('WebSub', () => {
  it('advertises the hub in every format and in Link headers', async () => {
    const rss = await get('/news/rss.xml');
    expect(rss.headers.get('link')).toBe(`<${hub.url}>; rel="hub", <https://feeds.example.com/news/rss.xml>; rel="self"`);
    expect(await rss.text()).toContain(`<atom:link href="${hub.url}" rel="hub"/>`);
    expect(await (await get('/news/atom.xml')).text()).toContain(`<link rel="hub" href="${hub.url}"/>`);
    const json = (await (await get('/news/feed.json')).json()) as { hubs: unknown };
    expect(json.hubs).toEqual([{ type: 'WebSub', url: hub.url }]);
  });

  it('tells the hub of every subscription feed when they first appear, and of none when a restart finds them unchanged', async () => {
    const topics = ['', 'news/'].flatMap((scope) => ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `https://feeds.example.com/${scope}${file}`));
    await server.close();
    // Each feed at least once (the restart test above ran a second server on the same folder, which
    // may have published before the first one's ledger was saved).
    expect([...new Set(hub.pings)].sort()).toEqual([...topics].sort());
    const pinged = hub.pings.length;
    server = await startServer(articlesDir, 'https://feeds.example.com', { now: () => NOW + 60_000 });
    await server.close();
    expect(hub.pings).toHaveLength(pinged);
    server = await startServer(articlesDir, 'https://feeds.example.com', { now: () => NOW });
  });
});

describe('a 304', () => {
  it('compresses nothing: only a 200 needs the compressed body, made once for every later 200', async () => {
    const { createApp } = await import('../../src/http/app.js');
    const { RepresentationStore } = await import('../../src/publish/store.js');
    const { SiteSnapshot } = await import('../../src/site/snapshot.js');
    const { loadSite } = await import('../../src/content/load.js');
    const { data } = await loadSite(articlesDir);
    const store = new RepresentationStore(new SiteSnapshot(data as NonNullable<typeof data>));
    let compressions = 0;
    const app = createApp({ site: () => store, compress: (body) => (compressions++, body) });
    const request = (headers: Record<string, string>) => app.fetch(new Request('https://feeds.example.com/news/rss.xml', { headers: { 'accept-encoding': 'gzip', ...headers } }));
    const etag = (await request({ 'accept-encoding': 'identity' })).headers.get('etag') ?? '';
    const notModified = await request({ 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(`${etag.slice(0, -1)}-gzip"`);
    expect(compressions).toBe(0);
    await (await request({})).arrayBuffer();
    await (await request({})).arrayBuffer();
    expect(compressions).toBe(1);
  });
});
