/**
 * Raw HTML that newsrooms write is kept as real elements in every format and on the article page,
 * made safe by the allowlist, with relative URLs made absolute; `check` names what it removed and
 * where; and the site's Content-Security-Policy allows every URL the kept elements load.
 */
import { parse as parseHtml, parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/model.js';
import { article, writeArticles } from '../helpers/articles.js';
import { startServer } from '../helpers/server.js';
import { renderSite, type RenderedSite } from '../helpers/site.js';
import { ATOM_NS, htmlSafetyProblems } from '../helpers/validators.js';
import { childElement, childElements, parseXml, textContent } from '../helpers/xml.js';

type HtmlNode = DefaultTreeAdapterTypes.Node;
type HtmlElement = DefaultTreeAdapterTypes.Element;

const CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
const ARTICLE_URL = 'https://feeds.example.com/news/river/';

const FIGURE =
  '<figure>\n  <img src="photo.jpg" srcset="photo-640.jpg 640w, /img/photo-1280.jpg 1280w" sizes="(max-width: 640px) 100vw, 640px" alt="The river at dawn" width="640" height="427">\n' +
  '  <figcaption>The river at dawn. <abbr title="Photograph">Ph.</abbr> A. Writer</figcaption>\n</figure>';

const BODY = [
  'A paragraph of Markdown with H<sub>2</sub>O, E = mc<sup>2</sup> and a line<br>break.',
  FIGURE,
  '<picture>\n<source srcset="wide.webp" type="image/webp" media="(min-width: 800px)">\n<img src="narrow.jpg" alt="Narrow">\n</picture>',
  '<video controls poster="poster.jpg" width="640"><source src="clip.mp4" type="video/mp4"><track src="clip.vtt" kind="subtitles" srclang="en" label="English"></video>',
  '<audio controls src="https://media.example.net/episode.mp3"></audio>',
  '<iframe src="https://www.youtube-nocookie.com/embed/abc123" width="560" height="315" title="Video" allowfullscreen></iframe>',
  '<table>\n<caption>Results</caption>\n<thead><tr><th scope="col">Team</th><th>Points</th></tr></thead>\n<tbody><tr><td>A</td><td>3</td></tr></tbody>\n</table>',
  'Then what is refused:\n\n<script>alert(1)</script>',
  '<p style="color:red" onclick="alert(1)">Styled</p>',
  '<iframe src="https://ads.example.com/frame"></iframe>',
].join('\n\n');

function isElement(node: HtmlNode): node is HtmlElement {
  return 'tagName' in node;
}

function* elements(node: HtmlNode): Generator<HtmlElement> {
  if (isElement(node)) yield node;
  if ('childNodes' in node) for (const child of node.childNodes) yield* elements(child);
}

const attribute = (element: HtmlElement, name: string) => element.attrs.find((a) => a.name === name)?.value;
const childTags = (element: HtmlElement) => element.childNodes.filter(isElement).map((child) => child.tagName);

/** The article's HTML as each format carries it, read back by an XML parser or JSON.parse. */
function carriedHtml(site: RenderedSite): Array<[where: string, html: string]> {
  const body = (path: string) => site.resources.find((r) => r.path === path)?.rendered.body ?? '';
  const rss = parseXml(body('/news/rss.xml'));
  const item = childElements(childElements(rss)[0]!, '', 'item')[0]!;
  const atom = parseXml(body('/news/atom.xml'));
  const entry = childElement(atom, ATOM_NS, 'entry')!;
  const json = JSON.parse(body('/news/feed.json')) as { items: Array<{ content_html: string }> };
  return [
    ['RSS content:encoded', textContent(childElement(item, CONTENT_NS, 'encoded')!)],
    ['RSS description', textContent(childElement(item, '', 'description')!)],
    ['Atom content', textContent(childElement(entry, ATOM_NS, 'content')!)],
    ['JSON Feed content_html', json.items[0]!.content_html],
    ['article page', body('/news/river/')],
  ];
}

let dir: string;
let site: RenderedSite;
beforeAll(async () => {
  dir = await writeArticles({ 'news/river.md': article('title: The river\ndate: 2020-01-01 10:00', BODY) });
  site = await renderSite(dir);
});

describe('raw HTML in an article', () => {
  it('comes out as real elements in every format: a figure holding an image and its caption', () => {
    for (const [where, html] of carriedHtml(site)) {
      const tree = where === 'article page' ? parseHtml(html) : parseFragment(html);
      const all = [...elements(tree)];
      const figure = all.find((e) => e.tagName === 'figure');
      expect(figure, where).toBeDefined();
      expect(childTags(figure!), where).toEqual(['img', 'figcaption']);
      const img = figure!.childNodes.filter(isElement)[0]!;
      expect(attribute(img, 'src'), where).toBe(`${ARTICLE_URL}photo.jpg`);
      expect(attribute(img, 'srcset'), where).toBe(`${ARTICLE_URL}photo-640.jpg 640w, https://feeds.example.com/img/photo-1280.jpg 1280w`);
      expect(attribute(img, 'sizes'), where).toBe('(max-width: 640px) 100vw, 640px');
      expect(attribute(img, 'alt'), where).toBe('The river at dawn');
      expect([attribute(img, 'width'), attribute(img, 'height')], where).toEqual(['640', '427']);
      expect(childTags(figure!.childNodes.filter(isElement)[1]!), where).toEqual(['abbr']);
      const tags = new Set(all.map((e) => e.tagName));
      for (const kept of ['sub', 'sup', 'br', 'picture', 'source', 'video', 'track', 'audio', 'iframe', 'table', 'caption', 'thead', 'th', 'td']) {
        expect(tags.has(kept), `${where}: <${kept}>`).toBe(true);
      }
      for (const dropped of ['script']) expect(tags.has(dropped), `${where}: <${dropped}>`).toBe(false);
      expect(all.filter((e) => e.tagName === 'iframe').map((e) => attribute(e, 'src')), where).toEqual(['https://www.youtube-nocookie.com/embed/abc123']);
      expect(all.some((e) => e.attrs.some((a) => a.name === 'onclick' || (a.name === 'style' && e.tagName === 'p'))), where).toBe(false);
      expect(htmlSafetyProblems(where === 'article page' ? html : `<!doctype html><html><body>${html}</body></html>`), where).toEqual([]);
    }
  });

  it('makes every URL of the kept media absolute against the article', () => {
    const html = site.data.articles[0]!.html;
    expect(html).toContain(`<source srcset="${ARTICLE_URL}wide.webp" type="image/webp" media="(min-width: 800px)" />`);
    expect(html).toContain(`<video controls poster="${ARTICLE_URL}poster.jpg" width="640"><source src="${ARTICLE_URL}clip.mp4" type="video/mp4" />`);
    expect(html).toContain(`<track src="${ARTICLE_URL}clip.vtt" kind="subtitles" srclang="en" label="English" />`);
  });

  it('is reported by check where something was removed: what, and the line of the body', () => {
    // (The files it names beside it are not there either: tests/content/bundles.test.ts.)
    expect(site.problems.map(formatProblem).filter((line) => line.includes('raw HTML'))).toEqual([
      // The body starts on line 6; the script is its 27th line.
      'articles/news/river.md:32: warning: raw HTML: removed <script>: not on the allowlist',
      'articles/news/river.md:34: warning: raw HTML: removed style on <p>: not on the allowlist',
      'articles/news/river.md:34: warning: raw HTML: removed onclick on <p>: not on the allowlist',
      'articles/news/river.md:36: warning: raw HTML: removed <iframe src="https://ads.example.com/frame">: embed_hosts allows https embeds from youtube-nocookie.com, player.vimeo.com only',
    ]);
  });

  it('keeps iframes only from the hosts embed_hosts names', async () => {
    const own = await writeArticles({
      '_index.md': '---\ntitle: T\nbase_url: https://feeds.example.com\ntimezone: UTC\nembed_hosts: [Video.Example.ORG]\n---\n',
      'news/a.md': article('title: A\ndate: 2020-01-01 10:00', '<iframe src="https://player.video.example.org/1"></iframe>\n\n<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>'),
      'news/b.md': article('title: B\ndate: 2020-01-01 10:00', '<iframe src="http://video.example.org/insecure"></iframe>'),
    });
    const rendered = await renderSite(own);
    expect(rendered.data.site.embedHosts).toEqual(['video.example.org']);
    const html = (slug: string) => rendered.data.articles.find((a) => a.slug === slug)!.html;
    expect(html('a').trim()).toBe('<iframe src="https://player.video.example.org/1"></iframe>');
    expect(html('b').trim()).toBe('');
    expect(rendered.problems.map(formatProblem)).toEqual([
      'articles/news/a.md:8: warning: raw HTML: removed <iframe src="https://www.youtube-nocookie.com/embed/x">: embed_hosts allows https embeds from video.example.org only',
      'articles/news/b.md:6: warning: raw HTML: removed <iframe src="http://video.example.org/insecure">: embed_hosts allows https embeds from video.example.org only',
    ]);
    const none = await writeArticles({
      '_index.md': '---\ntitle: T\nbase_url: https://feeds.example.com\ntimezone: UTC\nembed_hosts: []\n---\n',
      'news/a.md': article('title: A\ndate: 2020-01-01 10:00', '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>'),
    });
    expect((await renderSite(none)).problems.map(formatProblem)).toEqual([
      'articles/news/a.md:6: warning: raw HTML: removed <iframe src="https://www.youtube-nocookie.com/embed/x">: embed_hosts allows no embeds',
    ]);
  });

  it('refuses an embed_hosts entry that is not a host name', async () => {
    const bad = await writeArticles({
      '_index.md': '---\ntitle: T\nbase_url: https://feeds.example.com\ntimezone: UTC\nembed_hosts: [player.vimeo.com, "https://www.youtube.com/embed"]\n---\n',
      'news/a.md': article('title: A\ndate: 2020-01-01 10:00'),
    });
    const { problems } = await renderSite(bad);
    expect(problems.map(formatProblem)).toEqual(['articles/_index.md:5: "embed_hosts" lists host names such as player.vimeo.com, not "https://www.youtube.com/embed"']);
  });
});

/** CSP Level 3 source-list matching, for the source expressions a policy may hold here. */
function allows(policy: string, directive: string, url: string): boolean {
  const directives = new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources]));
  const sources = directives.get(directive) ?? directives.get('default-src') ?? [];
  const target = new URL(url);
  return sources.some((source) => {
    if (source === "'none'") return false;
    if (source === '*') return ['http:', 'https:', 'ws:', 'wss:'].includes(target.protocol);
    if (/^[a-z][a-z0-9+.-]*:$/.test(source)) return target.protocol === source;
    const host = /^(https?):\/\/(\*\.)?([^/:]+)$/.exec(source);
    if (!host) throw new Error(`a source expression this check does not know: ${source}`);
    const [, scheme, wildcard, name = ''] = host;
    if (target.protocol !== `${scheme}:` && !(scheme === 'http' && target.protocol === 'https:')) return false;
    return wildcard ? target.hostname.endsWith(`.${name}`) : target.hostname === name;
  });
}

