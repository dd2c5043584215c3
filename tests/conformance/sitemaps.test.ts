/**
 * The sitemaps, the news sitemap and robots.txt: valid by the rules of their schemas (checked one
 * by one in helpers/validators.ts, since the XSDs cannot be fetched here) and well-formed by
 * libxml2; listing exactly the pages the site serves (never a feed), each dated by its own
 * Last-Modified; split into numbered sitemaps so that a new article changes one of them and the
 * index; and the validators themselves reject what the schemas reject.
 */
import { cp, mkdtemp, readFile, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus } from '../../bench/corpus.js';
import { loadSite } from '../../src/content/load.js';
import type { SiteData } from '../../src/content/model.js';
import { MAX_URL_ENTRY_BYTES, SITEMAP_MAX_BYTES, URLSET_ENVELOPE_BYTES, urlEntry } from '../../src/feeds/sitemap.js';
import { lastModifiedOf } from '../../src/site/modified.js';
import { allResources, crawlerResources, lookup } from '../../src/site/resources.js';
import { planSitemaps } from '../../src/site/sitemaps.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { publicationOf, recordHistory } from '../../src/state/history.js';
import { Ledger } from '../../src/state/ledger.js';
import { renderResource } from '../../src/publish/render.js';
import { articlePath } from '../../src/urls/paths.js';
import { routeOf } from '../../src/urls/routes.js';
import { chunksToText } from '../helpers/chunks.js';
import { article, writeArticles } from '../helpers/articles.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';
import { IMAGE_NS, NEWS_NS, SITEMAP_NS, libxml2Problems, sitemapIndexProblems, sitemapProblems } from '../helpers/validators.js';
import { childElement, childElements, parseXml, textContent } from '../helpers/xml.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'feedgen-sitemaps-'));
  scratch.push(dir);
  return dir;
}

/** The site at `now` on a ledger that has recorded it (and whatever `ledger` recorded before). */
function publish(data: SiteData, now: number, ledger = new Ledger()): SiteSnapshot {
  recordHistory(ledger, data, now);
  return new SiteSnapshot(data, publicationOf(ledger, data, now));
}

/** robots.txt and every sitemap of a snapshot, path -> text and Last-Modified. */
function crawlerFiles(snapshot: SiteSnapshot): Map<string, { text: string; lastModified?: number; contentType: string; until?: number }> {
  const files = new Map<string, { text: string; lastModified?: number; contentType: string; until?: number }>();
  for (const { path: urlPath, resource } of crawlerResources(snapshot)) {
    const rendered = renderResource(snapshot, resource);
    files.set(urlPath, { text: chunksToText(rendered.chunks), contentType: rendered.contentType, ...(rendered.lastModified === undefined ? {} : { lastModified: rendered.lastModified }), ...(rendered.until === undefined ? {} : { until: rendered.until }) });
  }
  return files;
}

function textOf(files: ReturnType<typeof crawlerFiles>, urlPath: string): string {
  const file = files.get(urlPath);
  if (!file) throw new Error(`no ${urlPath}`);
  return file.text;
}

/** Every `loc` of a urlset, with its lastmod and image. */
function urlsOf(xml: string): Array<{ loc: string; lastmod?: string; image?: string }> {
  return childElements(parseXml(xml), SITEMAP_NS, 'url').map((url) => {
    const lastmod = childElement(url, SITEMAP_NS, 'lastmod');
    const image = childElement(url, IMAGE_NS, 'image');
    return {
      loc: textContent(childElement(url, SITEMAP_NS, 'loc')!),
      ...(lastmod ? { lastmod: textContent(lastmod) } : {}),
      ...(image ? { image: textContent(childElement(image, IMAGE_NS, 'loc')!) } : {}),
    };
  });
}

/** Every page a sitemap set lists, following the index when there is one. */
function listedPages(files: ReturnType<typeof crawlerFiles>, base: string): Array<{ loc: string; lastmod?: string; image?: string }> {
  const root = parseXml(textOf(files, '/sitemap.xml'));
  if (root.local === 'urlset') return urlsOf(textOf(files, '/sitemap.xml'));
  return childElements(root, SITEMAP_NS, 'sitemap').flatMap((sitemap) => urlsOf(textOf(files, textContent(childElement(sitemap, SITEMAP_NS, 'loc')!).slice(base.length))));
}

