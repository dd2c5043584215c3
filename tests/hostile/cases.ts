/**
 * Generated sites of a few hostile articles, and the invariants every one of them must keep:
 *
 * - each article is either served, with the values it was written with (after the documented
 *   cleaning), or reported by `check` as `path:line: message` on a line of its file;
 * - no other article is lost, and nothing is served that was not written;
 * - every feed (all formats, all pages) is well-formed and valid, and two parsers read back what
 *   the articles say; every page is free of script; every URL leads back to its resource.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { ArticleData } from '../../src/content/model.js';
import { formatProblem } from '../../src/content/model.js';
import { lookup } from '../../src/site/resources.js';
import { articlePath } from '../../src/urls/paths.js';
import { routeOf } from '../../src/urls/routes.js';
import { feedRoundTripProblems } from '../helpers/roundtrip.js';
import { feedResources, pageResources, renderSite, type RenderedSite } from '../helpers/site.js';
import { SITEMAP_NS, htmlSafetyProblems, opmlProblems, sitemapIndexProblems, sitemapProblems, type Libxml2Batch } from '../helpers/validators.js';
import { childElement, childElements, parseXml, textContent } from '../helpers/xml.js';
import {
  cleaned,
  cleanedLine,
  generatedDate,
  hostileName,
  hostileText,
  oddId,
  oddUrl,
  yamlEntry,
  yamlStyle,
  type YamlStyle,
} from './arbitraries.js';

/** Base URLs as written in `_index.md`, with the form the site uses (no trailing slash). */
const BASES: Array<[written: string, normalized: string]> = [
  ['https://feeds.example.com', 'https://feeds.example.com'],
  ['https://Feeds.Example.com/news/desk/', 'https://feeds.example.com/news/desk'],
  ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
  ['https://例え.jp/サイト', 'https://xn--r8jz45g.jp/%E3%82%B5%E3%82%A4%E3%83%88'],
];

/** What must become of a generated article. */
export type Expectation =
  | {
      kind: 'served';
      title: string;
      /** Undefined: the default, the article's own URL. */
      id?: string;
      /** As written (cleaned); resolved against the site's base URL. */
      link?: string;
      summary?: string;
      tags: string[];
      authors: string[];
      publishedMs: number;
      updatedMs?: number;
      draft: boolean;
    }
  | { kind: 'refused'; lines: number[] }
  /** Damaged beyond knowing what it meant: served or reported, either is fine. */
  | { kind: 'either' };

export interface ArticleCase {
  folders: string[];
  slug: string;
  text: string;
  expect: Expectation;
}

export interface SiteCase {
  /** The base URL the site's URLs start with. */
  base: string;
  siteIndex: string;
  sectionIndexes: Array<{ folders: string[]; text: string }>;
  articles: ArticleCase[];
}

// ---------------------------------------------------------------------------------------------
// One article

interface Field {
  key: string;
  lines: string[];
  /** The field makes the article invalid. */
  bad: boolean;
}

interface ArticleDraft {
  fields: Field[];
  body: string;
  expect: Extract<Expectation, { kind: 'served' }>;
}

const textField = (key: string, value: string, style: YamlStyle): Field => ({ key, lines: yamlEntry(key, value, style), bad: false });

