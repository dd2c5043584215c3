/**
 * Summary feeds (`content: summary`) carry the summary or the first paragraph and a link, and no
 * body, as real parsers read them, even when the same articles' full entries were rendered first
 * into the same entry cache. Archives carry summaries unless `archive_content: full`. Icons and
 * logos reach every format and the HTML pages.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { parse as parseHtml, type DefaultTreeAdapterTypes } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { EntryCache } from '../../src/feeds/entries.js';
import type { FeedFormat } from '../../src/feeds/formats.js';
import { renderResource } from '../../src/publish/render.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { SITE_INDEX, article, writeArticles } from '../helpers/articles.js';
import { chunksToText } from '../helpers/chunks.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';
import { renderSite } from '../helpers/site.js';
import { atomSchemaProblems, jsonFeedProblems, rssProblems } from '../helpers/validators.js';

const BASE = 'https://feeds.example.com';
let snapshot: SiteSnapshot;

beforeAll(async () => {
  const dir = await writeArticles({
    '_index.md': SITE_INDEX.replace('---\n', '---\nicon: media/icon.png\n'),
    'brief/_index.md': '---\ntitle: Brief\ncontent: summary\nlogo: logo.png\n---\n',
    'brief/with-summary.md': article('title: With summary\ndate: 2024-01-03 10:00\nsummary: "A <summary> & more"', 'The body.\n\nMore body.'),
    'brief/first-paragraph.md': article('title: First paragraph\ndate: 2024-01-02 10:00', '## A heading\n\nThe **first** paragraph,\nin [two](other/) lines & 1 < 2.\n\nThe second paragraph.'),
    'brief/no-paragraph.md': article('title: No paragraph\ndate: 2024-01-01 10:00', '- only\n- a list'),
  });
  const { data } = await loadSite(dir);
  snapshot = new SiteSnapshot(data!);
});

/** Renders the feeds of `scopes` in that order with one entry cache, as the build and the server share one. */
function render(order: Array<'brief' | 'site'>, entries = new EntryCache()): Record<string, string> {
  const bodies: Record<string, string> = {};
  for (const name of order) {
    const scope = snapshot.scope(name === 'site' ? { kind: 'site' } : { kind: 'section', section: ['brief'] })!;
    for (const format of ['rss', 'atom', 'json'] as FeedFormat[]) {
      bodies[`${name}.${format}`] = chunksToText(renderResource(snapshot, { kind: 'feed', scope, format }, entries).chunks);
    }
  }
  return bodies;
}

const FIRST_PARAGRAPH_HTML = `<p>The <strong>first</strong> paragraph,\nin <a href="${BASE}/brief/first-paragraph/other/">two</a> lines &amp; 1 &lt; 2.</p>`;

describe.each([
  ['the summary feed first', ['brief', 'site'] as Array<'brief' | 'site'>],
  ['the full feed first', ['site', 'brief'] as Array<'brief' | 'site'>],
])('a summary section, rendered with %s into one entry cache', (_, order) => {
  let bodies: Record<string, string>;
  beforeAll(() => {
    bodies = render(order);
  });

  it('is valid in every format', async () => {
    expect(rssProblems(bodies['brief.rss']!)).toEqual([]);
    expect(jsonFeedProblems(bodies['brief.json']!)).toEqual([]);
    expect(Object.fromEntries(await atomSchemaProblems([{ label: 'brief', xml: bodies['brief.atom']! }]))).toEqual({});
  });

  it('RSS: the summary as escaped text or the first paragraph as HTML, a link, and no content:encoded', () => {
    const items = parseRssFeed(bodies['brief.rss']!).items ?? [];
    expect(items.map((i) => [i.title, i.link, i.description, i.content?.encoded])).toEqual([
      ['With summary', `${BASE}/brief/with-summary/`, 'A &lt;summary&gt; &amp; more', undefined],
      ['First paragraph', `${BASE}/brief/first-paragraph/`, FIRST_PARAGRAPH_HTML, undefined],
      ['No paragraph', `${BASE}/brief/no-paragraph/`, undefined, undefined],
    ]);
    const rm = parseFeed(bodies['brief.rss']!);
    expect(rm.items.map((i) => [i.url, i.content])).toEqual([
      [`${BASE}/brief/with-summary/`, null],
      [`${BASE}/brief/first-paragraph/`, null],
      [`${BASE}/brief/no-paragraph/`, null],
    ]);
    expect(bodies['brief.rss']).not.toContain('second paragraph');
  });

  it('Atom: a text or HTML summary, an alternate link, and no content', () => {
    const entries = parseAtomFeed(bodies['brief.atom']!).entries ?? [];
    expect(entries.map((e) => [e.links?.[0]?.href, e.summary, e.content])).toEqual([
      [`${BASE}/brief/with-summary/`, { value: 'A <summary> & more', type: 'text' }, undefined],
      [`${BASE}/brief/first-paragraph/`, { value: FIRST_PARAGRAPH_HTML, type: 'html' }, undefined],
      [`${BASE}/brief/no-paragraph/`, undefined, undefined],
    ]);
    expect(parseFeed(bodies['brief.atom']!).items.map((i) => i.content)).toEqual([null, null, null]);
  });

  it('JSON Feed: summary and content_text, no content_html', () => {
    const items = parseJsonFeed(JSON.parse(bodies['brief.json']!)).items ?? [];
    expect(items.map((i) => [i.url, i.summary, i.content_text, i.content_html])).toEqual([
      [`${BASE}/brief/with-summary/`, 'A <summary> & more', 'A <summary> & more', undefined],
      [`${BASE}/brief/first-paragraph/`, 'The first paragraph, in two lines & 1 < 2.', 'The first paragraph, in two lines & 1 < 2.', undefined],
      [`${BASE}/brief/no-paragraph/`, undefined, undefined, undefined],
    ]);
    expect(JSON.parse(bodies['brief.json']!).items[2].content_text).toBe('');
  });

  it('leaves the site\'s full feed with every body', () => {
    const bodiesOf = snapshot.root.items.map((a) => a.html.trim());
    expect(bodiesOf).toHaveLength(3);
    expect(bodiesOf[2]).toBe('<ul>\n<li>only</li>\n<li>a list</li>\n</ul>');
    expect(parseRssFeed(bodies['site.rss']!).items?.map((i) => i.content?.encoded)).toEqual(bodiesOf);
    expect(parseAtomFeed(bodies['site.atom']!).entries?.map((e) => e.content?.value)).toEqual(bodiesOf);
    expect(parseJsonFeed(JSON.parse(bodies['site.json']!)).items?.map((i) => i.content_html)).toEqual(bodiesOf);
  });
});