/** Every problem of every crawler file: the schemas' rules, and libxml2's well-formedness. */
async function crawlerProblems(files: ReturnType<typeof crawlerFiles>, base: string, now?: number): Promise<string[]> {
  const problems: string[] = [];
  const xml: Array<{ label: string; xml: string }> = [];
  for (const [urlPath, { text }] of files) {
    if (!urlPath.endsWith('.xml')) continue;
    xml.push({ label: urlPath, xml: text });
    const location = `${base}${urlPath}`;
    const found =
      urlPath === '/news-sitemap.xml'
        ? sitemapProblems(text, { location, allowEmpty: !text.includes('<url>'), ...(now === undefined ? {} : { now }) })
        : parseXml(text).local === 'sitemapindex'
          ? sitemapIndexProblems(text, { location })
          : sitemapProblems(text, { location });
    problems.push(...found.map((problem) => `${urlPath}: ${problem}`));
  }
  for (const [label, found] of await libxml2Problems(xml)) problems.push(...found.map((problem) => `${label}: ${problem}`));
  return problems;
}

describe('the sitemaps of the bundled site', () => {
  let data: SiteData;
  let snapshot: SiteSnapshot;
  let files: ReturnType<typeof crawlerFiles>;
  const ledger = new Ledger();
  beforeAll(async () => {
    const loaded = await loadSite(BUNDLED_ARTICLES);
    data = loaded.data as SiteData;
    // Two of its articles dated within the two days before "now": a news sitemap with something in it.
    const recent = new Set(['china/world', 'us']);
    let shifted = 0;
    data = {
      ...data,
      articles: data.articles.map((a) => {
        if (!recent.has(a.section.join('/')) || shifted >= 2) return a;
        shifted++;
        return { ...a, published: { ...a.published, epochMs: NOW - shifted * 10 * HOUR } };
      }),
    };
    snapshot = publish(data, NOW, ledger);
    files = crawlerFiles(snapshot);
  });

  it('are valid by the schemas, well-formed by libxml2, and served as application/xml and text/plain', async () => {
    expect(await crawlerProblems(files, data.site.baseUrl, NOW)).toEqual([]);
    expect([...files.keys()]).toEqual(['/robots.txt', '/sitemap.xml', '/news-sitemap.xml']);
    expect(files.get('/sitemap.xml')?.contentType).toBe('application/xml; charset=utf-8');
    expect(files.get('/news-sitemap.xml')?.contentType).toBe('application/xml; charset=utf-8');
    expect(files.get('/robots.txt')?.contentType).toBe('text/plain; charset=utf-8');
  });

  it('list every page the site serves but its feeds, each dated as its own Last-Modified, with lead images', () => {
    const pages = [...allResources(snapshot)].filter(({ resource }) => ['index', 'scope-page', 'collection-page', 'article'].includes(resource.kind));
    const listed = listedPages(files, data.site.baseUrl);
    expect(listed.map((url) => url.loc).sort()).toEqual(pages.map((page) => `${data.site.baseUrl}${page.path}`).sort());
    for (const { path: urlPath, resource } of pages) {
      const url = listed.find((u) => u.loc === `${data.site.baseUrl}${urlPath}`);
      expect(url?.lastmod, urlPath).toBe(new Date(lastModifiedOf(snapshot, resource) as number).toISOString().replace('.000Z', 'Z'));
      expect(url?.image, urlPath).toBe(resource.kind === 'article' ? resource.article.image : undefined);
    }
    expect(listed.filter((url) => url.image !== undefined).length).toBeGreaterThan(0);
    expect(listed.some((url) => /\.(xml|json)$/.test(url.loc))).toBe(false);
  });

  it('list in the news sitemap the articles of the last two days, newest first, in their edition or the site', () => {
    const xml = textOf(files, '/news-sitemap.xml');
    const urls = childElements(parseXml(xml), SITEMAP_NS, 'url');
    const recent = snapshot.root.items.filter((a) => a.published.epochMs > NOW - 2 * DAY);
    expect(recent).toHaveLength(2);
    expect(urls.map((url) => textContent(childElement(url, SITEMAP_NS, 'loc')!))).toEqual(recent.map((a) => `${data.site.baseUrl}${articlePath(a.section, a.slug)}`));
    for (const [i, url] of urls.entries()) {
      const news = childElement(url, NEWS_NS, 'news')!;
      const publication = childElement(news, NEWS_NS, 'publication')!;
      const a = recent[i]!;
      expect(textContent(childElement(news, NEWS_NS, 'title')!)).toBe(a.title);
      expect(Date.parse(textContent(childElement(news, NEWS_NS, 'publication_date')!))).toBe(a.published.epochMs);
      // An article of the US edition (en-US) is in it; the others are the site's (en).
      const edition = a.editions.includes('us') ? 'World Desk US' : 'World Desk';
      expect([textContent(childElement(publication, NEWS_NS, 'name')!), textContent(childElement(publication, NEWS_NS, 'language')!)]).toEqual([edition, 'en']);
    }
    // It changes when the older of the two leaves it, and its max-age runs no further.
    const leaves = Math.min(...recent.map((a) => a.published.epochMs)) + 2 * DAY;
    expect(files.get('/news-sitemap.xml')?.until).toBe(leaves);
    expect(snapshot.newsOnly.has(leaves)).toBe(true);
    expect(snapshot.nextSiteChange).toBeUndefined();
  });

  it('name both sitemaps in robots.txt, by absolute URL', () => {
    expect(textOf(files, '/robots.txt')).toBe('User-agent: *\nAllow: /\n\nSitemap: http://127.0.0.1:8787/sitemap.xml\nSitemap: http://127.0.0.1:8787/news-sitemap.xml\n');
  });

  it('lose an article once it ages out, and are dated by that instant', () => {
    const later = NOW - 20 * HOUR + 2 * DAY;
    const after = crawlerFiles(publish(data, later, ledger));
    const xml = textOf(after, '/news-sitemap.xml');
    expect(childElements(parseXml(xml), SITEMAP_NS, 'url')).toHaveLength(1);
    expect(after.get('/news-sitemap.xml')?.lastModified).toBe(later);
    // The other files are as they were.
    expect(textOf(after, '/sitemap.xml')).toBe(textOf(files, '/sitemap.xml'));
    // The site before it, its clock moved on (as the Worker's versions and the Node server take it), is the same.
    expect(crawlerFiles(snapshot.at(later))).toEqual(after);
    expect(crawlerFiles(snapshot.at(later + 1000))).toEqual(crawlerFiles(publish(data, later + 1000, ledger)));
  });

  it('is taken with its clock moved on only before its next scheduled change', async () => {
    const scheduled = publish({ ...data, articles: data.articles.map((a, i) => (i === 0 ? { ...a, published: { ...a.published, epochMs: NOW + HOUR } } : a)) }, NOW);
    expect(scheduled.nextSiteChange).toBe(NOW + HOUR);
    expect(() => scheduled.at(NOW + HOUR)).toThrow(/make a new snapshot/);
    expect(scheduled.at(NOW + HOUR - 1000).now).toBe(NOW + HOUR - 1000);
  });
});

