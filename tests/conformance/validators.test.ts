/**
 * The validators themselves: each must reject what its specification rejects, or the suites that
 * rely on them would pass vacuously. Broken documents are made by damaging real output.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_ARTICLES } from '../helpers/server.js';
import { renderSite, type RenderedSite } from '../helpers/site.js';
import {
  atomProblems,
  atomSchemaProblems,
  htmlSafetyProblems,
  jsonFeedProblems,
  libxml2Problems,
  opmlProblems,
  parseRfc3339,
  parseRfc822,
  rssProblems,
  xmlProblems,
} from '../helpers/validators.js';

let site: RenderedSite;
const body = (p: string) => site.resources.find((r) => r.path === p)?.rendered.body ?? '';
beforeAll(async () => {
  site = await renderSite(BUNDLED_ARTICLES);
});

describe('XML well-formedness', () => {
  it.each([
    ['a character XML forbids', (x: string) => x.replace('<generator>', '<generator>\u0001')],
    ['an undefined entity', (x: string) => x.replace('<generator>', '<generator>&nbsp;')],
    ['a bare ampersand', (x: string) => x.replace('<generator>', '<generator>a & b')],
    ['mismatched tags', (x: string) => x.replace('</generator>', '</generater>')],
    ['an undeclared prefix', (x: string) => x.replace('<generator>', '<foo:x/><generator>')],
    ['"<" in an attribute', (x: string) => x.replace('rel="self"', 'rel="<self"')],
    ['"]]>" in text', (x: string) => x.replace('<generator>', '<generator>]]>')],
    ['a repeated attribute', (x: string) => x.replace('rel="self"', 'rel="self" rel="self"')],
  ])('rejects %s, in-process and by libxml2', async (_, damage) => {
    const broken = damage(body('/china/world/atom.xml'));
    expect(xmlProblems(broken)).toHaveLength(1);
    expect((await libxml2Problems([{ label: 'broken', xml: broken }])).get('broken')?.length).toBeGreaterThan(0);
  });

  it('rejects a lone surrogate in-process (as UTF-8 it could only be sent as U+FFFD)', () => {
    expect(xmlProblems(body('/china/world/atom.xml').replace('<generator>', '<generator>\uD800'))).toHaveLength(1);
  });

  it('accepts the real documents, in-process and by libxml2', async () => {
    const documents = site.resources.filter((r) => r.rendered.contentType.includes('xml')).map((r) => ({ label: r.path, xml: r.rendered.body }));
    expect(documents.flatMap((d) => xmlProblems(d.xml))).toEqual([]);
    expect(Object.fromEntries(await libxml2Problems(documents))).toEqual({});
  });
});

describe('Atom against RFC 4287', () => {
  it.each([
    ['an entry without an id', (x: string) => x.replace(/<entry><id>[^<]*<\/id>/, '<entry>')],
    ['an impossible date', (x: string) => x.replace(/<updated>[^<]*<\/updated>/, '<updated>2019-02-30T00:00:00Z</updated>')],
    ['year 0000', (x: string) => x.replace(/<updated>[^<]*<\/updated>/, '<updated>0000-12-31T00:00:00Z</updated>')],
    ['an offset beyond ±14:00', (x: string) => x.replace(/<updated>[^<]*<\/updated>/, '<updated>2019-01-01T00:00:00+16:00</updated>')],
    ['a bad xml:lang', (x: string) => x.replace('xml:lang="en"', 'xml:lang="en_US"')],
    ['an unknown Atom element', (x: string) => x.replace('<generator>', '<bogus/><generator>')],
    ['a text construct of an unknown type', (x: string) => x.replace('<title type="text">', '<title type="plain">')],
    ['a link without href', (x: string) => x.replace(/<link rel="alternate" type="text\/html" href="[^"]*"\/>/, '<link rel="alternate"/>')],
  ])('the RELAX NG schema rejects %s', async (_, damage) => {
    const problems = await atomSchemaProblems([{ label: 'broken', xml: damage(body('/china/world/atom.xml')) }]);
    expect(problems.get('broken')?.length).toBeGreaterThan(0);
  });

  it('the rules outside the schema: authors, alternate links, ids, self link', () => {
    const atom = body('/china/world/atom.xml');
    const noAuthors = atom.replace(/<author>.*?<\/author>/g, '');
    expect(atomProblems(noAuthors)).toContain('entry 1: no atom:author and the feed has none');
    // Its alternate links (the seed article's translation's too) and its content taken out of the first entry.
    const noLink = atom.replace(/<entry>.*?<\/entry>/s, (entry) => entry.replace(/<link rel="alternate"[^>]*\/>/g, '').replace(/<content[^>]*>.*?<\/content>/s, ''));
    expect(atomProblems(noLink)).toContain('entry 1: neither an alternate link nor atom:content');
    expect(atomProblems(atom.replace(/<entry><id>[^<]*<\/id>/, '<entry><id>not absolute</id>'))).toContain('entry 1: atom:id "not absolute" is not an absolute IRI');
    expect(atomProblems(atom.replace(/<link rel="self"[^>]*\/>/, ''))).toContain('feed: 0 links rel="self", expected 1');
    expect(atomProblems(atom, 'http://127.0.0.1:8787/other.xml')).toHaveLength(1);
    expect(atomProblems(atom, 'http://127.0.0.1:8787/china/world/atom.xml')).toEqual([]);
  });
});

describe('RSS 2.0', () => {
  it.each([
    ['no channel description', (x: string) => x.replace(/<description>[^<]*<\/description><language>/, '<language>'), 'channel: required <description> missing'],
    ['an RFC 3339 pubDate', (x: string) => x.replace(/<pubDate>[^<]*<\/pubDate>/, '<pubDate>2019-09-12T07:47:00+08:00</pubDate>'), 'is not an RFC 822 date'],
    ['a weekday that contradicts the date', (x: string) => x.replace(/<pubDate>[^<]*<\/pubDate>/, '<pubDate>Mon, 12 Sep 2019 07:47:00 +0800</pubDate>'), 'is not an RFC 822 date'],
    ['a permalink guid that is no URL', (x: string) => x.replace(/<guid isPermaLink="true">[^<]*<\/guid>/, '<guid>tag:x,2019:y</guid>'), 'is a permalink but not an absolute http(s) URL'],
    ['no atom:link rel=self', (x: string) => x.replace(/<atom:link [^>]*rel="self"[^>]*\/>/, ''), '0 atom:link rel="self"'],
    ['an item with neither title nor description', (x: string) => x.replace(/<item><title>[^<]*<\/title>/, '<item>').replace(/<description>Ren[^<]*<\/description>/, ''), 'needs a <title> or a <description>'],
    ['an element RSS 2.0 does not have', (x: string) => x.replace('<item>', '<item><summary>x</summary>'), 'is not an RSS 2.0 item element'],
    ['a bad author', (x: string) => x.replace('<dc:creator>', '<author>Ai Heping</author><dc:creator>'), 'is not "e-mail (name)"'],
  ])('rejects %s', (_, damage, message) => {
    const problems = rssProblems(damage(body('/china/world/rss.xml')));
    expect(problems.some((p) => p.includes(message)), JSON.stringify(problems)).toBe(true);
  });
});

describe('JSON Feed 1.1', () => {
  const feed = () => JSON.parse(body('/china/world/feed.json')) as Record<string, unknown> & { items: Array<Record<string, unknown>> };
  it.each([
    ['no items', (f: ReturnType<typeof feed>) => ({ ...f, items: undefined })],
    ['version 1', (f: ReturnType<typeof feed>) => ({ ...f, version: 'https://jsonfeed.org/version/1' })],
    ['an item without content', (f: ReturnType<typeof feed>) => ({ ...f, items: f.items.map(({ content_html: _, ...rest }) => rest) })],
    ['a date that is not RFC 3339', (f: ReturnType<typeof feed>) => ({ ...f, items: f.items.map((i) => ({ ...i, date_published: '2019-09-12 07:47' })) })],
    ['a URL that is no URI', (f: ReturnType<typeof feed>) => ({ ...f, items: f.items.map((i) => ({ ...i, url: 'https://example.com/%zz' })) })],
    ['an unknown field', (f: ReturnType<typeof feed>) => ({ ...f, favourite: true })],
    ['an empty author', (f: ReturnType<typeof feed>) => ({ ...f, authors: [{}] })],
  ])('rejects %s', (_, damage) => {
    expect(jsonFeedProblems(JSON.stringify(damage(feed()))).length).toBeGreaterThan(0);
  });

  it('accepts the real feed and an extension field', () => {
    expect(jsonFeedProblems(JSON.stringify({ ...feed(), _feedgen: { any: 'thing' } }))).toEqual([]);
  });
});

describe('OPML 2.0', () => {
  it('rejects an outline without xmlUrl', () => {
    const opml = body('/opml.xml').replace(/ xmlUrl="[^"]*"/, '');
    expect(opmlProblems(opml).some((p) => p.includes('xmlUrl'))).toBe(true);
  });
});

describe('HTML safety', () => {
  const page = (inner: string) => `<!doctype html><html lang="en"><head><title>x</title></head><body><main>${inner}</main></body></html>`;
  it.each([
    '<script>alert(1)</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" JAVASCRIPT:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
    '<iframe src="//evil.example"></iframe>',
    '<object data="x"></object>',
    '<embed src="x">',
    '<base href="//evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<svg><script>alert(1)</script></svg>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<img src="x.png" srcset="x.png 1x, javascript:alert(1) 2x">',
    '<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>',
    '<iframe src="https://youtube-nocookie.com.evil.example/embed/x"></iframe>',
    '<video poster="javascript:alert(1)" controls></video>',
    '<source srcset="data:text/html,x 1x">',
  ])('flags %s', (html) => {
    expect(htmlSafetyProblems(page(html)).length).toBeGreaterThan(0);
  });

  it('passes what markdown-it and the templates write, and the raw HTML an article may keep', () => {
    expect(htmlSafetyProblems(page('<p><a href="https://x.example/">a</a> <img src="data:image/png;base64,AAAA" alt="i"> <code>&lt;script&gt;</code></p>'))).toEqual([]);
    const kept = '<figure><img src="https://x.example/a.jpg" srcset="https://x.example/a.jpg 1x, https://x.example/b,c.jpg 2x" alt=""><figcaption>c</figcaption></figure>' +
      '<iframe src="https://www.youtube-nocookie.com/embed/x" allowfullscreen></iframe><video controls poster="https://x.example/p.jpg"><track src="https://x.example/s.vtt"></video>';
    expect(htmlSafetyProblems(page(kept))).toEqual([]);
    expect(htmlSafetyProblems(page(kept), ['example.org'])).toEqual(['<iframe> of https://www.youtube-nocookie.com/embed/x, not an https URL on an embed host']);
    expect(site.resources.filter((r) => r.rendered.contentType.startsWith('text/html')).flatMap((r) => htmlSafetyProblems(r.rendered.body))).toEqual([]);
  });
});

describe('date parsers of the checks', () => {
  it('read RFC 822 and RFC 3339 strictly', () => {
    expect(parseRfc822('Thu, 12 Sep 2019 07:47:00 +0800')).toBe(Date.UTC(2019, 8, 11, 23, 47));
    expect(parseRfc822('12 Sep 2019 07:47 GMT')).toBe(Date.UTC(2019, 8, 12, 7, 47));
    expect(parseRfc822('Fri, 12 Sep 2019 07:47:00 +0800')).toBeUndefined();
    expect(parseRfc822('Thu, 12 Sep 19 07:47:00 +0800')).toBeUndefined();
    expect(parseRfc3339('2019-09-12T07:47:00.5+08:00')).toBe(Date.UTC(2019, 8, 11, 23, 47, 0, 500));
    expect(parseRfc3339('2019-09-12t07:47:00z')).toBeUndefined();
    expect(parseRfc3339('2019-02-29T00:00:00Z')).toBeUndefined();
  });
});
