/** Editions (declared by the site, named by sections and articles), translations, reserved names. */
import { parseAtomFeed } from 'feedsmith';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/model.js';
import { lookup } from '../../src/site/resources.js';
import { routeOf } from '../../src/urls/routes.js';
import { article, writeArticles } from '../helpers/articles.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';
import { renderSite, type RenderedSite } from '../helpers/site.js';
import { ATOM_NS } from '../helpers/validators.js';
import { childElement, childElements, parseXml, textContent } from '../helpers/xml.js';

const bodyOf = (site: RenderedSite, p: string) => {
  const found = site.resources.find((r) => r.path === p);
  if (!found) throw new Error(`no resource ${p}`);
  return found.rendered.body;
};
const titlesIn = (site: RenderedSite, p: string) => (JSON.parse(bodyOf(site, p)) as { items: Array<{ title: string }> }).items.map((i) => i.title);
const errors = (site: RenderedSite) => site.problems.filter((p) => p.severity === 'error').map(formatProblem);

const SITE = `---
title: Test Site
base_url: https://feeds.example.com
timezone: UTC
editions:
  - key: us
    title: US
    language: en-US
    timezone: America/New_York
  - { key: zh, title: 中文, language: zh-CN, description: 中文版 }
---
`;

describe('editions', () => {
  const files = {
    '_index.md': SITE,
    'us/_index.md': '---\ntitle: United States\neditions: [us]\n---\n',
    'us/a.md': article('title: A\ndate: 2020-01-01 10:00'),
    'us/west/b.md': article('title: B\ndate: 2020-01-02 10:00'),
    'us/c.md': article('title: C\ndate: 2020-01-03 10:00\neditions: [US, zh]'),
    'us/d.md': article('title: D\ndate: 2020-01-04 10:00\neditions: []'),
    'world/e.md': article('title: E\ndate: 2020-01-05 10:00'),
    'world/f.md': article('title: F\ndate: 2020-01-06 10:00\neditions: [zh]\nlanguage: zh-Hans'),
  };

  it('hold what names them, by the section (inherited by subsections and articles) or by the article itself', async () => {
    const site = await renderSite(await writeArticles(files));
    expect(errors(site)).toEqual([]);
    expect(titlesIn(site, '/editions/us/feed.json')).toEqual(['C', 'B', 'A']);
    expect(titlesIn(site, '/editions/zh/feed.json')).toEqual(['F', 'C']);
    expect(site.snapshot.collection('edition').map((e) => e.key)).toEqual(['editions/us', 'editions/zh']);
  });

  it('have pages in their language with their title, times in their zone, their feeds and their own OPML', async () => {
    const site = await renderSite(await writeArticles(files));
    const page = bodyOf(site, '/editions/us/');
    expect(page).toMatch(/^<!doctype html>\n<html lang="en-US">/);
    expect(page).toContain('<title>Test Site US</title>');
    expect(page).toContain('<h1>US</h1>');
    // 2020-01-03 10:00 UTC, as New York's clocks showed it.
    expect(page).toContain('<time datetime="2020-01-03T05:00:00-05:00">');
    expect(page).toContain('<link rel="alternate" type="application/rss+xml" title="Test Site US (RSS)" href="/editions/us/rss.xml">');
    expect(page).toContain('href="/editions/us/opml.xml"');
    expect(bodyOf(site, '/editions/zh/')).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    const atom = parseXml(bodyOf(site, '/editions/zh/atom.xml'));
    expect(atom.attributes.get('xml:lang')).toBe('zh-CN');
    const opml = bodyOf(site, '/editions/us/opml.xml');
    expect([...opml.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'https://feeds.example.com/editions/us/rss.xml',
      'https://feeds.example.com/us/rss.xml',
      'https://feeds.example.com/us/west/rss.xml',
    ]);
    expect(bodyOf(site, '/opml.xml')).toContain('xmlUrl="https://feeds.example.com/editions/zh/rss.xml"');
    const index = bodyOf(site, '/');
    expect(index).toContain('<a href="/editions/us/" lang="en-US">US</a>');
    expect(index).toContain('<a href="/editions/zh/" lang="zh-CN">中文</a>');
    expect(bodyOf(site, '/us/c/')).toContain('<p class="meta">Editions: <a href="/editions/us/" lang="en-US">US</a> · <a href="/editions/zh/" lang="zh-CN">中文</a></p>');
  });

  it('are checked: declarations, and every name a section or an article gives, each by path:line', async () => {
    const site = await renderSite(
      await writeArticles({
        '_index.md': `---
title: Test Site
base_url: https://feeds.example.com
timezone: UTC
editions:
  - key: us
    title: US
    language: en-US
  - key: U S
    title: Bad key
    language: en
  - key: eu
    title: No language
  - key: us
    title: Twice
    language: en
    colour: blue
  - just a name
---
`,
        'us/_index.md': '---\ntitle: US\neditions: [us, asia]\n---\n',
        'us/a.md': article('title: A\ndate: 2020-01-01 10:00\neditions: [mars]'),
        'us/b.md': article('title: B\ndate: 2020-01-01 10:00'),
      }),
    );
    expect(errors(site)).toEqual([
      'articles/_index.md:9: "editions" item 2: "key" is the edition\'s URL segment: write it as a slug, such as "u-s", not "U S"',
      'articles/_index.md:12: "editions" item 3: "language" is required',
      'articles/_index.md:14: "editions" item 4: the key "us" is already used by another edition',
      'articles/_index.md:18: "editions" item 5: must be a mapping {key, title, language, description, timezone}, not "just a name"',
      'articles/us/_index.md:3: "editions": the site has no edition "asia" (its editions: us)',
      'articles/us/a.md:4: "editions": the site has no edition "mars" (its editions: us)',
    ]);
    expect(site.problems.map(formatProblem)).toContain('articles/_index.md:17: warning: "editions" item 4: unknown key "colour" (known keys: key, title, language, description, timezone)');
    // The bad section setting is left out (B is in no edition); the good edition stays.
    expect(titlesIn(site, '/editions/us/feed.json')).toEqual([]);
  });
});