describe('a site without article pages', () => {
  it('lists the pages it serves, has no news sitemap, and names only /sitemap.xml in robots.txt', async () => {
    const articles = await writeArticles({
      '_index.md': '---\ntitle: Elsewhere\nbase_url: https://feeds.example.com/news\narticle_pages: false\n---\n',
      'world/a.md': article(`title: A\ndate: 2029-12-31 20:00\nlink: https://www.example.org/a.html\nimage: https://images.example.org/a.jpg`),
    });
    const { data } = await loadSite(articles);
    const snapshot = publish(data as SiteData, NOW);
    const files = crawlerFiles(snapshot);
    expect([...files.keys()]).toEqual(['/robots.txt', '/sitemap.xml']);
    expect(await crawlerProblems(files, 'https://feeds.example.com/news')).toEqual([]);
    expect(urlsOf(textOf(files, '/sitemap.xml')).map((url) => url.loc)).toEqual(['https://feeds.example.com/news/', 'https://feeds.example.com/news/world/']);
    expect(textOf(files, '/robots.txt')).toBe('User-agent: *\nAllow: /news/\n\nSitemap: https://feeds.example.com/news/sitemap.xml\n');
    expect(lookup(snapshot, routeOf('/news-sitemap.xml'))).toMatchObject({ kind: 'error', status: 404 });
    expect(snapshot.pending).toEqual([]);
  });
});