describe('archives (archive_content)', () => {
  /** The site's archive 1 and subscription document in each format, with `extra` in the site's _index.md. */
  async function archiveAndCurrent(extra: string): Promise<Record<string, string>> {
    const dir = await writeArticles({
      '_index.md': SITE_INDEX.replace('---\n', `---\nfeed_limit: 1\narchive_size: 2\n${extra}`),
      'news/one.md': article('title: One\ndate: 2024-01-01 10:00\nsummary: The first', 'Body one.'),
      'news/two.md': article('title: Two\ndate: 2024-01-02 10:00', 'Body two.\n\nMore of two.'),
      'news/three.md': article('title: Three\ndate: 2024-01-03 10:00', 'Body three.'),
    });
    const { data } = await loadSite(dir);
    const site = new SiteSnapshot(data!);
    const bodies: Record<string, string> = {};
    const entries = new EntryCache();
    for (const format of ['rss', 'atom', 'json'] as FeedFormat[]) {
      bodies[`archive.${format}`] = chunksToText(renderResource(site, { kind: 'feed', scope: site.root, format, archive: 1 }, entries).chunks);
      bodies[`current.${format}`] = chunksToText(renderResource(site, { kind: 'feed', scope: site.root, format }, entries).chunks);
    }
    return bodies;
  }

  it('carry summaries by default, valid in every format, while the subscription document keeps the bodies', async () => {
    const bodies = await archiveAndCurrent('');
    expect(rssProblems(bodies['archive.rss']!)).toEqual([]);
    expect(jsonFeedProblems(bodies['archive.json']!)).toEqual([]);
    expect(Object.fromEntries(await atomSchemaProblems([{ label: 'archive', xml: bodies['archive.atom']! }]))).toEqual({});
    expect(parseRssFeed(bodies['archive.rss']!).items?.map((i) => [i.title, i.description, i.content?.encoded])).toEqual([
      ['Two', '<p>Body two.</p>', undefined],
      ['One', 'The first', undefined],
    ]);
    expect(parseAtomFeed(bodies['archive.atom']!).entries?.map((e) => e.content)).toEqual([undefined, undefined]);
    expect(parseJsonFeed(JSON.parse(bodies['archive.json']!)).items?.map((i) => [i.content_text, i.content_html])).toEqual([
      ['Body two.', undefined],
      ['The first', undefined],
    ]);
    expect(parseRssFeed(bodies['current.rss']!).items?.map((i) => i.content?.encoded?.trim())).toEqual(['<p>Body three.</p>']);
  });

  it('carry what their scope\'s feeds carry with archive_content: full', async () => {
    const bodies = await archiveAndCurrent('archive_content: full\n');
    expect(parseRssFeed(bodies['archive.rss']!).items?.map((i) => i.content?.encoded?.trim())).toEqual(['<p>Body two.</p>\n<p>More of two.</p>', '<p>Body one.</p>']);
    expect(parseAtomFeed(bodies['archive.atom']!).entries?.map((e) => e.content?.value?.trim())).toEqual(['<p>Body two.</p>\n<p>More of two.</p>', '<p>Body one.</p>']);
    expect(Object.fromEntries(await atomSchemaProblems([{ label: 'archive', xml: bodies['archive.atom']! }]))).toEqual({});
  });
});

