import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import { article, writeArticles } from '../helpers/articles.js';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init });

const SECTIONS = ['', 'china/', 'china/world/', 'us/', 'us/west/', 'europe/', 'africa/', 'asia/', 'asia/south/', 'podcast/', '%E4%B8%AD%E6%96%87/'];
const FEEDS: Array<[string, string]> = [
  ['rss.xml', 'application/rss+xml; charset=utf-8'],
  ['atom.xml', 'application/atom+xml; charset=utf-8'],
  ['feed.json', 'application/feed+json; charset=utf-8'],
];

describe('routes of the bundled site over HTTP', () => {
  it.each(SECTIONS.flatMap((s) => FEEDS.map(([file, type]) => [`/${s}${file}`, type])))('%s answers 200 as %s', async (path, type) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect((await response.text()).length).toBeGreaterThan(100);
  });

  it('serves the index, OPML, section and article pages with their types', async () => {
    for (const [path, type] of [
      ['/', 'text/html; charset=utf-8'],
      ['/opml.xml', 'text/x-opml; charset=utf-8'],
      ['/china/world/', 'text/html; charset=utf-8'],
      ['/china/world/huawei-ceo-proposes-negotiations-with-washington/', 'text/html; charset=utf-8'],
      ['/%E4%B8%AD%E6%96%87/%E9%AB%98%E9%93%81%E6%96%B0%E7%BA%BF%E5%BC%80%E9%80%9A/', 'text/html; charset=utf-8'],
    ] as const) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
    }
  });

  it('shows the seed article in the China / World Atom feed at its Beijing time', async () => {
    const body = await (await get('/china/world/atom.xml')).text();
    expect(body).toContain('<title type="text">Huawei CEO proposes negotiations with Washington</title>');
    expect(body).toContain('<updated>2019-09-12T07:47:00+08:00</updated>');
  });

  it('has autodiscovery links on the index page', async () => {
    const html = await (await get('/')).text();
    expect(html).toContain('<link rel="alternate" type="application/rss+xml" title="World Desk (RSS)" href="/rss.xml">');
    expect(html).toContain('href="/china/world/atom.xml"');
    expect(html).toContain('type="application/feed+json"');
  });

  it('answers unknown paths 404 and other methods 405 with Allow, each with a reason', async () => {
    const missing = await get('/no/such/feed.json');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/^404 Not Found: /);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await get('/rss.xml', { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('redirects an article or section path without its trailing slash', async () => {
    const response = await get('/china/world');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/china/world/');
  });
});

describe('a folder with a broken article', () => {
  it('is still served, every valid article included, and the problem logged as path:line: message', async () => {
    const dir = await writeArticles({
      'news/good.md': article('title: Good one\ndate: 2020-01-01 10:00'),
      'news/broken.md': article('title: Broken\ndate: 2020-13-01 10:00'),
    });
    const broken = await startServer(dir, 'https://feeds.example.com');
    try {
      const feed = await (await fetch(`${broken.url}/news/rss.xml`)).text();
      expect(feed).toContain('<title>Good one</title>');
      expect(feed).not.toContain('Broken');
      expect(broken.logs.some((l) => l.startsWith('articles/news/broken.md:3: "date": month 13 does not exist'))).toBe(true);
    } finally {
      await broken.close();
    }
  });
});