describe("the articles folder's own robots.txt", () => {
  const OWN = '\uFEFFUser-agent: *\r\nDisallow: /drafts/\r\n# 中文\r\n';

  it('is served as it is, byte for byte, and dated by its own changes', async () => {
    const articles = await writeArticles({ 'world/a.md': article('title: A\ndate: 2029-12-31 20:00') });
    await writeFile(path.join(articles, 'robots.txt'), OWN);
    const loaded = await loadSite(articles);
    expect(loaded.problems).toEqual([]);
    const ledger = new Ledger();
    const snapshot = publish(loaded.data as SiteData, NOW, ledger);
    const robots = renderResource(snapshot, { kind: 'robots' });
    expect(Buffer.from(chunksToText(robots.chunks), 'utf8').equals(Buffer.from(OWN, 'utf8'))).toBe(true);
    expect(robots.lastModified).toBe(NOW);
    // Edited an hour later: dated then; the site's settings did not change.
    await writeFile(path.join(articles, 'robots.txt'), `${OWN}Disallow: /tmp/\n`);
    const edited = publish((await loadSite(articles)).data as SiteData, NOW + HOUR, ledger);
    expect(renderResource(edited, { kind: 'robots' }).lastModified).toBe(NOW + HOUR);
    expect(lastModifiedOf(edited, { kind: 'scope-page', scope: edited.scope({ kind: 'section', section: ['world'] })! })).toBe(NOW);
  });

  it.each([
    ['not UTF-8', async (file: string) => writeFile(file, Buffer.from('User-agent: *\nDisallow: /caf\xe9/\n', 'latin1')), /robots\.txt:2: file is not valid UTF-8/],
    ['over 500 KiB', async (file: string) => writeFile(file, `User-agent: *\n${'# padding\n'.repeat(52_000)}`), /robots\.txt:1: robots\.txt has \d+ bytes, more than the 500 KiB crawlers read/],
    ['a link out of the articles folder', async (file: string) => {
      const outside = path.join(await tempDir(), 'robots.txt');
      await writeFile(outside, 'User-agent: *\nDisallow: /\n');
      await symlink(outside, file);
    }, /robots\.txt:1: robots\.txt is not served: it is a symbolic link to \/.*\/robots\.txt, outside the articles folder/],
  ])('is refused when it is %s, with an error at its path, and feedgen writes its own', async (_, make, message) => {
    const articles = await writeArticles({ 'world/a.md': article('title: A\ndate: 2029-12-31 20:00') });
    await make(path.join(articles, 'robots.txt'));
    const loaded = await loadSite(articles);
    expect(loaded.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n')).toMatch(message);
    expect(loaded.problems.every((p) => p.severity === 'error')).toBe(true);
    const snapshot = publish(loaded.data as SiteData, NOW);
    expect(chunksToText(renderResource(snapshot, { kind: 'robots' }).chunks)).toMatch(/^User-agent: \*\nAllow: \/\n\nSitemap: /);
  });

  it('may be a link to a file inside the articles folder', async () => {
    const articles = await writeArticles({ 'world/a.md': article('title: A\ndate: 2029-12-31 20:00'), '_robots/robots.txt': 'User-agent: *\nDisallow: /x/\n' });
    await symlink(path.join(articles, '_robots/robots.txt'), path.join(articles, 'robots.txt'));
    const loaded = await loadSite(articles);
    expect(loaded.problems).toEqual([]);
    expect(loaded.data?.robots).toBe('User-agent: *\nDisallow: /x/\n');
  });
});

describe('names the crawler files need', () => {
  it.each([['robots.txt.md'], ['sitemap.xml.md'], ['news-sitemap.xml/a.md'], ['sitemap-2.xml/a.md']])('are refused for %s at the top of the articles folder', async (file) => {
    const articles = await writeArticles({ [file]: article('title: A\ndate: 2029-12-31 20:00'), 'news/sitemap.xml.md': article('title: B\ndate: 2029-12-31 20:00') });
    const { problems, data } = await loadSite(articles);
    const name = file.replace(/\/a\.md$/, '').replace(/\.md$/, '');
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(new RegExp(`name "${name.replace(/\./g, '\\.')}(\\.md)?" is reserved at the top of the articles folder for the URL /${name.replace(/\./g, '\\.')}`))]);
    // Deeper down, the name is an article like any other.
    expect(data?.articles.map((a) => a.slug)).toEqual(['sitemap.xml']);
  });
});

