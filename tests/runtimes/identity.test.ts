/**
 * The three runtimes over one core: every URL of a site fetched from the Worker (real workerd,
 * through Miniflare, bundled exactly as `wrangler deploy` bundles it, serving the static assets
 * `feedgen worker-data` writes), from the Node server over HTTP, and read from the static build
 * through its `_headers` and `_redirects`. Statuses, bodies and every header a client sees must be
 * identical; the static host computes only its own validators. Three sites: the bundled one, the
 * same articles under a base URL with a path and a WebSub hub, and the same articles on a site
 * without article pages.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { articlePath } from '../../src/urls/paths.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { exchange, expectIdenticalEverywhere, runtimesFor, type Runtimes } from '../helpers/runtimes.js';
import { getRawPath, sendRequest } from '../helpers/raw-http.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';

const ORIGIN = 'http://127.0.0.1:8787';
/** Headers of the connection, not of the response. */
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** Requests beyond the site's own URLs: errors, redirects, conditional and other methods. */
function edgeCases(basePath: string): Array<[string, RequestInit?]> {
  const b = basePath;
  return [
    [`${b}/no-such-section/`],
    [`${b}/china`],
    [`${b}/page/2/rss.xml`],
    [`${b}/archive/x/atom.xml`],
    [`${b}/archive/99/feed.json`],
    [`${b}/china/world/archive/1/feed.json`],
    [`${b}/media/podcast/no-such.mp3`],
    [`${b}/%ZZ/rss.xml`],
    [`${b}/china/%2F/rss.xml`],
    [`${b}/rss.xml?${'q=1&'.repeat(600)}`],
    [`${b}/atom.xml?utm_source=reader`],
    // What the Worker's assets hold besides the representations, and the files behind them, by name.
    [`${b}/_feedgen/site.json`],
    [`${b}/china/world/index.html`],
    [`${b}/china/world/huawei-ceo-proposes-negotiations-with-washington.md`],
    [`${b}/china/world/huawei-ceo-proposes-negotiations-with-washington/`],
    [`${b}/rss.xml`, { method: 'HEAD' }],
    [`${b}/rss.xml`, { method: 'POST' }],
    [`${b}/rss.xml`, { headers: { 'if-modified-since': 'Wed, 01 Jan 2031 00:00:00 GMT' } }],
    [`${b}/rss.xml`, { headers: { 'if-none-match': '"stale"' } }],
    [`${b}/rss.xml`, { headers: { 'if-match': '"stale"' } }],
    // Byte ranges of a media file (tests/hostile/ranges.test.ts has the rest), ignored by a feed.
    [`${b}/media/podcast/night-trains.mp3`, { headers: { range: 'bytes=100-199' } }],
    [`${b}/media/podcast/night-trains.mp3`, { headers: { range: 'bytes=99999-' } }],
    [`${b}/rss.xml`, { headers: { range: 'bytes=0-9' } }],
    // Tags, authors and editions: lists without their slash, unknown or upper-case slugs, archives.
    [`${b}/tags`],
    [`${b}/editions/zh`],
    [`${b}/tags/no-such-tag/`],
    [`${b}/tags/5G/rss.xml`],
    [`${b}/authors/nobody/feed.json`],
    [`${b}/tags/5g/page/1/atom.xml`],
    [`${b}/tags/5g/archive/1/atom.xml`, { headers: { 'if-none-match': '"stale"' } }],
    [`${b}/tags/5g/archive/2/atom.xml`],
    [`${b}/editions/zh/archive/01/feed.json`],
    [`${b}/china/opml.xml`],
    [`${b}/tags/5g/opml.xml`],
    [`${b}/editions/mars/opml.xml`],
    [`${b}/editions/zh/opml.xml`, { headers: { 'if-none-match': '"stale"' } }],
    // robots.txt and the sitemaps: numbers no sitemap has, a leading zero, a sitemap below the top.
    [`${b}/sitemap-99.xml`],
    [`${b}/sitemap-01.xml`],
    [`${b}/china/sitemap.xml`],
    [`${b}/news-sitemap.xml`, { headers: { 'if-none-match': '"stale"' } }],
    [`${b}/sitemap.xml`, { method: 'HEAD' }],
    [`${b}/robots.txt`, { headers: { 'if-modified-since': 'Wed, 01 Jan 2031 00:00:00 GMT' } }],
    ...(b ? ([['/rss.xml'], ['/']] as Array<[string]>) : []),
  ];
}

/** A copy of the bundled articles (publishing writes its ledger), its site settings changed by `edit`. */
async function bundledArticlesWith(edit: (siteIndex: string) => string = (index) => index): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), 'feedgen-identity-'));
  scratch.push(work);
  const dir = path.join(work, 'articles');
  await cp(BUNDLED_ARTICLES, dir, { recursive: true });
  const index = await readFile(path.join(dir, '_index.md'), 'utf8');
  await writeFile(path.join(dir, '_index.md'), edit(index));
  return dir;
}

