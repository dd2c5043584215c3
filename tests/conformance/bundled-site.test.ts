/**
 * The bundled site, every feed of it: validated by real validators and read back by two
 * independent feed parsers, field by field against the articles it was made from.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUtc } from '../../src/time/index.js';
import type { Scope } from '../../src/site/snapshot.js';
import { feedPath, scopePath } from '../../src/urls/paths.js';
import { feedRoundTripProblems } from '../helpers/roundtrip.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';
import { feedResources, pageResources, renderSite, type FeedResource, type RenderedSite } from '../helpers/site.js';
import { ATOM_NS, atomSchemaProblems, htmlSafetyProblems, jsonFeedProblems, libxml2Problems, opmlProblems, rssProblems } from '../helpers/validators.js';
import { childElement, childElements, parseXml, textContent } from '../helpers/xml.js';

const ROOT = new URL('../..', import.meta.url).pathname;

let site: RenderedSite;
let feeds: FeedResource[];

beforeAll(async () => {
  site = await renderSite(BUNDLED_ARTICLES);
  feeds = feedResources(site);
});

const bodyOf = (p: string) => {
  const found = site.resources.find((r) => r.path === p);
  if (!found) throw new Error(`no resource ${p}`);
  return found.rendered.body;
};

describe('the bundled site', () => {
  it('has nothing to warn about: npm start prints no problem', async () => {
    expect(site.problems).toEqual([]);
    const { stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'check', '--articles', BUNDLED_ARTICLES, '--no-cache'], { cwd: ROOT });
    expect(stderr).toMatch(/^17 articles valid; 0 errors, 0 warnings;/);
  });

  it('has every section, edition, tag and author in three formats, and nothing invalid', () => {
    expect(site.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const scopes = site.snapshot.allScopes();
    expect(scopes.length).toBeGreaterThanOrEqual(10);
    expect(feeds).toHaveLength(scopes.reduce((n, scope) => n + 3 * (1 + site.snapshot.archiveCount(scope)), 0));
    const kinds = new Set(scopes.map((s) => s.ref.kind));
    expect([...kinds].sort()).toEqual(['author', 'edition', 'section', 'site', 'tag']);
    expect(site.snapshot.collection('edition').map((e) => [e.titles[0], e.language])).toEqual([
      ['US', 'en-US'], ['EUROPE', 'en-GB'], ['AFRICA', 'en'], ['ASIA', 'en'], ['中文', 'zh-CN'],
    ]);
  });

  it('serves every feed valid and read back by two parsers, field by field', () => {
    const problems = feeds.flatMap((feed) => feedRoundTripProblems(site, feed, { parsedRssAuthors: true }));
    expect(problems).toEqual([]);
  });

  it('validates every Atom feed against the RFC 4287 RELAX NG schema (libxml2)', async () => {
    const atom = feeds.filter((f) => f.resource.format === 'atom').map((f) => ({ label: f.path, xml: f.rendered.body }));
    expect(atom.length).toBe(site.snapshot.allScopes().reduce((n, scope) => n + 1 + site.snapshot.archiveCount(scope), 0));
    expect(Object.fromEntries(await atomSchemaProblems(atom))).toEqual({});
  });

  it('has every RSS feed and every OPML well-formed for libxml2 too', async () => {
    const documents = site.resources
      .filter((r) => /rss\+xml|x-opml/.test(r.rendered.contentType))
      .map((r) => ({ label: r.path, xml: r.rendered.body }));
    expect(Object.fromEntries(await libxml2Problems(documents))).toEqual({});
  });

  it('validates every JSON Feed against the JSON Feed 1.1 schema', () => {
    const json = feeds.filter((f) => f.resource.format === 'json');
    expect(json.flatMap((f) => jsonFeedProblems(f.rendered.body).map((p) => `${f.path}: ${p}`))).toEqual([]);
  });

  it('lists the site, every section and every edition once in /opml.xml, tags and authors in OPMLs of their own', () => {
    const base = site.data.site.baseUrl;
    const outlinesOf = (p: string) => {
      const opml = bodyOf(p);
      expect(opmlProblems(opml), p).toEqual([]);
      return childElements(childElement(parseXml(opml), '', 'body')!, '', 'outline');
    };
    const expectOutlines = (p: string, scopes: readonly Scope[]) => {
      const outlines = outlinesOf(p);
      expect(outlines.map((o) => o.attributes.get('xmlUrl')), p).toEqual(scopes.map((s) => `${base}${feedPath(s.ref, 'rss')}`));
      expect(outlines.map((o) => o.attributes.get('htmlUrl')), p).toEqual(scopes.map((s) => `${base}${scopePath(s.ref)}`));
    };
    const { snapshot } = site;
    const main = [...snapshot.sectionTree(), ...snapshot.collection('edition')];
    expect(main.map((s) => s.ref.kind)).not.toContain('tag');
    expectOutlines('/opml.xml', main);
    expectOutlines('/tags/opml.xml', snapshot.collection('tag'));
    expectOutlines('/authors/opml.xml', snapshot.collection('author'));
    expectOutlines('/editions/opml.xml', snapshot.collection('edition'));
    // An edition's own: its feed, then the feeds of the sections in it.
    const zh = snapshot.scope({ kind: 'edition', slug: 'zh' })!;
    expectOutlines('/editions/zh/opml.xml', [zh, snapshot.scope({ kind: 'section', section: ['中文'] })!]);
    const asia = snapshot.scope({ kind: 'edition', slug: 'asia' })!;
    expect(asia.children.map((s) => s.key)).toEqual(['asia', 'asia/south', 'china', 'china/world']);
    expect(outlinesOf('/editions/asia/opml.xml')).toHaveLength(5);
  });

  it('puts the seed article in the China / World Atom feed, updated 2019-09-11T23:47:00Z written as +08:00', () => {
    const feed = parseXml(bodyOf('/china/world/atom.xml'));
    const entry = childElements(feed, ATOM_NS, 'entry').find((e) => textContent(childElement(e, ATOM_NS, 'title')!) === 'Huawei CEO proposes negotiations with Washington');
    expect(entry).toBeDefined();
    const updated = textContent(childElement(entry!, ATOM_NS, 'updated')!);
    expect(updated).toBe('2019-09-12T07:47:00+08:00');
    expect(formatUtc(Date.parse(updated))).toBe('2019-09-11T23:47:00Z');
    expect(textContent(childElement(feed, ATOM_NS, 'updated')!)).toBe('2019-09-12T07:47:00+08:00');
    expect(textContent(childElement(childElement(entry!, ATOM_NS, 'author')!, ATOM_NS, 'name')!)).toBe('Ai Heping');
  });

  it('says what each feed is, in words a reader shows (spelled out, not derived)', () => {
    const rss = parseRssFeed(bodyOf('/china/world/rss.xml'));
    expect(rss.title).toBe('China / World | World Desk');
    expect(rss.link).toBe('http://127.0.0.1:8787/china/world/');
    expect(rss.language).toBe('en');
    expect(rss.lastBuildDate).toBe('Thu, 12 Sep 2019 07:47:00 +0800');
    expect(rss.atom?.links?.find((l) => l.rel === 'self')?.href).toBe('http://127.0.0.1:8787/china/world/rss.xml');
    const json = parseJsonFeed(JSON.parse(bodyOf('/%E4%B8%AD%E6%96%87/feed.json')));
    expect(json.title).toBe('中文新闻 | World Desk');
    expect(json.feed_url).toBe('http://127.0.0.1:8787/%E4%B8%AD%E6%96%87/feed.json');
    expect(json.items?.map((i) => i.title)).toEqual(['春节假期出行迎来高峰', '高铁新线开通运营 两地通行时间缩短一半', '华为总裁表示愿与美方谈判', '欧洲再议取消季节性调时']);
    const whole = parseAtomFeed(bodyOf('/atom.xml'));
    expect(whole.title?.value).toBe('World Desk');
    expect(whole.entries?.length).toBe(site.data.articles.length);
  });

  it('writes the Chinese section in its own language', () => {
    const atom = parseXml(bodyOf('/%E4%B8%AD%E6%96%87/atom.xml'));
    expect(atom.attributes.get('xml:lang')).toBe('zh-Hans');
    expect(JSON.parse(bodyOf('/%E4%B8%AD%E6%96%87/feed.json')).language).toBe('zh-Hans');
  });

  it('has HTML pages with no script, autodiscovery for every feed of the page', () => {
    const pages = pageResources(site);
    // The index, one page per scope but the site, one per article, and /tags/, /authors/, /editions/.
    expect(pages.length).toBe(1 + (site.snapshot.allScopes().length - 1) + site.data.articles.length + 3);
    expect(pages.flatMap((p) => htmlSafetyProblems(p.rendered.body).map((m) => `${p.path}: ${m}`))).toEqual([]);
    // The index: the feeds of the main OPML (site, sections, editions); each scope's page: its own.
    const index = bodyOf('/');
    const discovered = (html: string) => [...html.matchAll(/<link rel="alternate" type="[^"]+" title="[^"]*" href="([^"]+)">/g)].map((m) => m[1]);
    const firstPages = (scopes: readonly Scope[]) => scopes.flatMap((s) => (['rss', 'atom', 'json'] as const).map((f) => feedPath(s.ref, f)));
    expect(discovered(index)).toEqual(firstPages(site.snapshot.root.opml!));
    for (const scope of site.snapshot.allScopes().slice(1)) expect(discovered(bodyOf(scopePath(scope.ref))), scope.key).toEqual(firstPages([scope]));
    // ...and links to the lists of tags and authors and to every edition.
    for (const href of ['/tags/', '/authors/', '/tags/opml.xml', '/authors/opml.xml', ...site.snapshot.collection('edition').map((e) => scopePath(e.ref))]) {
      expect(index).toContain(`href="${href}"`);
    }
  });
});

describe('the bundled site in archives of 3', () => {
  let archived: RenderedSite;
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'feedgen-archived-'));
    const articles = path.join(root, 'articles');
    await cp(BUNDLED_ARTICLES, articles, { recursive: true });
    const index = path.join(articles, '_index.md');
    await writeFile(index, (await readFile(index, 'utf8')).replace(/^feed_limit: .*$/m, 'feed_limit: 4\narchive_size: 3'));
    archived = await renderSite(articles);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('validates every subscription document and archive and reads each back', async () => {
    const archivedFeeds = feedResources(archived);
    expect(archivedFeeds.some((f) => (f.resource.archive ?? 0) > 2)).toBe(true);
    expect(archivedFeeds.flatMap((f) => feedRoundTripProblems(archived, f))).toEqual([]);
    const atom = archivedFeeds.filter((f) => f.resource.format === 'atom').map((f) => ({ label: f.path, xml: f.rendered.body }));
    expect(Object.fromEntries(await atomSchemaProblems(atom))).toEqual({});
  });

  it('chains the archives with prev-archive (next_url in JSON Feed): every item in the subscription document or in exactly one archive', () => {
    for (const format of ['rss', 'atom', 'json'] as const) {
      const inArchives: string[] = [];
      let current: string[] = [];
      let next: string | undefined = `${archived.data.site.baseUrl}/${format === 'json' ? 'feed.json' : `${format}.xml`}`;
      for (let document = 0; next; document++) {
        const body = archived.resources.find((r) => `${archived.data.site.baseUrl}${r.path}` === next)?.rendered.body;
        expect(body, next).toBeDefined();
        let ids: string[];
        if (format === 'json') {
          const feed = JSON.parse(body!) as { items: Array<{ id: string }>; next_url?: string };
          ids = feed.items.map((i) => i.id);
          next = feed.next_url;
        } else {
          const root = parseXml(body!);
          const container = format === 'rss' ? childElement(root, '', 'channel')! : root;
          const links = childElements(container, ATOM_NS, 'link');
          ids = format === 'rss' ? childElements(container, '', 'item').map((i) => textContent(childElement(i, '', 'guid')!)) : childElements(container, ATOM_NS, 'entry').map((e) => textContent(childElement(e, ATOM_NS, 'id')!));
          next = links.find((l) => l.attributes.get('rel') === 'prev-archive')?.attributes.get('href');
        }
        if (document === 0) current = ids;
        else inArchives.push(...ids);
      }
      // The newest four, and every item not yet in a full archive.
      const waiting = archived.snapshot.root.items.filter((a) => !inArchives.includes(a.id));
      expect(current, format).toEqual(archived.snapshot.root.items.filter((a, i) => i < 4 || waiting.includes(a)).map((a) => a.id));
      expect(new Set(inArchives).size, format).toBe(inArchives.length);
      expect([...new Set([...inArchives, ...current])].sort(), format).toEqual(archived.snapshot.root.items.map((a) => a.id).sort());
      expect(inArchives.length % 3, format).toBe(0);
    }
  });
});

describe('the bundled site over the real Node server', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const PATHS = [
    '/rss.xml', '/china/world/atom.xml', '/%E4%B8%AD%E6%96%87/feed.json', '/asia/south/rss.xml', '/opml.xml', '/', '/china/world/huawei-ceo-proposes-negotiations-with-washington/',
    '/tags/', '/tags/5g/', '/tags/5g/atom.xml', '/tags/%E4%BA%A4%E9%80%9A/rss.xml', '/tags/opml.xml', '/authors/', '/authors/ai-heping/feed.json', '/authors/opml.xml',
    '/editions/', '/editions/zh/', '/editions/zh/atom.xml', '/editions/us/rss.xml', '/editions/zh/opml.xml',
  ];

  it.each(PATHS)('%s has the same bytes as the in-process rendering, and validates', async (p) => {
    const response = await fetch(`${server.url}${p}`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toBe(bodyOf(p));
    const type = response.headers.get('content-type') ?? '';
    if (type.startsWith('application/rss+xml')) expect(rssProblems(body, `${site.data.site.baseUrl}${p}`)).toEqual([]);
    if (type.startsWith('application/atom+xml')) expect(Object.fromEntries(await atomSchemaProblems([{ label: p, xml: body }]))).toEqual({});
    if (type.startsWith('application/feed+json')) expect(jsonFeedProblems(body, `${site.data.site.baseUrl}${p}`)).toEqual([]);
    if (type.startsWith('text/x-opml')) expect(opmlProblems(body)).toEqual([]);
    if (type.startsWith('text/html')) expect(htmlSafetyProblems(body)).toEqual([]);
  });
});