describe('numbered sitemaps', () => {
  let corpus: string;
  /** A copy of a generated site of 600 articles (about 220 other pages: sections, tags, authors, editions), `sitemap_size` set. */
  async function site(size: number): Promise<string> {
    const articles = path.join(await tempDir(), 'articles');
    await cp(corpus, articles, { recursive: true });
    const index = path.join(articles, '_index.md');
    await writeFile(index, (await readFile(index, 'utf8')).replace(/^feed_limit: .*$/m, `feed_limit: 5\nsitemap_size: ${size}`));
    return articles;
  }
  const BASE = 'https://news.example.com';
  const parts = (files: ReturnType<typeof crawlerFiles>) => [...files.keys()].filter((p) => /^\/sitemap-\d+\.xml$/.test(p));
  const pageCount = (snapshot: SiteSnapshot, kinds: readonly string[]) => [...allResources(snapshot)].filter(({ resource }) => kinds.includes(resource.kind)).length;
  const PAGE_KINDS = ['index', 'scope-page', 'collection-page', 'article'];
  const OTHER_KINDS = ['index', 'scope-page', 'collection-page'];

  beforeAll(async () => {
    corpus = await ensureCorpus(600, `${await tempDir()}/`);
  }, 120_000);

  /** Paths of crawler files whose bytes differ between two versions (added and removed ones included). */
  function changed(before: ReturnType<typeof crawlerFiles>, after: ReturnType<typeof crawlerFiles>): string[] {
    return [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p)?.text !== after.get(p)?.text).sort();
  }
  const sitemapsOnly = (paths: string[]) => paths.filter((p) => p.startsWith('/sitemap'));

  it('hold at most sitemap_size URLs, half of it in whole archives of the site; the index lists each, dated', async () => {
    const snapshot = publish((await loadSite(await site(500))).data as SiteData, NOW);
    const files = crawlerFiles(snapshot);
    expect(await crawlerProblems(files, BASE, NOW)).toEqual([]);
    // 600 articles in six archives of 100, two a sitemap (250 places each); the newest, where the
    // next article goes, holds the other pages.
    expect(parts(files)).toEqual(['/sitemap-1.xml', '/sitemap-2.xml', '/sitemap-3.xml', '/sitemap-4.xml']);
    const others = pageCount(snapshot, OTHER_KINDS);
    expect(others).toBeGreaterThan(150);
    expect(parts(files).map((part) => urlsOf(textOf(files, part)).length)).toEqual([200, 200, 200, others]);
    const { archives } = snapshot.siteMembers();
    expect(urlsOf(textOf(files, '/sitemap-2.xml')).map((u) => u.loc)).toEqual(archives.slice(2, 4).flat().map((key) => `${BASE}/${key.split('/').map(encodeURIComponent).join('/')}/`));
    const index = parseXml(textOf(files, '/sitemap.xml'));
    expect(index.local).toBe('sitemapindex');
    for (const sitemap of childElements(index, SITEMAP_NS, 'sitemap')) {
      const loc = textContent(childElement(sitemap, SITEMAP_NS, 'loc')!).slice(BASE.length);
      expect(textContent(childElement(sitemap, SITEMAP_NS, 'lastmod')!), loc).toBe(new Date(files.get(loc)!.lastModified!).toISOString().replace('.000Z', 'Z'));
    }
    // Every page once, in all of them together.
    const listed = listedPages(files, BASE).map((u) => u.loc);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.length).toBe(pageCount(snapshot, PAGE_KINDS));
    expect(lookup(snapshot, routeOf('/sitemap-5.xml'))).toMatchObject({ kind: 'error', status: 404 });
  }, 60_000);

  /** Every crawler file whose bytes changed has a later Last-Modified: a poller that sends only If-Modified-Since misses nothing. */
  function expectDated(before: ReturnType<typeof crawlerFiles>, after: ReturnType<typeof crawlerFiles>): void {
    for (const urlPath of changed(before, after)) {
      const earlier = before.get(urlPath)?.lastModified;
      if (earlier !== undefined && after.has(urlPath)) expect(after.get(urlPath)!.lastModified!, `${urlPath} changed, its Last-Modified did not`).toBeGreaterThan(earlier);
    }
  }
  const withoutTranslations = (snapshot: SiteSnapshot, keys: readonly string[]) =>
    keys.find((k) => snapshot.article(k.split('/').slice(0, -1), k.split('/').pop()!)?.translationKey === undefined)!;
  const late = (title: string, date: number) => article(`title: ${title}\ndate: ${new Date(date).toISOString().slice(0, 16).replace('T', ' ')}\nimage: https://images.example.com/late.jpg`);

  it('change one of them and the index when an article is published; its own and the newest when one is edited, deleted or moved', async () => {
    const articles = await site(500);
    const ledger = new Ledger();
    const first = publish((await loadSite(articles)).data as SiteData, NOW, ledger);
    const before = crawlerFiles(first);
    await writeFile(path.join(articles, 'world/trade/late-story.md'), late('Late story', NOW + HOUR));
    const published = crawlerFiles(publish((await loadSite(articles)).data as SiteData, NOW + 2 * HOUR, ledger));
    // The new article, and the other pages whose Last-Modified moved with it, are in the newest sitemap.
    expect(sitemapsOnly(changed(before, published))).toEqual(['/sitemap-4.xml', '/sitemap.xml']);
    expect(urlsOf(textOf(published, '/sitemap-4.xml')).some((u) => u.loc === `${BASE}/world/trade/late-story/` && u.image === 'https://images.example.com/late.jpg')).toBe(true);
    expect(changed(before, published)).toContain('/news-sitemap.xml');
    expectDated(before, published);

    // An article of sitemap 1 corrected (one without translations, whose pages would change with it):
    // that sitemap, the newest one (where the index page's date moved), the index.
    const file = path.join(articles, `${withoutTranslations(first, first.siteMembers().archives[0]!)}.md`);
    await writeFile(file, `${await readFile(file, 'utf8')}\nA correction.\n`);
    const edited = crawlerFiles(publish((await loadSite(articles)).data as SiteData, NOW + 3 * HOUR, ledger));
    expect(sitemapsOnly(changed(published, edited))).toEqual(['/sitemap-1.xml', '/sitemap-4.xml', '/sitemap.xml']);
    expectDated(published, edited);
    await unlink(file);
    const deleted = crawlerFiles(publish((await loadSite(articles)).data as SiteData, NOW + 4 * HOUR, ledger));
    expect(sitemapsOnly(changed(edited, deleted))).toEqual(['/sitemap-1.xml', '/sitemap-4.xml', '/sitemap.xml']);
    expect(urlsOf(textOf(deleted, '/sitemap-1.xml'))).toHaveLength(199);
    expect(deleted.get('/sitemap-1.xml')!.lastModified).toBe(NOW + 4 * HOUR);
    expect(deleted.get('/sitemap-2.xml')).toEqual(before.get('/sitemap-2.xml'));
    expectDated(edited, deleted);

    // Moved to another section: its id is its old URL, so it is a new entry that keeps its first
    // publication; it joins the newest sitemap, and leaves its archive's.
    const moving = withoutTranslations(first, first.siteMembers().archives[3]!);
    await rename(path.join(articles, `${moving}.md`), path.join(articles, 'world/trade', `${moving.split('/').pop()}-moved.md`));
    const moved = crawlerFiles(publish((await loadSite(articles)).data as SiteData, NOW + 5 * HOUR, ledger));
    expect(sitemapsOnly(changed(deleted, moved))).toEqual(['/sitemap-2.xml', '/sitemap-4.xml', '/sitemap.xml']);
    expectDated(deleted, moved);
  }, 60_000);

  it('date every sitemap after a renamed article when the site keeps no archives, whose places shift', async () => {
    const articles = await site(500);
    const index = path.join(articles, '_index.md');
    await writeFile(index, (await readFile(index, 'utf8')).replace(/^sitemap_size: .*$/m, 'sitemap_size: 500\narchives: [sections]'));
    const ledger = new Ledger();
    const first = publish((await loadSite(articles)).data as SiteData, NOW, ledger);
    const before = crawlerFiles(first);
    // No archives: 250 places a sitemap, in publication order.
    expect(parts(before)).toEqual(['/sitemap-1.xml', '/sitemap-2.xml', '/sitemap-3.xml']);
    const moving = withoutTranslations(first, first.siteMembers().tail.slice(0, 100));
    await rename(path.join(articles, `${moving}.md`), path.join(articles, 'world/trade', `${moving.split('/').pop()}-moved.md`));
    const moved = crawlerFiles(publish((await loadSite(articles)).data as SiteData, NOW + HOUR, ledger));
    // The new entry takes the old one's first publication, and its place; the old one, gone, goes last.
    expect(sitemapsOnly(changed(before, moved))).toEqual(['/sitemap-1.xml', '/sitemap-3.xml', '/sitemap.xml']);
    expectDated(before, moved);
    // A deletion: the article gone takes its place among the last, and those after it move up one.
    const gone = withoutTranslations(first, first.siteMembers().tail.slice(10, 100).filter((key) => key !== moving));
    await unlink(path.join(articles, `${gone}.md`));
    const deleted = crawlerFiles(publish((await loadSite(articles)).data as SiteData, NOW + 2 * HOUR, ledger));
    expect(sitemapsOnly(changed(moved, deleted))).toEqual(['/sitemap-1.xml', '/sitemap-2.xml', '/sitemap-3.xml', '/sitemap.xml']);
    expectDated(moved, deleted);
  }, 60_000);

  it('put the other pages in files of their own when they take more than half a file', async () => {
    const snapshot = publish((await loadSite(await site(10))).data as SiteData, NOW);
    const files = crawlerFiles(snapshot);
    expect(await crawlerProblems(files, BASE)).toEqual([]);
    // 600 articles, 5 a sitemap: 120 sitemaps of articles, then the other pages, 10 a sitemap.
    expect(parts(files)).toHaveLength(120 + Math.ceil(pageCount(snapshot, OTHER_KINDS) / 10));
    expect(urlsOf(textOf(files, '/sitemap-120.xml'))).toHaveLength(5);
    expect(urlsOf(textOf(files, '/sitemap-121.xml'))[0]?.loc).toBe(`${BASE}/`);
  }, 60_000);

  it('never pass the byte limit: an entry is at most MAX_URL_ENTRY_BYTES, and a file holds what fits', async () => {
    const snapshot = publish((await loadSite(await site(50_000))).data as SiteData, NOW);
    const limits = { urls: 50_000, bytes: URLSET_ENVELOPE_BYTES + 12 * MAX_URL_ENTRY_BYTES };
    const plan = planSitemaps(snapshot, limits);
    expect(plan.kind).toBe('index');
    if (plan.kind !== 'index') return;
    for (const [number, contents] of plan.parts) {
      const bytes = URLSET_ENVELOPE_BYTES + contents.pages.reduce((sum, page) => sum + urlEntry({ loc: page.loc, ...(page.image ? { image: page.image } : {}), lastmod: lastModifiedOf(snapshot, page.resource) ?? 0 }).length, 0);
      expect(bytes, `sitemap ${number}`).toBeLessThanOrEqual(limits.bytes);
      expect(contents.pages.length, `sitemap ${number}`).toBeLessThanOrEqual(12);
    }
    // Archives of 100 in pieces of six (half of twelve), the other pages after them.
    expect(plan.parts.get(1)?.pages).toHaveLength(6);
    expect(plan.parts.get(17)?.pages).toHaveLength(4);
    expect([...plan.parts.values()].reduce((sum, { pages }) => sum + pages.length, 0)).toBe(pageCount(snapshot, PAGE_KINDS));
    // What fits in one file stays one file; one URL more than a file may hold, and it is an index.
    const all = pageCount(snapshot, PAGE_KINDS);
    expect(planSitemaps(snapshot, { urls: all, bytes: SITEMAP_MAX_BYTES }).kind).toBe('single');
    expect(planSitemaps(snapshot, { urls: all - 1, bytes: SITEMAP_MAX_BYTES }).kind).toBe('index');
  }, 60_000);
});