function urlOutcome(value: string, base: string): string | undefined {
  try {
    const url = new URL(cleaned(value).trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const MARKDOWN = [
  '[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '[x](java\tscript:alert(1))', '[x](<javascript:alert(1)>)', '<javascript:alert(1)>',
  '[x]( javascript:alert(1))', '[x](&#106;avascript:alert(1))', '[x](java&#x09;script:alert(1))', '[x](vbscript:msgbox(1))',
  '![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', '![x](data:image/png;base64,iVBORw0KGgo=)', '[x](data:text/html,<script>alert(1)</script>)',
  '[ref]: javascript:alert(1)\n\n[go][ref]', '<http://example.com/?"onmouseover=alert(1)>', '[x](http://example.com "t\\" onmouseover=\\"alert(1)")',
  '<a href="javascript:alert(1)">a</a>', '<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '<iframe src="//evil.example"></iframe>',
  '<base href="//evil.example/">', '<svg onload=alert(1)>', '<style>*{display:none}</style>', '<!-- comment -->', '```\n</code></pre><script>alert(1)</script>\n```',
  '`<script>`', '| a | b |\n|:--|--:|\n| <script> | x |', '# heading', '- item\n- [link](../other/)', '![img](pic.png)', '[abs](https://example.com/)',
  ']]>', '\u0000', '\uD800', '\r\n', '\u2028', '---', '***', '> quote', '    indented <script>',
  // Raw HTML: kept structure and media, and every way to smuggle script through it.
  '<figure><img src="pic.jpg" srcset="a.jpg 1x, /b.jpg 2x" alt="x"><figcaption>cap <em>e</em></figcaption></figure>',
  '<img src="a.png" srcset="x.png 1x, javascript:alert(1) 2x, data:text/html,x 3x">', '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
  '<video controls poster="javascript:alert(1)" src="v.mp4"><track src="javascript:alert(1)"></video>', '<audio controls src="vbscript:x"></audio>',
  '<picture><source srcset="data:text/html,<script>alert(1)</script>"><img src="p.png"></picture>',
  '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>', '<iframe src="http://player.vimeo.com/video/1"></iframe>',
  '<iframe src="https://player.vimeo.com.evil.example/x"></iframe>', '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<a href="&#x6A;avascript:alert(1)">a</a>', '<a href="java&#x09;script:alert(1)">a</a>', '<a href=" JAVASCRIPT:alert(1)">a</a>',
  '<math><mi xlink:href="javascript:alert(1)">m</mi></math>', '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>',
  '<form action="javascript:alert(1)"><input formaction="javascript:alert(1)"><button>b</button></form>', '<object data="x.swf"></object><embed src="x">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', '<link rel="stylesheet" href="x.css">', '<p onclick="alert(1)" style="color:red">p</p>',
  '<details open ontoggle="alert(1)"><summary>s</summary>d</details>', '<table><tr><td background="javascript:alert(1)">t</td></tr></table>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '<template><script>alert(1)</script></template>',
  '<abbr title="x">X</abbr> H<sub>2</sub>O x<sup>2</sup><br>', '&#1;&#xFFFE;&#xD800;&#0;', '<div><span>unclosed', '</figure></div></p>', '<xmp><script>alert(1)</script></xmp>',
  '<textarea><img src=x onerror=alert(1)></textarea>', '<style>@import "x.css"</style>', '<img src=x onerror=alert(1)//',
];

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;

/** Mostly `usual`, now and then `rare`: each article has several fields that could be bad. */
const mostly = <T,>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) => fc.oneof({ weight: 24, arbitrary: usual }, { weight: 1, arbitrary: rare });
const sometimes = <T,>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

const articleDraft = fc
  .record({
    title: hostileText,
    titleStyle: yamlStyle,
    titleVia: mostly(fc.constantFrom('key', 'key', 'key', 'alias', 'merge'), fc.constantFrom('null', 'number', 'missing')),
    date: generatedDate,
    updated: sometimes(generatedDate),
    badDate: mostly(fc.constant(undefined), fc.constantFrom('2019-02-30 10:00', '24:00', 20190912, '2019-09-12 07:47 +0800', 'yesterday')),
    summary: sometimes(fc.tuple(hostileText, yamlStyle)),
    tags: sometimes(fc.tuple(fc.array(hostileText, { maxLength: 3 }), yamlStyle)),
    authors: sometimes(
      fc.array(
        fc.record({
          name: hostileText,
          email: sometimes(mostly(fc.constantFrom('a@example.com', 'x%y@example.com', "o'brien+tag@example.co.uk", '名前@例え.jp', 'a?b#c@example.com'), fc.constant('no-at-sign'))),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    ),
    id: sometimes(oddId),
    link: sometimes(oddUrl),
    image: sometimes(oddUrl),
    language: mostly(fc.constantFrom(undefined, undefined, 'zh-Hans', 'ar', 'he-IL', 'EN-us'), fc.constantFrom('xx_YY', 'x-private')),
    // A few keys, so that groups form (same language or not); now and then hostile text.
    translationKey: sometimes(mostly(fc.constantFrom('story', 'story', 'other'), hostileText)),
    // The generated sites declare no editions: naming one is refused.
    editions: mostly(fc.constant(undefined), fc.constant('[us]')),
    draft: mostly<boolean | undefined | 'yes'>(fc.constantFrom(undefined, undefined, undefined, true, false), fc.constant('yes')),
    unknownKey: fc.boolean(),
    body: fc.array(fc.oneof(hostileText, fc.constantFrom(...MARKDOWN)), { maxLength: 8 }).map((parts) => parts.join('\n')),
  })
  .map((g): ArticleDraft => {
    const fields: Field[] = [];
    const title = cleanedLine(g.title).trim();
    if (g.titleVia === 'key') fields.push({ ...textField('title', g.title, g.titleStyle), bad: title === '' });
    else if (g.titleVia === 'alias') {
      fields.push({ key: '_anchor', lines: [`_anchor: &t ${yamlEntry('x', g.title, 'double')[0]?.slice(3)}`], bad: false });
      fields.push({ key: 'title', lines: ['title: *t'], bad: title === '' });
    } else if (g.titleVia === 'merge') {
      fields.push({ key: 'title', lines: [`<<: {title: ${yamlEntry('x', g.title, 'double')[0]?.slice(3)}}`], bad: title === '' });
    } else if (g.titleVia === 'null') fields.push({ key: 'title', lines: ['title: null'], bad: true });
    else if (g.titleVia === 'number') fields.push({ key: 'title', lines: ['title: 1984'], bad: true });
    else fields.push({ key: 'title', lines: [], bad: true });

    if (g.badDate !== undefined) fields.push({ key: 'date', lines: [`date: ${typeof g.badDate === 'number' ? g.badDate : JSON.stringify(g.badDate)}`], bad: true });
    else fields.push({ key: 'date', lines: [`date: ${JSON.stringify(g.date.text)}`], bad: false });
    if (g.updated) fields.push({ key: 'updated', lines: [`updated: ${g.updated.text}`], bad: false });

    const summary = g.summary ? cleaned(g.summary[0]).trim() : undefined;
    if (g.summary) fields.push({ ...textField('summary', g.summary[0], g.summary[1]), bad: summary === '' });
    const tags = (g.tags?.[0] ?? []).map((t) => cleanedLine(t).trim());
    if (g.tags) fields.push({ key: 'tags', lines: yamlEntry('tags', g.tags[0], g.tags[1]), bad: tags.includes('') });
    const authors = (g.authors ?? []).map((a) => cleanedLine(a.name).trim());
    if (g.authors) {
      const badEmail = g.authors.some((a) => a.email !== undefined && !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(a.email));
      fields.push({
        key: 'author',
        lines: ['author:', ...g.authors.flatMap((a) => [`  - name: ${yamlEntry('x', a.name, 'double')[0]?.slice(3)}`, ...(a.email === undefined ? [] : [`    email: ${JSON.stringify(a.email)}`])])],
        bad: authors.includes('') || badEmail,
      });
    }
    let id: string | undefined;
    if (g.id !== undefined) {
      id = cleaned(g.id).trim();
      const usable = ID_PATTERN.test(id) && !/^(?:javascript|vbscript|data|file):/i.test(id);
      fields.push({ key: 'id', lines: yamlEntry('id', g.id, 'double'), bad: !usable });
    }
    let link: string | undefined;
    if (g.link !== undefined) {
      // Whether a URL is usable does not depend on the http(s) base it is resolved against.
      link = cleaned(g.link).trim();
      fields.push({ key: 'link', lines: yamlEntry('link', g.link, 'double'), bad: urlOutcome(link, 'https://any.example/') === undefined || link === '' });
    }
    if (g.image !== undefined) {
      const image = urlOutcome(g.image, 'https://any.example/x/y/');
      fields.push({ key: 'image', lines: yamlEntry('image', g.image, 'double'), bad: image === undefined || cleaned(g.image).trim() === '' });
    }
    if (g.language !== undefined) fields.push({ key: 'language', lines: [`language: ${g.language}`], bad: g.language === 'xx_YY' || g.language === 'x-private' });
    if (g.draft !== undefined) fields.push({ key: 'draft', lines: [`draft: ${g.draft}`], bad: g.draft === 'yes' });
    if (g.translationKey !== undefined) fields.push({ key: 'translation_key', lines: yamlEntry('translation_key', g.translationKey, 'double'), bad: cleanedLine(g.translationKey).trim() === '' });
    if (g.editions !== undefined) fields.push({ key: 'editions', lines: [`editions: ${g.editions}`], bad: true });
    if (g.unknownKey) fields.push({ key: 'tittle', lines: ['tittle: a typo, warned about'], bad: false });
    const updatedMs = g.updated?.epochMs;
    return {
      fields,
      body: g.body,
      expect: {
        kind: 'served',
        title,
        ...(id !== undefined ? { id } : {}),
        ...(link !== undefined ? { link } : {}),
        ...(summary !== undefined ? { summary } : {}),
        tags: [...new Set(tags)],
        authors,
        publishedMs: g.date.epochMs,
        ...(updatedMs !== undefined ? { updatedMs } : {}),
        draft: g.draft === true,
      },
    };
  });


/** Damage that keeps the meaning: served with the same values. */
type KeepingDamage = 'none' | 'bom' | 'crlf' | 'cr' | 'spaces-after-delimiters' | 'tab-separators';
/** Damage that makes the article invalid, each on a line this knows. */
type RefusingDamage = 'no-closing' | 'duplicate-key' | 'tab-indent' | 'binary' | 'timestamp-tag' | 'custom-tag' | 'list' | 'scalar' | 'no-opening' | 'unclosed-flow';
type Damage = KeepingDamage | RefusingDamage | 'truncate' | 'junk';

const damage: fc.Arbitrary<{ kind: Damage; at: number }> = fc.record({
  kind: fc.oneof(
    { weight: 12, arbitrary: fc.constant<Damage>('none') },
    { weight: 6, arbitrary: fc.constantFrom<Damage>('bom', 'crlf', 'cr', 'spaces-after-delimiters', 'tab-separators') },
    { weight: 3, arbitrary: fc.constantFrom<Damage>('no-closing', 'duplicate-key', 'tab-indent', 'binary', 'timestamp-tag', 'custom-tag', 'list', 'scalar', 'no-opening', 'unclosed-flow') },
    { weight: 1, arbitrary: fc.constantFrom<Damage>('truncate', 'junk') },
  ),
  at: fc.nat(),
});

/** The article's file text, damaged as asked, and what must become of it. */
function writeArticle(draft: ArticleDraft, harm: { kind: Damage; at: number }, junk: string): { text: string; expect: Expectation } {
  const lines = ['---'];
  const keyLines = new Map<string, number>();
  for (const field of draft.fields) {
    if (field.lines.length > 0) keyLines.set(field.key, lines.length + 1);
    lines.push(...field.lines);
  }
  const closingIndex = lines.length;
  lines.push('---', '', ...draft.body.split('\n'));
  // A missing title is reported where a misspelling of it (`tittle`) is, if there is one, else on line 1.
  const badLines = draft.fields.filter((f) => f.bad).map((f) => keyLines.get(f.key) ?? (f.key === 'title' ? keyLines.get('tittle') : undefined) ?? 1);
  const asWritten: Expectation = badLines.length > 0 ? { kind: 'refused', lines: badLines } : draft.expect;
  const join = (l: string[]) => l.join('\n');
  switch (harm.kind) {
    case 'none':
      return { text: join(lines), expect: asWritten };
    case 'bom':
      return { text: `\uFEFF${join(lines)}`, expect: asWritten };
    case 'crlf':
      return { text: lines.join('\r\n'), expect: asWritten };
    case 'cr':
      return { text: lines.join('\r'), expect: asWritten };
    case 'spaces-after-delimiters':
      lines[0] = '---  ';
      lines[closingIndex] = '--- \t';
      return { text: join(lines), expect: asWritten };
    case 'tab-separators': {
      const firsts = new Set(keyLines.values());
      return { text: join(lines.map((l, i) => (firsts.has(i + 1) ? l.replace(/^([A-Za-z_]+): /, '$1:\t') : l))), expect: asWritten };
    }
    case 'no-closing': {
      lines.splice(closingIndex, 1);
      // The first later line starting with "---" (once CR line ends are normalized) ends the front
      // matter: if it reads "---" it closes it after all, otherwise it is refused on its own line.
      const rest = join(lines).replace(/\r\n?/g, '\n').split('\n');
      const ending = rest.findIndex((l, i) => i > 0 && l.startsWith('---'));
      if (ending === -1) return { text: join(lines), expect: { kind: 'refused', lines: [1] } };
      if (/^---[ \t]*$/.test(rest[ending] ?? '')) return { text: join(lines), expect: { kind: 'either' } };
      return { text: join(lines), expect: { kind: 'refused', lines: [ending + 1] } };
    }
    case 'duplicate-key':
      lines.splice(closingIndex, 0, 'date: "2020-01-01 10:00"');
      return { text: join(lines), expect: { kind: 'refused', lines: [closingIndex + 1] } };
    case 'tab-indent':
      lines.splice(closingIndex, 0, 'extra:', '\t- tabbed');
      return { text: join(lines), expect: { kind: 'refused', lines: [closingIndex + 2] } };
    case 'binary':
      lines.splice(closingIndex, 0, 'image: !!binary aGVsbG8=');
      return { text: join(lines), expect: { kind: 'refused', lines: [closingIndex + 1] } };
    case 'timestamp-tag':
      lines.splice(closingIndex, 0, 'updated: !!timestamp 2019-09-12 07:47:00');
      return { text: join(lines), expect: { kind: 'refused', lines: [closingIndex + 1] } };
    case 'custom-tag':
      lines.splice(closingIndex, 0, 'summary: !custom tagged');
      return { text: join(lines), expect: { kind: 'refused', lines: [closingIndex + 1] } };
    case 'list':
      return { text: join(['---', '- a', '- b', ...lines.slice(closingIndex)]), expect: { kind: 'refused', lines: [2] } };
    case 'scalar':
      return { text: join(['---', 'just words', ...lines.slice(closingIndex)]), expect: { kind: 'refused', lines: [2] } };
    case 'no-opening':
      return { text: join(lines.slice(1)), expect: { kind: 'refused', lines: [1] } };
    case 'unclosed-flow':
      lines.splice(closingIndex, 0, 'tags: [unclosed');
      return { text: join(lines), expect: { kind: 'refused', lines: [] } };
    case 'truncate': {
      const text = join(lines);
      return { text: text.slice(0, harm.at % (text.length + 1)), expect: { kind: 'either' } };
    }
    case 'junk': {
      const text = join(lines);
      const at = harm.at % (text.length + 1);
      return { text: `${text.slice(0, at)}${junk}${text.slice(at)}`, expect: { kind: 'either' } };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A site

const folderPath = fc.array(hostileName, { minLength: 1, maxLength: 2 });

const sectionIndex = fc
  .record({
    title: hostileText,
    description: fc.option(hostileText, { nil: undefined }),
    language: fc.constantFrom(undefined, 'ar', 'he', 'zh-Hant', 'en-GB', 'not a tag'),
    style: yamlStyle,
    broken: mostly(fc.constant(false), fc.constant(true)),
  })
  .map(({ title, description, language, style, broken }) => {
    const lines = [
      '---',
      ...yamlEntry('title', title, style),
      ...(description === undefined ? [] : yamlEntry('description', description, style)),
      ...(language === undefined ? [] : [`language: ${language}`]),
      '---',
      '',
    ];
    return broken ? lines.join('\n').replace(/---\n$/, '') : lines.join('\n');
  });

const siteIndex = fc
  .record({
    base: fc.constantFrom(...BASES),
    title: hostileText,
    description: sometimes(hostileText),
    authors: sometimes(fc.array(hostileText, { minLength: 1, maxLength: 2 })),
    feedLimit: fc.constantFrom(1, 2, 50, 50),
    language: fc.constantFrom('en', 'ar', 'zh-Hans'),
  })
  .map(({ base, title, description, authors, feedLimit, language }) => {
    const cleanTitle = cleanedLine(title).trim();
    const lines = [
      '---',
      `base_url: ${JSON.stringify(base[0])}`,
      'timezone: Asia/Shanghai',
      // A site title that cleans to nothing is reported and replaced: keep this file valid.
      ...(cleanTitle === '' ? [] : yamlEntry('title', title, 'double')),
      ...(description === undefined || cleaned(description).trim() === '' ? [] : yamlEntry('description', description, 'double')),
      ...(authors === undefined || authors.some((a) => cleanedLine(a).trim() === '') ? [] : ['author:', ...authors.map((a) => `  - ${yamlEntry('x', a, 'double')[0]?.slice(3)}`)]),
      `feed_limit: ${feedLimit}`,
      `language: ${language}`,
      '---',
      '',
    ];
    return { base: base[1], text: lines.join('\n') };
  });

export const siteCase: fc.Arbitrary<SiteCase> = fc
  .record({
    site: siteIndex,
    folders: fc.uniqueArray(folderPath, { minLength: 1, maxLength: 3, selector: (f) => f.join('/').normalize('NFC') }),
    indexes: fc.array(fc.tuple(fc.nat(), sectionIndex), { maxLength: 2 }),
    articles: fc.array(fc.record({ folder: fc.nat(), slug: hostileName, draft: articleDraft, harm: damage, junk: hostileText }), { minLength: 1, maxLength: 5 }),
  })
  .map(({ site, folders, indexes, articles }) => {
    const sectionIndexes = indexes.map(([i, text]) => ({ folders: folders[i % folders.length] as string[], text }));
    const seen = new Set<string>();
    const cases: ArticleCase[] = [];
    for (const a of articles) {
      const where = folders[a.folder % folders.length] as string[];
      const file = [...where, `${a.slug}.md`].join('/');
      if (seen.has(file)) continue;
      seen.add(file);
      const { text, expect } = writeArticle(a.draft, a.harm, a.junk);
      cases.push({ folders: where, slug: a.slug, text, expect });
    }
    return { base: site.base, siteIndex: site.text, sectionIndexes: sectionIndexes.filter((s, i, all) => all.findIndex((o) => o.folders.join('/') === s.folders.join('/')) === i), articles: cases };
  });

// ---------------------------------------------------------------------------------------------
// Checking a site

export async function writeSite(site: SiteCase): Promise<{ root: string; articles: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'feedgen-hostile-'));
  const articles = path.join(root, 'articles');
  const write = async (relative: string[], text: string) => {
    const file = path.join(articles, ...relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  };
  await write(['_index.md'], site.siteIndex);
  for (const index of site.sectionIndexes) await write([...index.folders, '_index.md'], index.text);
  for (const a of site.articles) await write([...a.folders, `${a.slug}.md`], a.text);
  return { root, articles };
}

const displayOf = (a: ArticleCase) => ['articles', ...a.folders, `${a.slug}.md`].join('/');
const urlOf = (site: SiteCase, a: ArticleCase) => `${site.base}${articlePath(a.folders.map((f) => f.normalize('NFC')), a.slug.normalize('NFC'))}`;
/** The id the article would have if served: its own, else its URL. */
const idOf = (site: SiteCase, a: ArticleCase) => (a.expect.kind === 'served' && a.expect.id !== undefined ? a.expect.id : urlOf(site, a));

/**
 * Checks every invariant of one generated site; returns the problems (empty = all hold) and
 * queues its XML for libxml2.
 */
export async function checkSite(site: SiteCase, batch: Libxml2Batch, caseLabel: string): Promise<string[]> {
  const { root, articles } = await writeSite(site);
  try {
    const rendered = await renderSite(articles);
    return [...articleProblems(site, rendered), ...outputProblems(rendered, batch, caseLabel)];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function articleProblems(site: SiteCase, rendered: RenderedSite): string[] {
  const problems: string[] = [];
  const { data } = rendered;
  const bySource = new Map<string, ArticleData>(data.articles.map((a) => [a.source, a]));
  const errorsOf = (file: string) => rendered.problems.filter((p) => p.file === file && p.severity === 'error');
  const written = new Set(site.articles.map(displayOf));
  for (const a of data.articles) if (!written.has(a.source)) problems.push(`served an article nobody wrote: ${a.source}`);
  for (const p of rendered.problems) {
    const line = formatProblem(p);
    if (line.includes('\n') || !/^[^\n]+:[1-9][0-9]*: /.test(line)) problems.push(`problem not formatted as one path:line: line: ${JSON.stringify(line)}`);
  }

  // Every folder that becomes a section: those of the files written, with their parents.
  const nfc = (names: string[]) => names.map((n) => n.normalize('NFC')).join('/');
  const sections = new Set([...site.articles.map((a) => a.folders), ...site.sectionIndexes.map((s) => s.folders)].flatMap((f) => f.map((_, i) => nfc(f.slice(0, i + 1)))));

  // A later article may lose its id or URL to an earlier one: that is reported, not lost.
  const claimed = new Map<string, string>();
  for (const a of [...site.articles].sort((x, y) => (displayOf(x) < displayOf(y) ? -1 : 1))) {
    const file = displayOf(a);
    const served = bySource.get(file);
    const errors = errorsOf(file);
    const lineCount = a.text.replace(/^\uFEFF/, '').split(/\r\n?|\n/).length;
    for (const e of errors) {
      if (e.line < 1 || e.line > Math.max(1, lineCount)) problems.push(`${file}: problem on line ${e.line}, the file has ${lineCount} lines: ${e.message}`);
    }
    if (served && errors.length > 0) problems.push(`${file}: served and also reported: ${errors.map(formatProblem).join(' | ')}`);
    if ([...a.folders, a.slug].some((name) => /[\t\n\r]/.test(name))) {
      // The publish ledger keeps one record a line, tab-separated: such a name is refused at the
      // folder or the file, whatever the file says.
      const refused = rendered.problems.some((p) => p.severity === 'error' && p.message.includes('which the publish ledger cannot record'));
      if (served || !refused) problems.push(`${file}: a name the ledger cannot hold (a tab or a line break), yet not refused for it`);
      continue;
    }
    if (sections.has(nfc([...a.folders, a.slug]))) {
      // "x.md" beside a folder "x": refused before it is read, whatever it says.
      if (served || !errors.some((e) => e.line === 1 && e.message.includes('would share the URL'))) problems.push(`${file}: shares its URL with a folder, yet was not refused for it`);
      continue;
    }
    const takenBefore = served ? undefined : claimed.get(`id ${idOf(site, a)}`);
    if (served) {
      claimed.set(`id ${served.id}`, file);
      claimed.set(`url ${served.url}`, file);
    }
    if (!served && errors.length === 0) {
      // Damaged text is only known to be a draft by what it still says.
      const draft = a.expect.kind === 'served' ? a.expect.draft : a.expect.kind === 'either' && /^draft:[ \t]*true[ \t]*$/m.test(a.text);
      if (!draft) problems.push(`${file}: neither served nor reported (expected ${a.expect.kind})`);
      continue;
    }
    const expect = a.expect;
    if (expect.kind === 'either') continue;
    if (expect.kind === 'refused') {
      if (served) problems.push(`${file}: served, but it should have been refused on line ${expect.lines.join(' or ')}`);
      else if (expect.lines.length > 0 && !errors.some((e) => expect.lines.includes(e.line))) {
        problems.push(`${file}: refused on line ${errors.map((e) => e.line).join(', ')}, expected line ${expect.lines.join(' or ')}: ${errors.map(formatProblem).join(' | ')}`);
      }
      continue;
    }
    const url = urlOf(site, a);
    const identity = expect.id ?? url;
    const taken = takenBefore ?? claimed.get(`url ${url}`);
    if (expect.draft) {
      if (served) problems.push(`${file}: a draft was served`);
      continue;
    }
    if (!served) {
      if (taken === undefined) problems.push(`${file}: valid but refused: ${errors.map(formatProblem).join(' | ')}`);
      else if (!errors.some((e) => e.message.includes('already used'))) problems.push(`${file}: refused without naming the clash with ${taken}`);
      continue;
    }
    const c = (what: string, actual: unknown, wanted: unknown) => {
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`${file}: ${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
    };
    c('title', served.title, expect.title);
    c('id', served.id, identity);
    c('url', served.url, url);
    // Characters RFC 3986 forbids may come out percent-encoded: the same URL, a stricter spelling.
    const ascii = (u: string) => u.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    c('link', ascii(served.link), ascii(expect.link === undefined ? url : (urlOutcome(expect.link, `${site.base}/`) ?? '')));
    c('summary', served.summary, expect.summary);
    c('tags', served.tags, expect.tags);
    // Without authors of its own, an article has the site's.
    c('authors', served.authors.map((p) => p.name), expect.authors.length > 0 ? expect.authors : data.site.authors.map((p) => p.name));
    c('published', served.published.epochMs, expect.publishedMs);
    c('updated', served.updated?.epochMs, expect.updatedMs);
    if (!rendered.snapshot.root.items.includes(served)) problems.push(`${file}: served but not in the site feed`);
  }
  return problems;
}

function outputProblems(rendered: RenderedSite, batch: Libxml2Batch, caseLabel: string): string[] {
  const problems: string[] = [];
  for (const feed of feedResources(rendered)) {
    problems.push(...feedRoundTripProblems(rendered, feed));
    if (feed.resource.format !== 'json') batch.add(feed.resource.format === 'atom' ? 'atom' : 'xml', { label: `${caseLabel} ${feed.path}`, xml: feed.rendered.body });
  }
  for (const opml of rendered.resources.filter((r) => r.resource.kind === 'opml')) {
    problems.push(...opmlProblems(opml.rendered.body).map((p) => `${opml.path}: ${p}`));
    batch.add('xml', { label: `${caseLabel} ${opml.path}`, xml: opml.rendered.body });
  }
  for (const page of pageResources(rendered)) problems.push(...htmlSafetyProblems(page.rendered.body).map((p) => `${page.path}: ${p}`));
  problems.push(...sitemapOutputProblems(rendered, batch, caseLabel));
  // Every URL the site links to leads back to its resource, as the server resolves request paths.
  for (const { path: p, resource } of rendered.resources) {
    const found = lookup(rendered.snapshot, routeOf(p));
    if (found.kind !== 'found' || found.path !== p || found.resource.kind !== resource.kind) {
      problems.push(`${p}: the request path does not lead back to its ${resource.kind} (${found.kind === 'error' ? found.reason : found.kind})`);
    }
  }
  return problems;
}

/** The sitemaps: valid by their schemas' rules, and listing every page the site serves (but URLs too long for a sitemap). */
function sitemapOutputProblems(rendered: RenderedSite, batch: Libxml2Batch, caseLabel: string): string[] {
  const problems: string[] = [];
  const base = rendered.data.site.baseUrl;
  const locs = new Set<string>();
  for (const { path: p, resource, rendered: { body } } of rendered.resources) {
    if (resource.kind !== 'sitemap' && resource.kind !== 'news-sitemap') continue;
    const index = body.includes('<sitemapindex');
    const found = index ? sitemapIndexProblems(body, { location: `${base}${p}` }) : sitemapProblems(body, { location: `${base}${p}`, allowEmpty: resource.kind === 'news-sitemap' });
    problems.push(...found.map((problem) => `${p}: ${problem}`));
    batch.add('xml', { label: `${caseLabel} ${p}`, xml: body });
    if (resource.kind !== 'sitemap' || index || found.length > 0) continue;
    for (const url of childElements(parseXml(body), SITEMAP_NS, 'url')) {
      const loc = childElement(url, SITEMAP_NS, 'loc');
      if (loc) locs.add(textContent(loc));
    }
  }
  for (const { path: p, resource } of rendered.resources) {
    if (!['index', 'scope-page', 'collection-page', 'article'].includes(resource.kind)) continue;
    const url = `${base}${p}`;
    if (url.length < 2048 && !locs.has(url)) problems.push(`${p}: not in the sitemap`);
  }
  return problems;
}

export function describeCase(site: SiteCase): string {
  return JSON.stringify(
    {
      site: site.siteIndex,
      sections: site.sectionIndexes,
      articles: site.articles.map((a) => ({ file: displayOf(a), text: a.text, expect: a.expect })),
    },
    null,
    1,
  );
}