/** Every `<link rel="alternate" hreflang>` in the head, as parse5 reads the page. */
function hreflangLinks(html: string): Array<{ hreflang: string; href: string }> {
  const found: Array<{ hreflang: string; href: string }> = [];
  const visit = (node: DefaultTreeAdapterTypes.ParentNode) => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      const attrs = Object.fromEntries(child.attrs.map((a) => [a.name, a.value]));
      if (child.tagName === 'link' && attrs.rel === 'alternate' && attrs.hreflang) found.push({ hreflang: attrs.hreflang, href: attrs.href ?? '' });
      visit(child);
    }
  };
  const document = parse(html);
  const htmlElement = document.childNodes.find((n) => 'tagName' in n && n.tagName === 'html') as DefaultTreeAdapterTypes.Element;
  visit(htmlElement.childNodes.find((n) => 'tagName' in n && n.tagName === 'head') as DefaultTreeAdapterTypes.Element);
  return found;
}

describe('translations', () => {
  const files = {
    'news/en.md': article('title: Talks resume\ndate: 2020-01-01 10:00\ntranslation_key: talks'),
    'news/zh.md': article('title: 会谈恢复\ndate: 2020-01-01 11:00\nlanguage: zh-Hans\ntranslation_key: talks'),
    'news/fr.md': article('title: Reprise des pourparlers\ndate: 2020-01-01 12:00\nlanguage: fr\ntranslation_key: talks'),
    'other/en-again.md': article('title: Talks resume (copy)\ndate: 2020-01-02 10:00\ntranslation_key: talks'),
    'news/alone.md': article('title: Alone\ndate: 2020-01-03 10:00\ntranslation_key: talkz'),
  };
  const URL = (slug: string, section = 'news') => `https://feeds.example.com/${section}/${slug}/`;

  it('link every article of a group to every other in the HTML head, found by parse5, and in a visible list', async () => {
    const site = await renderSite(await writeArticles(files));
    const everyVersion = [
      { hreflang: 'en', href: URL('en') },
      { hreflang: 'fr', href: URL('fr') },
      { hreflang: 'zh-Hans', href: URL('zh') },
    ];
    for (const slug of ['en', 'zh', 'fr']) {
      const page = bodyOf(site, `/news/${slug}/`);
      // Every version, itself included, as hreflang annotations are written.
      expect(hreflangLinks(page).sort((a, b) => a.hreflang.localeCompare(b.hreflang)), slug).toEqual(everyVersion);
    }
    expect(bodyOf(site, '/news/en/')).toContain(
      `<p class="translations">Also in: <a href="${URL('fr')}" hreflang="fr" lang="fr">Reprise des pourparlers</a> <span class="meta">(fr)</span> · <a href="${URL('zh')}" hreflang="zh-Hans" lang="zh-Hans">会谈恢复</a> <span class="meta">(zh-Hans)</span></p>`,
    );
    expect(hreflangLinks(bodyOf(site, '/other/en-again/'))).toEqual([]);
    expect(hreflangLinks(bodyOf(site, '/news/alone/'))).toEqual([]);
  });

  it('link each entry to the others in Atom (rel="alternate" hreflang) and in JSON Feed (language, _translations)', async () => {
    const site = await renderSite(await writeArticles(files));
    const entries = childElements(parseXml(bodyOf(site, '/news/atom.xml')), ATOM_NS, 'entry');
    const byId = new Map(entries.map((e) => [textContent(childElement(e, ATOM_NS, 'id')!), e]));
    const alternates = (id: string) =>
      childElements(byId.get(id)!, ATOM_NS, 'link')
        .filter((l) => l.attributes.get('rel') === 'alternate')
        .map((l) => [l.attributes.get('hreflang'), l.attributes.get('href')]);
    expect(alternates(URL('en'))).toEqual([[undefined, URL('en')], ['fr', URL('fr')], ['zh-Hans', URL('zh')]]);
    expect(alternates(URL('zh'))).toEqual([[undefined, URL('zh')], ['en', URL('en')], ['fr', URL('fr')]]);
    expect(alternates(URL('alone'))).toEqual([[undefined, URL('alone')]]);
    // feedsmith reads them as links of the entry.
    const parsed = parseAtomFeed(bodyOf(site, '/news/atom.xml'));
    const zh = parsed.entries?.find((e) => e.id === URL('zh'));
    expect(zh?.links?.filter((l) => l.hreflang).map((l) => l.hreflang)).toEqual(['en', 'fr']);

    const json = JSON.parse(bodyOf(site, '/news/feed.json')) as { items: Array<Record<string, unknown>> };
    const item = json.items.find((i) => i.id === URL('zh'))!;
    expect(item.language).toBe('zh-Hans');
    expect(item._translations).toEqual({ en: { url: URL('en'), title: 'Talks resume' }, fr: { url: URL('fr'), title: 'Reprise des pourparlers' } });
    expect(json.items.find((i) => i.id === URL('alone'))).not.toHaveProperty('_translations');
  });

  it('are checked: a second translation in one language, and a key only one article uses', async () => {
    const site = await renderSite(await writeArticles(files));
    expect(site.problems.map(formatProblem)).toEqual([
      'articles/news/alone.md:4: warning: translation_key "talkz" is used by no other article, so it links no translation (a typo?)',
      'articles/other/en-again.md:4: warning: translation_key "talks": articles/news/en.md is already its en translation; one language has one translation, so this article is not linked',
    ]);
  });

  it('link the bundled site\'s English and Chinese Huawei articles both ways', async () => {
    const site = await renderSite(BUNDLED_ARTICLES);
    const en = '/china/world/huawei-ceo-proposes-negotiations-with-washington/';
    const zh = '/%E4%B8%AD%E6%96%87/%E5%8D%8E%E4%B8%BA%E6%80%BB%E8%A3%81%E6%84%BF%E4%B8%8E%E7%BE%8E%E6%96%B9%E8%B0%88%E5%88%A4/';
    const base = site.data.site.baseUrl;
    expect(hreflangLinks(bodyOf(site, en))).toEqual([{ hreflang: 'en', href: `${base}${en}` }, { hreflang: 'zh-Hans', href: `${base}${zh}` }]);
    expect(hreflangLinks(bodyOf(site, zh))).toEqual([{ hreflang: 'zh-Hans', href: `${base}${zh}` }, { hreflang: 'en', href: `${base}${en}` }]);
    const atom = bodyOf(site, '/tags/5g/atom.xml');
    expect(atom).toContain(`<link rel="alternate" type="text/html" hreflang="zh-Hans" title="华为总裁表示愿与美方谈判" href="${base}${zh}"/>`);
    expect(atom).toContain(`<link rel="alternate" type="text/html" hreflang="en" title="Huawei CEO proposes negotiations with Washington" href="${base}${en}"/>`);
  });
});