describe('the sitemap validators', () => {
  const urlset = (body: string) => `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="${SITEMAP_NS}" xmlns:image="${IMAGE_NS}" xmlns:news="${NEWS_NS}">\n${body}</urlset>\n`;
  const good = '<url><loc>https://example.com/a/</loc><lastmod>2030-01-01T00:00:00Z</lastmod><image:image><image:loc>https://img.example.com/a.jpg</image:loc></image:image></url>\n';
  const news = (inner: string) => `<url><loc>https://example.com/a/</loc><news:news>${inner}</news:news></url>\n`;
  const goodNews = '<news:publication><news:name>Desk</news:name><news:language>zh-cn</news:language></news:publication><news:publication_date>2029-12-31T20:00:00+08:00</news:publication_date><news:title>A</news:title>';

  it('accept a good urlset, a good news sitemap and a good index', () => {
    expect(sitemapProblems(urlset(good), { location: 'https://example.com/sitemap.xml' })).toEqual([]);
    expect(sitemapProblems(urlset(news(goodNews)), { now: NOW })).toEqual([]);
    expect(sitemapIndexProblems(`<sitemapindex xmlns="${SITEMAP_NS}"><sitemap><loc>https://example.com/sitemap-1.xml</loc><lastmod>2030-01-01</lastmod></sitemap></sitemapindex>`)).toEqual([]);
  });

  it.each([
    ['no url', urlset('')],
    ['a url without loc', urlset('<url><lastmod>2030-01-01</lastmod></url>')],
    ['lastmod before loc', urlset('<url><lastmod>2030-01-01</lastmod><loc>https://example.com/a/</loc></url>')],
    ['a relative loc', urlset('<url><loc>/a/</loc></url>')],
    ['a loc of 2,049 characters', urlset(`<url><loc>https://example.com/${'a'.repeat(2029)}</loc></url>`)],
    ['a loc outside the sitemap\'s folder', urlset('<url><loc>https://other.example.com/a/</loc></url>')],
    ['an impossible lastmod', urlset('<url><loc>https://example.com/a/</loc><lastmod>2030-02-30</lastmod></url>')],
    ['a lastmod with a time and no zone', urlset('<url><loc>https://example.com/a/</loc><lastmod>2030-01-01T10:00:00</lastmod></url>')],
    ['a changefreq not in the list', urlset('<url><loc>https://example.com/a/</loc><changefreq>often</changefreq></url>')],
    ['a priority over 1', urlset('<url><loc>https://example.com/a/</loc><priority>1.5</priority></url>')],
    ['an element the schema does not know', urlset('<url><loc>https://example.com/a/</loc><title>A</title></url>')],
    ['an extension before loc', urlset('<url><image:image><image:loc>https://img.example.com/a.jpg</image:loc></image:image><loc>https://example.com/a/</loc></url>')],
    ['an attribute', urlset('<url id="1"><loc>https://example.com/a/</loc></url>')],
    ['text among the elements', urlset('<url>a<loc>https://example.com/a/</loc></url>')],
    ['an image without loc', urlset('<url><loc>https://example.com/a/</loc><image:image><image:title>A</image:title></image:image></url>')],
    ['a news article without a title', urlset(news(goodNews.replace('<news:title>A</news:title>', '')))],
    ['a news language that is no ISO 639 code', urlset(news(goodNews.replace('zh-cn', 'zh-Hans')))],
    ['a news publication without a name', urlset(news(goodNews.replace('<news:name>Desk</news:name>', '')))],
    ['news elements out of order', urlset(news(goodNews.replace(/(<news:publication_date>.*<\/news:publication_date>)(<news:title>A<\/news:title>)/, '$2$1')))],
    ['a news article older than two days', urlset(news(goodNews.replace('2029-12-31T20:00:00+08:00', '2029-12-29T00:00:00Z')))],
    ['a second news:news in one url', urlset(`<url><loc>https://example.com/a/</loc><news:news>${goodNews}</news:news><news:news>${goodNews}</news:news></url>\n`)],
    ['the wrong namespace', urlset(good).replace(SITEMAP_NS, 'http://www.google.com/schemas/sitemap/0.84')],
    ['50,001 urls', urlset(good.repeat(50_001))],
  ])('reject %s', (_, xml) => {
    expect(sitemapProblems(xml, { location: 'https://example.com/sitemap.xml', now: NOW }).length).toBeGreaterThan(0);
  });

  it('reject an index without sitemaps, or with a url in it', () => {
    expect(sitemapIndexProblems(`<sitemapindex xmlns="${SITEMAP_NS}"></sitemapindex>`).length).toBeGreaterThan(0);
    expect(sitemapIndexProblems(`<sitemapindex xmlns="${SITEMAP_NS}"><url><loc>https://example.com/a/</loc></url></sitemapindex>`).length).toBeGreaterThan(0);
    expect(sitemapIndexProblems(urlset(good)).length).toBeGreaterThan(0);
  });
});