/** Gives every article a `link` of its own elsewhere, as a site without article pages requires. */
async function linkEveryArticle(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md') || entry.name.startsWith('_')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^---\n/, `---\nlink: https://www.example.org/stories/${encodeURIComponent(entry.name.slice(0, -3))}.html\n`));
  }
}

const NO_ARTICLE_PAGES = 'a site without article pages';
const ARCHIVED = 'a site whose base_url has a path, with a WebSub hub, archives of 2 in every kind of scope and numbered sitemaps of 10 URLs';
/** The folders the sites are copied to, removed at the end. */
const scratch: string[] = [];

let hub: TestHub;
const sites: Array<{ name: string; runtimes?: Runtimes; articles: () => Promise<string> }> = [
  { name: 'the bundled site', articles: () => bundledArticlesWith() },
  {
    name: ARCHIVED,
    articles: () =>
      bundledArticlesWith((index) =>
        index.replace(/^base_url: .*$/m, `base_url: ${ORIGIN}/news\nhub: ${hub.url}\narchive_size: 2\narchives: [site, sections, tags, authors, editions]\nsitemap_size: 10`),
      ),
  },
  {
    name: NO_ARTICLE_PAGES,
    articles: async () => {
      const dir = await bundledArticlesWith((index) => index.replace(/^---\n/, '---\narticle_pages: false\n'));
      await linkEveryArticle(dir);
      return dir;
    },
  },
];

beforeAll(async () => {
  hub = await startHub();
  await Promise.all(sites.map(async (site) => (site.runtimes = await runtimesFor(await site.articles()))));
}, 180_000);

