import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { formatProblem } from '../../src/content/model.js';
import { formatRfc3339, formatUtc } from '../../src/time/index.js';
import { article, writeArticles } from '../helpers/articles.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';

const messages = (problems: Parameters<typeof formatProblem>[0][]) => problems.map(formatProblem);

describe('the bundled articles', () => {
  it('load without errors, across every section', async () => {
    const { data, problems } = await loadSite(BUNDLED_ARTICLES);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const sections = data?.sections.map((s) => s.path.join('/'));
    expect(sections).toEqual(expect.arrayContaining(['china', 'china/world', 'us', 'us/west', 'europe', 'africa', 'asia', 'asia/south', '中文']));
    expect(data?.articles.length).toBeGreaterThanOrEqual(11);
  });

  it('put the seed article at 2019-09-11T23:47:00Z, written in Beijing time', async () => {
    const { data } = await loadSite(BUNDLED_ARTICLES);
    const seed = data?.articles.find((a) => a.title === 'Huawei CEO proposes negotiations with Washington');
    expect(seed?.section).toEqual(['china', 'world']);
    expect(seed?.authors[0]?.name).toBe('Ai Heping');
    expect(formatUtc(seed!.updated!.epochMs)).toBe('2019-09-11T23:47:00Z');
    expect(formatRfc3339(seed!.updated!)).toBe('2019-09-12T07:47:00+08:00');
  });

  it('converts every bundled date in its inherited zone', async () => {
    const { data } = await loadSite(BUNDLED_ARTICLES);
    const byTitle = new Map(data!.articles.map((a) => [a.slug, a]));
    const expectations: Record<string, string> = {
      'fed-holds-rates-steady': '2019-10-30T14:05:00-04:00', // us: America/New_York, EDT
      'wildfire-season-outlook': '2021-05-20T09:15:00-07:00', // us/west: America/Los_Angeles
      'rail-night-trains-return': '2021-12-12T06:00:00+01:00', // europe: Europe/Berlin, winter
      'summer-time-debate': '2019-03-31T10:00:00+02:00', // RFC 2822 with its own offset
      'solar-minigrids-expand': '2022-03-08T11:20:00+03:00', // africa: Africa/Nairobi
      'lagos-tech-hub': '2022-06-14T16:45:00+01:00', // article timezone Africa/Lagos
      'typhoon-makes-landfall': '2019-10-12T19:00:00+09:00', // asia: Asia/Tokyo
      'monsoon-arrives-early': '2023-05-29T08:00:00+05:30', // asia/south: Asia/Kolkata
      'everest-permits-record': '2023-04-20T12:45:00+05:45', // Asia/Kathmandu
      '高铁新线开通': '2022-12-30T09:30:00+08:00',
    };
    for (const [slug, expected] of Object.entries(expectations)) {
      expect(formatRfc3339(byTitle.get(slug)!.published), slug).toBe(expected);
    }
  });
});

describe('YAML timestamps', () => {
  it('are never read as UTC Dates', async () => {
    const dir = await writeArticles({ 'news/a.md': article('title: A\ndate: 2019-09-12 07:47:00') });
    const { data } = await loadSite(dir);
    expect(formatRfc3339(data!.articles[0]!.published)).toBe('2019-09-12T07:47:00+08:00');
  });

  it('date-only values are local midnight', async () => {
    const dir = await writeArticles({ 'news/a.md': article('title: A\ndate: 2019-09-12') });
    const { data } = await loadSite(dir);
    expect(formatUtc(data!.articles[0]!.published.epochMs)).toBe('2019-09-11T16:00:00Z');
  });
});