describe("the site's Content-Security-Policy", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer(dir, 'https://feeds.example.com');
  });
  afterAll(() => server.close());

  it('allows every image, medium and frame the article page keeps, and no other frame', async () => {
    const response = await fetch(`${server.url}/news/river/`);
    const policy = response.headers.get('content-security-policy')!;
    const page = parseHtml(await response.text());
    const loads: Array<[directive: string, url: string]> = [];
    for (const element of elements(page)) {
      const src = attribute(element, 'src');
      const srcset = (attribute(element, 'srcset') ?? '').split(',').map((c) => c.trim().split(/\s+/)[0] ?? '').filter(Boolean);
      const poster = attribute(element, 'poster');
      const inPicture = element.tagName === 'source' && element.parentNode && isElement(element.parentNode) && element.parentNode.tagName === 'picture';
      if (element.tagName === 'img' || inPicture) for (const url of [src, ...srcset]) if (url) loads.push(['img-src', url]);
      if (['video', 'audio', 'track'].includes(element.tagName) || (element.tagName === 'source' && !inPicture)) if (src) loads.push(['media-src', src]);
      if (poster) loads.push(['img-src', poster]);
      if (element.tagName === 'iframe' && src) loads.push(['frame-src', src]);
    }
    expect(loads.map(([directive]) => directive).sort()).toEqual([
      ...Array(5).fill('img-src'), // figure img (src + 2 srcset), picture source, picture img
      'img-src', // the poster
      ...Array(3).fill('media-src'), // video source, track, audio
      'frame-src',
    ].sort());
    for (const [directive, url] of loads) expect(allows(policy, directive, url), `${directive} ${url}`).toBe(true);
    expect(allows(policy, 'frame-src', 'https://ads.example.com/frame')).toBe(false);
    expect(allows(policy, 'frame-src', 'https://youtube-nocookie.com.evil.example/x')).toBe(false);
    expect(allows(policy, 'script-src', 'https://feeds.example.com/x.js')).toBe(false);
  });

  it('allows no frames on error pages', async () => {
    const policy = (await fetch(`${server.url}/nowhere/`)).headers.get('content-security-policy')!;
    expect(allows(policy, 'frame-src', 'https://www.youtube-nocookie.com/embed/x')).toBe(false);
  });
});

describe('a data: URL', () => {
  it('is refused in a Markdown link as in a raw <a> (the link keeps its text), and kept in an image of either', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const { renderBody } = await import('../../src/content/markdown.js');
    const markdown = renderBody(`[m](${png}) ![mi](${png})`, ARTICLE_URL, []);
    const raw = renderBody(`<a href="${png}">r</a> <img src="${png}" alt="ri">`, ARTICLE_URL, []);
    expect(markdown.html).toBe(`<p><a>m</a> <img src="${png}" alt="mi" /></p>\n`);
    expect(raw.html).toBe(`<p><a>r</a> <img src="${png}" alt="ri" /></p>\n`);
  });
});