describe('icons and logos', () => {
  it('reach each format of a section that sets its own logo and inherits the site\'s icon', () => {
    const bodies = render(['brief']);
    expect(parseAtomFeed(bodies['brief.atom']!)).toMatchObject({ icon: `${BASE}/media/icon.png`, logo: `${BASE}/brief/logo.png` });
    expect(parseRssFeed(bodies['brief.rss']!).image).toEqual({ url: `${BASE}/brief/logo.png`, title: 'Brief | Test Site', link: `${BASE}/brief/` });
    expect(parseJsonFeed(JSON.parse(bodies['brief.json']!))).toMatchObject({ icon: `${BASE}/brief/logo.png`, favicon: `${BASE}/media/icon.png` });
  });

  it('of the bundled site: an SVG icon and a PNG logo, which RSS 2.0 can show', async () => {
    const site = await renderSite(BUNDLED_ARTICLES);
    const body = (p: string) => site.resources.find((r) => r.path === p)!.rendered.body;
    const base = 'http://127.0.0.1:8787';
    expect(parseAtomFeed(body('/atom.xml'))).toMatchObject({ icon: `${base}/media/icon.svg`, logo: `${base}/media/logo.png` });
    expect(parseRssFeed(body('/rss.xml')).image).toEqual({ url: `${base}/media/logo.png`, title: 'World Desk', link: `${base}/` });
    expect(parseFeed(body('/rss.xml')).image?.url).toBe(`${base}/media/logo.png`);
    expect(parseJsonFeed(JSON.parse(body('/feed.json')))).toMatchObject({ icon: `${base}/media/logo.png`, favicon: `${base}/media/icon.svg` });
    for (const page of ['/', '/china/world/', '/china/world/huawei-ceo-proposes-negotiations-with-washington/']) {
      expect(iconLinks(body(page)), page).toEqual([`${base}/media/icon.svg`]);
    }
  });
});

/** The href of every <link rel="icon"> in the page's head, as a browser's parser reads them. */
function iconLinks(html: string): string[] {
  const document = parseHtml(html);
  const htmlElement = document.childNodes.find((n): n is DefaultTreeAdapterTypes.Element => 'tagName' in n && n.tagName === 'html')!;
  const head = htmlElement.childNodes.find((n): n is DefaultTreeAdapterTypes.Element => 'tagName' in n && n.tagName === 'head')!;
  return head.childNodes
    .filter((n): n is DefaultTreeAdapterTypes.Element => 'tagName' in n && n.tagName === 'link' && n.attrs.some((a) => a.name === 'rel' && a.value === 'icon'))
    .map((n) => n.attrs.find((a) => a.name === 'href')?.value ?? '');
}

describe("an article's lead image (image:)", () => {
  it('is its Atom entry\'s picture (Media RSS media:thumbnail), not an enclosure: two parsers read it so, and the feed stays valid', async () => {
    const dir = await writeArticles({
      'news/harbour.md': article('title: Harbour reopens\ndate: 2024-01-02 10:00\nimage: harbour.jpg\nenclosures: [{ url: "https://cdn.example.com/report.mp3", type: audio/mpeg, length: 9 }]'),
      'news/harbour/harbour.jpg': 'JPEG',
      'other/plain.md': article('title: Plain\ndate: 2024-01-01 10:00'),
    });
    const site = await renderSite(dir);
    const atom = site.resources.find((r) => r.path === '/news/atom.xml')!.rendered.body;
    expect(Object.fromEntries(await atomSchemaProblems([{ label: 'atom', xml: atom }]))).toEqual({});
    const image = `${BASE}/news/harbour/harbour.jpg`;
    const [harbour] = parseFeed(atom).items;
    expect(harbour?.image?.url).toBe(image);
    expect(harbour?.media.map((m) => m.url)).toEqual(['https://cdn.example.com/report.mp3']);
    const [entry] = parseAtomFeed(atom).entries ?? [];
    expect(entry?.media?.thumbnails?.map((t) => t.url)).toEqual([image]);
    expect(entry?.links?.filter((l) => l.rel === 'enclosure').map((l) => l.href)).toEqual(['https://cdn.example.com/report.mp3']);
    // A feed without images declares no Media RSS namespace.
    const other = site.resources.find((r) => r.path === '/other/atom.xml')!.rendered.body;
    expect(parseFeed(other).items[0]?.image).toBeNull();
    expect(other).not.toContain('xmlns:media');
  });
});