describe('validation', () => {
  it('reports each problem as path:line: message with the line of the key, and serves the rest', async () => {
    const dir = await writeArticles({
      'news/good.md': article('title: Good\ndate: 2020-01-01 10:00'),
      'news/no-title.md': article('date: 2020-01-01 10:00'),
      'news/bad-date.md': article('title: Bad date\nauthor: X\ndate: 2019-02-30 10:00'),
      'news/bad-zone.md': article('title: Bad zone\ndate: 2020-01-01 10:00\ntimezone: CST'),
      'news/number-title.md': article('title: 1984\ndate: 2020-01-01 10:00'),
      'news/bad-yaml.md': article('title: [unclosed\ndate: 2020-01-01 10:00'),
      'news/no-front-matter.md': 'Just text.\n',
      'news/unclosed.md': '---\ntitle: Never closed\ndate: 2020-01-01 10:00\n',
      'news/draft.md': article('title: Draft\ndate: 2020-01-01 10:00\ndraft: true'),
    });
    const { data, problems } = await loadSite(dir);
    expect(data!.articles.map((a) => a.slug)).toEqual(['good']);
    const lines = messages(problems);
    expect(lines).toContain('articles/news/no-title.md:1: "title" is required');
    expect(lines.find((l) => l.startsWith('articles/news/bad-date.md:4: "date": day 30 does not exist'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('articles/news/bad-zone.md:4: time zone "CST" is an abbreviation'))).toBeDefined();
    expect(lines).toContain('articles/news/number-title.md:2: "title" must be text, not the number 1984 (put it in quotes)');
    expect(lines.find((l) => l.startsWith('articles/news/bad-yaml.md:'))).toMatch(/^articles\/news\/bad-yaml\.md:\d+: YAML: /);
    expect(lines.find((l) => l.startsWith('articles/news/no-front-matter.md:1: missing front matter'))).toBeDefined();
    expect(lines).toContain('articles/news/unclosed.md:1: front matter is not closed: add a line "---" after the last key');
    expect(lines.filter((l) => l.includes('draft.md'))).toEqual([]);
  });

  it('warns about unknown keys and about times the compatible rule had to move', async () => {
    const dir = await writeArticles({
      'us/_index.md': '---\ntitle: US\ntimezone: America/New_York\n---\n',
      'us/gap.md': article('title: Gap\ndate: 2019-03-10 02:30\ntittle: typo'),
    });
    const { data, problems } = await loadSite(dir);
    expect(data!.articles).toHaveLength(1);
    const lines = messages(problems);
    expect(lines.find((l) => l.startsWith('articles/us/gap.md:3: warning: "date" 2019-03-10 02:30 does not exist in America/New_York'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('articles/us/gap.md:4: warning: unknown key "tittle"'))).toBeDefined();
  });

  it('refuses a date whose year is 0000 in UTC, with one error on the "date" line', async () => {
    const dir = await writeArticles({
      // Asia/Shanghai kept its LMT, +08:05:43, until 1901: this is 0000-12-31T16:24:17Z.
      'news/year-0.md': article('title: Year 0\ndate: 0001-01-01 00:30\ntimezone: Asia/Shanghai'),
      'news/good.md': article('title: Good\ndate: 2020-01-01 10:00'),
    });
    const { data, problems } = await loadSite(dir);
    expect(data!.articles.map((a) => a.slug)).toEqual(['good']);
    expect(messages(problems)).toEqual([
      'articles/news/year-0.md:3: "date": "0001-01-01 00:30" falls outside the years 0001-9999 once converted to UTC, the only years feed dates can carry',
    ]);
  });

  it('refuses duplicate ids and slugs that collide with a section folder', async () => {
    const dir = await writeArticles({
      'a/one.md': article('title: One\ndate: 2020-01-01 10:00\nid: tag:example.com,2020:same'),
      'a/two.md': article('title: Two\ndate: 2020-01-02 10:00\nid: tag:example.com,2020:same'),
      'a/sub.md': article('title: Clash\ndate: 2020-01-02 10:00'),
      'a/sub/x.md': article('title: X\ndate: 2020-01-02 10:00'),
      'archive/p.md': article('title: Reserved\ndate: 2020-01-02 10:00'),
      'a/archive.md': article('title: Reserved too\ndate: 2020-01-02 10:00'),
    });
    const { data, problems } = await loadSite(dir);
    expect(data!.articles.map((a) => a.slug).sort()).toEqual(['one', 'x']);
    const lines = messages(problems);
    expect(lines).toContain('articles/a/two.md:4: id "tag:example.com,2020:same" is already used by articles/a/one.md');
    expect(lines.find((l) => l.startsWith('articles/a/sub.md:1: "sub.md" and the folder "sub" would share the URL'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('articles/archive:1: folder name "archive" is reserved'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('articles/a/archive.md:1: file name "archive.md" is reserved'))).toBeDefined();
  });

  it('inherits timezone and language: article -> section -> parent -> site', async () => {
    const dir = await writeArticles({
      'asia/_index.md': '---\ntimezone: Asia/Tokyo\nlanguage: ja\n---\n',
      'asia/south/_index.md': '---\ntimezone: Asia/Kolkata\n---\n',
      'asia/south/a.md': article('title: A\ndate: 2020-01-01 10:00'),
      'asia/b.md': article('title: B\ndate: 2020-01-01 10:00\ntimezone: Asia/Kathmandu\nlanguage: ne'),
      'other/c.md': article('title: C\ndate: 2020-01-01 10:00'),
    });
    const { data } = await loadSite(dir);
    const bySlug = new Map(data!.articles.map((a) => [a.slug, a]));
    expect(formatRfc3339(bySlug.get('a')!.published)).toBe('2020-01-01T10:00:00+05:30');
    expect(bySlug.get('a')!.language).toBe('ja');
    expect(formatRfc3339(bySlug.get('b')!.published)).toBe('2020-01-01T10:00:00+05:45');
    expect(bySlug.get('b')!.language).toBe('ne');
    expect(formatRfc3339(bySlug.get('c')!.published)).toBe('2020-01-01T10:00:00+08:00');
  });

  it('makes relative links and images absolute against the article URL', async () => {
    const dir = await writeArticles({
      'news/a.md': article('title: A\ndate: 2020-01-01 10:00', '[up](../) [sib](../b/) ![img](pic.png) [abs](https://x.example/) [frag](#top)'),
    });
    const { data } = await loadSite(dir);
    const html = data!.articles[0]!.html;
    expect(html).toContain('href="https://feeds.example.com/news/"');
    expect(html).toContain('href="https://feeds.example.com/news/b/"');
    expect(html).toContain('src="https://feeds.example.com/news/a/pic.png"');
    expect(html).toContain('href="https://x.example/"');
    expect(html).toContain('href="https://feeds.example.com/news/a/#top"');
  });

  it('removes raw HTML that could run script, says where, and refuses script URLs in Markdown', async () => {
    const dir = await writeArticles({
      'news/a.md': article('title: A\ndate: 2020-01-01 10:00', '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>'),
    });
    const { data, problems } = await loadSite(dir);
    const html = data!.articles[0]!.html;
    expect(html).not.toMatch(/<script|onerror|href="javascript/i);
    expect(html).toContain('<img src="https://feeds.example.com/news/a/x" />');
    expect(problems.map(formatProblem)).toEqual([
      'articles/news/a.md:6: warning: raw HTML: removed <script>: not on the allowlist',
      'articles/news/a.md:8: warning: raw HTML: removed onerror on <img>: not on the allowlist',
      'articles/news/a.md:8: warning: the link or image https://feeds.example.com/news/a/x names no file beside the article: it would be articles/news/a/x',
    ]);
  });
});