afterAll(async () => {
  await Promise.all(sites.map((site) => site.runtimes?.close()));
  await hub.close();
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.each(sites)('Worker, Node server and static build on $name', (site) => {
  it('answer every URL with identical statuses, bodies and headers', async () => {
    const runtimes = site.runtimes as Runtimes;
    const paths = runtimes.paths.map((p) => `${runtimes.basePath}${p}`);
    expect(paths.length).toBeGreaterThan(40);
    expect(runtimes.paths.sort()).toEqual([...allResources(new SiteSnapshot(runtimes.data))].map((r) => r.path).sort());
    // The podcast's audio, transcript and chapters, and the site's icon and logo, are URLs of the site too.
    expect(paths).toEqual(expect.arrayContaining(['/media/podcast/night-trains.mp3', '/media/podcast/monsoon.m4a', '/media/podcast/monsoon.vtt', '/media/icon.svg', '/media/logo.png'].map((p) => `${runtimes.basePath}${p}`)));
    // The URLs of tags, authors and editions are among them, in every form they take.
    const archives = site.name === ARCHIVED ? ['/archive/1/atom.xml', '/us/archive/1/rss.xml', '/tags/5g/archive/1/atom.xml', '/authors/%E7%8E%8B%E8%8A%B3/archive/1/rss.xml', '/editions/us/archive/1/feed.json'] : [];
    // robots.txt and the sitemaps (numbered ones where the site has more than sitemap_size URLs; no news sitemap without article pages).
    const crawlerFiles = ['/robots.txt', '/sitemap.xml', ...(site.name === NO_ARTICLE_PAGES ? [] : ['/news-sitemap.xml']), ...(site.name === ARCHIVED ? ['/sitemap-1.xml', '/sitemap-4.xml'] : [])];
    for (const p of crawlerFiles) expect(paths).toContain(`${runtimes.basePath}${p}`);
    expect(paths.includes(`${runtimes.basePath}/news-sitemap.xml`)).toBe(site.name !== NO_ARTICLE_PAGES);
    for (const p of ['/tags/', '/tags/opml.xml', '/tags/5g/', '/tags/5g/atom.xml', '/tags/%E4%BA%A4%E9%80%9A/feed.json', '/authors/', '/authors/opml.xml', '/authors/ai-heping/rss.xml', '/authors/%E7%8E%8B%E8%8A%B3/', '/editions/', '/editions/opml.xml', '/editions/zh/', '/editions/zh/opml.xml', '/editions/us/feed.json', ...archives]) {
      expect(paths).toContain(`${runtimes.basePath}${p}`);
    }
    for (const urlPath of paths) await expectIdenticalEverywhere(runtimes, urlPath);
  }, 60_000);

  it('answer errors, redirects, conditional requests and other methods alike', async () => {
    const runtimes = site.runtimes as Runtimes;
    for (const [urlPath, init] of edgeCases(runtimes.basePath)) {
      const label = `${init?.method ?? 'GET'} ${urlPath.slice(0, 80)} ${JSON.stringify(init?.headers ?? {})}`;
      const { worker, node } = await exchange(runtimes, urlPath, init);
      expect(node.status, label).not.toBe(500);
      expect(worker.status, label).toBe(node.status);
      expect(worker.headers, label).toEqual(node.headers);
      expect(worker.body.toString(), label).toBe(node.body.toString());
    }
  }, 60_000);

  it('resolve dot segments, plain or percent-encoded, before routing, as URL parsers (and Cloudflare\'s edge) do', async () => {
    const runtimes = site.runtimes as Runtimes;
    const b = runtimes.basePath;
    const workerOrigin = String(await runtimes.worker.ready).replace(/\/$/, '');
    const cases = [
      [`${b}/us/%2e%2e/rss.xml`, `${b}/rss.xml`],
      [`${b}/us/./../us/%2E/atom.xml`, `${b}/us/atom.xml`],
      [`${b}/media/podcast/%2e%2e/podcast/cover.png`, `${b}/media/podcast/cover.png`],
      [`${b}/%2e%2e/%2e%2e/etc/passwd`, '/etc/passwd'],
    ];
    for (const [raw, resolved] of cases as Array<[string, string]>) {
      const expected = await getRawPath(runtimes.node.url, resolved);
      for (const origin of [runtimes.node.url, workerOrigin]) expect(await getRawPath(origin, raw), `${origin}${raw}`).toEqual(expected);
    }
  });

  it('answer a browser navigation to every feed alike: the browser view, and 304 on either validator', async () => {
    const runtimes = site.runtimes as Runtimes;
    // Raw HTTP: fetch() sets Sec-Fetch-Mode itself.
    const workerOrigin = String(await runtimes.worker.ready).replace(/\/$/, '');
    const navigation = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'accept-encoding': 'identity' };
    const feeds = [...allResources(new SiteSnapshot(runtimes.data))].filter((r) => r.resource.kind === 'feed').map((r) => `${runtimes.basePath}${r.path}`);
    const answer = async (origin: string, urlPath: string, headers: Record<string, string>) => {
      const response = await sendRequest(`${origin}${urlPath}`, headers);
      const visible = Object.fromEntries([...response.headers].filter(([name]) => !HOP_BY_HOP.has(name)).sort(([a], [b]) => a.localeCompare(b)));
      return { status: response.status, headers: visible, body: response.body.toString('utf8') };
    };
    for (const urlPath of feeds) {
      const node = await answer(runtimes.node.url, urlPath, navigation);
      expect(node.headers['content-type'], urlPath).toMatch(/^application\/(xml|json); charset=utf-8$/);
      expect(await answer(workerOrigin, urlPath, navigation), urlPath).toEqual(node);
      const reader = await answer(runtimes.node.url, urlPath, { 'accept-encoding': 'identity' });
      for (const etag of [node.headers.etag as string, reader.headers.etag as string]) {
        const conditional = { ...navigation, 'if-none-match': etag };
        const fromNode = await answer(runtimes.node.url, urlPath, conditional);
        expect(fromNode.status, urlPath).toBe(304);
        expect(await answer(workerOrigin, urlPath, conditional), `${urlPath} If-None-Match: ${etag}`).toEqual(fromNode);
      }
    }
  }, 120_000);
});

describe(`Worker, Node server and static build on ${NO_ARTICLE_PAGES}`, () => {
  it('publish the feeds and index pages only, and answer 404 at every article page URL', async () => {
    const runtimes = sites.find((site) => site.name === NO_ARTICLE_PAGES)?.runtimes as Runtimes;
    const snapshot = new SiteSnapshot(runtimes.data);
    expect([...allResources(snapshot)].filter(({ resource }) => resource.kind === 'article')).toEqual([]);
    expect(runtimes.data.articles.length).toBeGreaterThan(10);
    for (const article of runtimes.data.articles) {
      const pagePath = `${runtimes.basePath}${articlePath(article.section, article.slug)}`;
      const { worker, node } = await exchange(runtimes, pagePath);
      expect(node.status, pagePath).toBe(404);
      expect(worker.status, pagePath).toBe(404);
      await expect(runtimes.host.body(pagePath, runtimes.basePath), pagePath).rejects.toThrow(/ENOENT/);
      expect(article.link).toMatch(/^https:\/\/www\.example\.org\/stories\//);
    }
    // The index pages link each article to its own page elsewhere.
    const index = (await exchange(runtimes, `${runtimes.basePath}/`)).node.body.toString();
    for (const article of runtimes.data.articles.slice(0, 5)) expect(index).toContain(`href="${article.link}"`);
    // The sitemap lists what the site serves: the index pages, not the articles (their pages are elsewhere).
    const sitemap = (await exchange(runtimes, `${runtimes.basePath}/sitemap.xml`)).node.body.toString();
    expect(sitemap).toContain(`<loc>${runtimes.data.site.baseUrl}/china/world/</loc>`);
    for (const article of runtimes.data.articles) expect(sitemap).not.toContain(articlePath(article.section, article.slug));
    expect((await exchange(runtimes, `${runtimes.basePath}/robots.txt`)).node.body.toString()).not.toContain('news-sitemap');
  });
});
