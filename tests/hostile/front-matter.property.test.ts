/**
 * Property: any file text at all (YAML of every shape, damaged or not) is either read as an
 * article whose every field is clean and whose feeds and page validate, or refused with problems
 * on lines that exist in the file. Nothing throws. In memory, so it runs thousands of cases: 2,500
 * by default, the first of the 10,000 that FEEDGEN_FULL_TESTS=1 (.ci/run) checks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/content/parse-article.js';
import type { ArticleData, SiteData, SiteSettings } from '../../src/content/model.js';
import { DEFAULT_EMBED_HOSTS } from '../../src/content/settings.js';
import { renderResource } from '../../src/publish/render.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { chunksToText } from '../helpers/chunks.js';
import { caseCount } from '../helpers/counts.js';
import { htmlSafetyProblems, jsonFeedProblems, Libxml2Batch, rssProblems, atomProblems } from '../helpers/validators.js';
import { firstForbiddenChar } from '../helpers/xml.js';
import { doubleQuoted, generatedDate, hostileText } from './arbitraries.js';

const SEED = Number(process.env.FEEDGEN_HOSTILE_SEED ?? 20261125);
const CHUNKS = 5;
const RUNS_PER_CHUNK = caseCount(500, 2000);

const SITE: SiteSettings = {
  title: 'Test Site',
  description: '',
  baseUrl: 'https://feeds.example.com',
  language: 'en',
  timezone: 'Asia/Shanghai',
  disambiguation: 'compatible',
  authors: [],
  feedLimit: 50,
  archiveSize: 100,
  archiveKinds: ['site', 'section'],
  archiveContent: 'summary',
  tombstoneDays: 30,
  sitemapSize: 50_000,
  cacheMaxAge: 300,
  editions: [],
  tagFeeds: true,
  embedHosts: [...DEFAULT_EMBED_HOSTS],
  articlePages: true,
  content: 'full',
};
const URL_OF_ARTICLE = 'https://feeds.example.com/news/a/';

// ---------------------------------------------------------------------------------------------
// File text: YAML lines of every kind an editor, a script or an import produces

const KEYS = ['title', 'date', 'updated', 'summary', 'tags', 'author', 'id', 'link', 'image', 'language', 'draft', 'timezone', 'disambiguation', 'tittle', '<<', '__proto__', 'constructor', '? complex'];

const scalar: fc.Arbitrary<string> = fc.oneof(
  hostileText.map(doubleQuoted),
  hostileText.map((t) => `'${t.replace(/'/g, "''").replace(/\n/g, ' ')}'`),
  hostileText.map((t) => t.replace(/\n/g, ' ')),
  generatedDate.map((d) => d.text),
  generatedDate.map((d) => JSON.stringify(d.text)),
  fc.constantFrom(
    'null', '~', '', 'true', 'false', 'yes', '1984', '0x1F', '1e3', '.inf', '.nan', '2019-09-12', '2019-09-12 07:47:00', '[a, b]', '{name: X}',
    '[unclosed', '{unclosed', '&anchor value', '*anchor', '*undefined', '!!str 1984', '!!binary aGVsbG8=', '!!timestamp 2019-09-12', '!!set {a}',
    '!!omap [a: 1]', '!custom x', '! x', '|', '|-', '>', '>+', '"unterminated', "'unterminated", '# only a comment', 'a # comment', 'a: b',
    'Thu, 12 Sep 2019 07:47:00 +0800', 'javascript:alert(1)', 'tag:example.com,2019:x', 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
  ),
);

/** Keys that a file with a usable title and date may add without clashing with them. */
const EXTRA_KEYS = ['summary', 'tags', 'author', 'id', 'link', 'image', 'language', 'tittle', 'custom'];

const keyLine = (keys: string[]) =>
  fc.tuple(fc.constantFrom(...keys), fc.constantFrom(': ', ':', ':\t', ' : ', ': &a ', ': !!str '), scalar).map(([k, sep, v]) => `${k}${sep}${v}`);

const benignLine: fc.Arbitrary<string> = fc.oneof(
  keyLine(EXTRA_KEYS),
  hostileText.map((t) => `summary: ${doubleQuoted(t)}`),
  hostileText.map((t) => `tags: [${doubleQuoted(t)}]`),
  fc.constantFrom('# comment', '', 'tittle: typo'),
);