describe('reserved names', () => {
  it('tags, authors and editions are refused as top-level folders and articles, and allowed further down', async () => {
    const site = await renderSite(
      await writeArticles({
        'tags/a.md': article('title: A\ndate: 2020-01-01 10:00\ntags: [x]'),
        'authors/b.md': article('title: B\ndate: 2020-01-01 10:00'),
        'editions/_index.md': '---\ntitle: Editions\n---\n',
        'authors.md': article('title: C\ndate: 2020-01-01 10:00'),
        'news/tags/d.md': article('title: D\ndate: 2020-01-01 10:00'),
        'news/editions.md': article('title: E\ndate: 2020-01-01 10:00'),
      }),
    );
    expect(errors(site)).toEqual([
      'articles/authors:1: folder name "authors" is reserved at the top of the articles folder for the URLs /authors/…; its articles are left out (rename the folder)',
      'articles/authors.md:1: file name "authors.md" is reserved at the top of the articles folder for the URLs /authors/…: rename the file',
      'articles/editions:1: folder name "editions" is reserved at the top of the articles folder for the URLs /editions/…; its articles are left out (rename the folder)',
      'articles/tags:1: folder name "tags" is reserved at the top of the articles folder for the URLs /tags/…; its articles are left out (rename the folder)',
    ]);
    expect(site.data.articles.map((a) => a.title).sort()).toEqual(['D', 'E']);
    expect(lookup(site.snapshot, routeOf('/news/tags/d/'))).toMatchObject({ kind: 'found' });
    expect(lookup(site.snapshot, routeOf('/news/tags/rss.xml'))).toMatchObject({ kind: 'found' });
  });
});