const line: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: keyLine(KEYS) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('  ', '    ', '\t', ' '), fc.constantFrom('- ', '', 'name: ', 'email: ', 'url: ', '- name: '), scalar).map(([i, p, v]) => `${i}${p}${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('---', '...', '--- # x', '----', '%YAML 1.2', '%TAG ! tag:x,2019:', '', '# comment', '<<: *a', '<<: [*a, *b]', 'base: &a {title: Anchored}', 'b: &b {date: "2020-01-01 10:00"}', '? [a, b]\n: c', '\uFEFF', '\t', '  ') },
);

const delimiters = (usual: string, odd: string[]) => fc.oneof({ weight: 8, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });

const fileText: fc.Arbitrary<string> = fc
  .record({
    opening: delimiters('---', ['--- ', '---\t', '----', '', '\uFEFF---', '+++']),
    // Half the files start from a usable title and date and add a little, so that readable
    // articles are common too; the others are anything at all.
    usable: fc.boolean(),
    title: fc.tuple(hostileText, fc.constantFrom('double', 'plain')).map(([t, style]) => `title: ${style === 'double' ? doubleQuoted(t) : t.replace(/\n/g, ' ')}`),
    date: generatedDate.map((d) => `date: ${JSON.stringify(d.text)}`),
    extra: fc.array(benignLine, { maxLength: 3 }),
    lines: fc.array(line, { maxLength: 10 }),
    closing: delimiters('---', ['---  ', '...', '', '----']),
    body: fc.array(hostileText, { maxLength: 3 }).map((b) => b.join('\n')),
    newline: fc.constantFrom('\n', '\n', '\r\n', '\r'),
  })
  .map(({ opening, usable, title, date, extra, lines, closing, body, newline }) => {
    const yaml = usable ? [title, date, ...extra] : lines;
    return [opening, ...yaml, closing, body].join('\n').replace(/\n/g, newline);
  });

// ---------------------------------------------------------------------------------------------

function lineCount(text: string): number {
  return text.replace(/^\uFEFF/, '').split(/\r\n?|\n/).length;
}

/** Every text an article carries into feeds and pages. */
function textsOf(article: ArticleData): string[] {
  return [
    article.title, article.id, article.link, article.summary ?? '', article.image ?? '', article.html, article.language,
    ...article.tags, ...article.authors.flatMap((p) => [p.name, p.email ?? '', p.url ?? '']),
  ];
}

let articlesRead = 0;

function check(text: string, batch: Libxml2Batch, label: string): string[] {
  const problems: string[] = [];
  const lines = lineCount(text);
  const result = parseArticle(text, {
    source: 'articles/news/a.md',
    section: ['news'],
    slug: 'a',
    url: URL_OF_ARTICLE,
    site: SITE,
    inherited: { language: 'en', timezone: 'Asia/Shanghai', disambiguation: 'compatible', editions: [] },
  }, 'v');
  const reported = result.problems;
  for (const p of reported) {
    if (!Number.isInteger(p.line) || p.line < 1 || p.line > lines) problems.push(`problem on line ${p.line} of ${lines}: ${p.message}`);
  }
  const errors = reported.filter((p) => p.severity === 'error');
  const article = result.article;
  if (!article) {
    if (errors.length === 0 && !result.draft) problems.push('neither read nor reported');
    return problems;
  }
  articlesRead++;
  if (errors.length > 0) problems.push(`read, yet reported: ${errors.map((e) => e.message).join(' | ')}`);
  for (const value of textsOf(article)) {
    if (firstForbiddenChar(value) !== -1) problems.push(`a character XML forbids survived in ${JSON.stringify(value.slice(0, 80))}`);
    if (value.includes('\r')) problems.push(`a carriage return survived in ${JSON.stringify(value.slice(0, 80))}`);
  }
  if (article.title === '' || /[\n\t]/.test(article.title)) problems.push(`title ${JSON.stringify(article.title)} is empty or not one line`);
  if (result.draft) return problems;

  const data: SiteData = { site: SITE, sections: [{ path: ['news'], title: 'News', language: 'en', editions: [], content: 'full' }], articles: [article], authorProfiles: [], media: [], settingsFiles: [] };
  const snapshot = new SiteSnapshot(data);
  const scope = snapshot.scope({ kind: 'section', section: ['news'] });
  if (!scope) return [...problems, 'no news scope'];
  for (const format of ['rss', 'atom', 'json'] as const) {
    const body = chunksToText(renderResource(snapshot, { kind: 'feed', scope, format }).chunks);
    const self = `${SITE.baseUrl}/news/${format === 'json' ? 'feed.json' : `${format}.xml`}`;
    const found = format === 'rss' ? rssProblems(body, self) : format === 'atom' ? atomProblems(body, self) : jsonFeedProblems(body, self);
    problems.push(...found.map((p) => `${format}: ${p}`));
    if (format === 'atom') batch.add('atom', { label, xml: body });
  }
  const page = chunksToText(renderResource(snapshot, { kind: 'article', article }).chunks);
  problems.push(...htmlSafetyProblems(page).map((p) => `article page: ${p}`));
  return problems;
}

describe('any file text', () => {
  it(`is read clean or refused on lines of the file (${CHUNKS * RUNS_PER_CHUNK} files, seed ${SEED})`, { timeout: 90_000 }, async () => {
    const batch = new Libxml2Batch();
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const texts = new Map<string, string>();
      fc.assert(
        fc.property(fileText, (text) => {
          const label = `file ${chunk}.${texts.size}`;
          texts.set(label, text);
          const problems = check(text, batch, label);
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\n--- the file:\n${JSON.stringify(text)}`);
        }),
        { seed: SEED + 100 + chunk, numRuns: RUNS_PER_CHUNK },
      );
      const libxml2 = await batch.flush();
      expect([...libxml2].map(([label, p]) => `${label}: ${p.join('; ')}\n${JSON.stringify(texts.get(label))}`)).toEqual([]);
    }
    // Both outcomes are exercised in quantity.
    expect(articlesRead).toBeGreaterThan(CHUNKS * RUNS_PER_CHUNK * 0.2);
    expect(articlesRead).toBeLessThan(CHUNKS * RUNS_PER_CHUNK * 0.8);
  });
});
