/**
 * Issue 23, "a newcomer's first hour": messages that name the root cause once, on its line, and say
 * what to do (a misspelt key, a value YAML needs in quotes, a file that is not UTF-8, a bad zone in
 * an _index.md, a section without one).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parsedOn } from '../../src/cli/site.js';
import { keepLastGood } from '../../src/content/last-good.js';
import { loadSite } from '../../src/content/load.js';
import { formatProblem, type Problem } from '../../src/content/model.js';
import { formatRfc3339 } from '../../src/time/index.js';
import { article, writeArticles } from '../helpers/articles.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const messages = (problems: Problem[]) => problems.map(formatProblem);

async function check(articles: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'check', '--no-cache'], { cwd: path.dirname(articles) }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('a bad time zone in an _index.md', () => {
  it('is reported once, where it is written; the articles whose dates needed it are left out without a message each', async () => {
    const dir = await writeArticles({
      '_index.md': '---\ntitle: Site\nbase_url: https://example.com\ntimezone: Asia/Shangai\n---\n',
      'news/a.md': article('title: A\ndate: 2020-01-01 10:00'),
      'news/b.md': article('title: B\ndate: 2020-01-01 10:00\nupdated: 2020-01-02 10:00'),
      'news/offset.md': article('title: With an offset\ndate: 2020-01-01 10:00+08:00'),
      'news/own-zone.md': article('title: With its own zone\ndate: 2020-01-01 10:00\ntimezone: Asia/Tokyo'),
    });
    const { data, problems, invalid } = await loadSite(dir);
    expect(messages(problems)).toEqual([
      'articles/_index.md:4: unknown time zone "Asia/Shangai": did you mean Asia/Shanghai? (until it is fixed, articles below whose dates have no offset are left out)',
    ]);
    expect(data!.articles.map((a) => a.slug).sort()).toEqual(['offset', 'own-zone']);
    expect(invalid.map((a) => a.source)).toEqual(['articles/news/a.md', 'articles/news/b.md']);
    const { code, stdout, stderr } = await check(dir);
    expect(code).toBe(1);
    expect(stdout.split('\n').filter((line) => !line.includes(': info: '))).toEqual([`${messages(problems)[0]}`, '']);
    expect(stderr).toMatch(/^2 articles valid, 2 invalid; 1 error, 0 warnings, 1 note; /);
  });

  it('of a section is not made up for by the zone of the site: its articles are not dated in the wrong zone', async () => {
    const dir = await writeArticles({
      // The site's zone is Asia/Shanghai (helpers/articles.ts).
      'us/_index.md': '---\ntitle: US\ntimezone: America/New_Yrok\n---\n',
      'us/a.md': article('title: A\ndate: 2020-01-01 10:00'),
      'us/west/_index.md': '---\ntitle: West\ntimezone: America/Los_Angeles\n---\n',
      'us/west/b.md': article('title: B\ndate: 2020-01-01 10:00'),
    });
    const { data, problems } = await loadSite(dir);
    expect(messages(problems)).toEqual([
      'articles/us/_index.md:3: unknown time zone "America/New_Yrok": did you mean America/New_York? (until it is fixed, articles below whose dates have no offset are left out)',
    ]);
    // A subsection's own valid zone still applies below it.
    expect(data!.articles.map((a) => [a.slug, formatRfc3339(a.published)])).toEqual([['b', '2020-01-01T10:00:00-08:00']]);
  });

  it('keeps the last good version of its articles while serving with --watch', async () => {
    const dir = await writeArticles({ 'news/a.md': article('title: A\ndate: 2020-01-01 10:00') });
    const before = await loadSite(dir);
    await writeFile(path.join(dir, '_index.md'), '---\ntitle: Test Site\nbase_url: https://feeds.example.com\ntimezone: Asia/Shangai\n---\n');
    const after = await loadSite(dir);
    expect(after.data!.articles).toEqual([]);
    const { data, kept } = keepLastGood(before.data, after.data!, after.invalid);
    expect(kept.map((a) => a.slug)).toEqual(['a']);
    expect(data.articles.map((a) => a.slug)).toEqual(['a']);
  });
});

describe('a misspelt key', () => {
  it('is named with the key it is closest to; a missing required key it explains is said once, on its line', async () => {
    const dir = await writeArticles({
      'news/_index.md': '---\ntitle: News\n---\n',
      'news/typos.md': article('tittle: Typo\ndate: 2020-01-01 10:00\nsummmary: Sum\nautor: Me\ncolour: red'),
      'news/both.md': article('title: Both\ntittle: Typo\ndate: 2020-01-01 10:00'),
      'news/no-date.md': article('title: No date\ndat: 2020-01-01 10:00'),
    });
    const { data, problems } = await loadSite(dir);
    expect(messages(problems)).toEqual([
      'articles/news/both.md:3: warning: unknown key "tittle": did you mean "title"?',
      'articles/news/no-date.md:3: unknown key "dat": did you mean "date"? ("date" is required)',
      'articles/news/typos.md:2: unknown key "tittle": did you mean "title"? ("title" is required)',
      'articles/news/typos.md:4: warning: unknown key "summmary": did you mean "summary"?',
      'articles/news/typos.md:5: warning: unknown key "autor": did you mean "author"?',
      expect.stringMatching(/^articles\/news\/typos\.md:6: warning: unknown key "colour" \(known keys: title, date, updated, /),
    ]);
    expect(data!.articles.map((a) => a.slug)).toEqual(['both']);
  });

  it('in an edition of the site is named the same way', async () => {
    const dir = await writeArticles({
      '_index.md': '---\ntitle: Site\nbase_url: https://example.com\ntimezone: UTC\neditions:\n  - { key: us, titel: US, language: en-US }\n---\n',
    });
    const { problems } = await loadSite(dir);
    expect(messages(problems)).toEqual(['articles/_index.md:6: "editions" item 1: unknown key "titel": did you mean "title"? ("title" is required)']);
  });
});

describe('a value YAML reads as something else', () => {
  it('is shown written in quotes, on its line', async () => {
    const dir = await writeArticles({
      'news/_index.md': '---\ntitle: News\n---\n',
      'news/colon.md': article('title: Colon: in title\ndate: 2020-01-01 10:00'),
      'news/bracket.md': article('title: [Draft] story\ndate: 2020-01-01 10:00'),
      'news/quoted.md': article('date: 2020-01-01 10:00\nsummary: "Quoted" then not'),
      'news/unclosed.md': article('title: "Unclosed\ndate: 2020-01-01 10:00'),
      'news/good.md': article('title: "Colon: quoted"\ndate: 2020-01-01 10:00'),
    });
    const { data, problems } = await loadSite(dir);
    expect(messages(problems)).toEqual([
      'articles/news/bracket.md:2: YAML: Unexpected scalar at node end (put the value in quotes: title: "[Draft] story")',
      'articles/news/colon.md:2: YAML: Nested mappings are not allowed in compact mappings (put the value in quotes: title: "Colon: in title")',
      `articles/news/quoted.md:3: YAML: Unexpected scalar at node end (put the value in quotes: summary: '"Quoted" then not')`,
      'articles/news/unclosed.md:2: YAML: Missing closing "quote (close the quote: title: "Unclosed")',
    ]);
    expect(data!.articles.map((a) => a.title)).toEqual(['Colon: quoted']);
  });
});

describe('a file that is not UTF-8', () => {
  it('is reported at the line and column of its first byte that is not, with the byte', async () => {
    const dir = await writeArticles({ 'news/_index.md': '---\ntitle: News\n---\n' });
    // Latin-1: "é" is the one byte 0xE9, here on line 2 after "title: Caf".
    await writeFile(path.join(dir, 'news/latin1.md'), Buffer.from('---\ntitle: Caf\xe9 cr\xe8me\ndate: 2020-01-01 10:00\n---\n', 'latin1'));
    await writeFile(path.join(dir, 'news/crlf.md'), Buffer.concat([Buffer.from('---\r\ntitle: Ünïcode then\r\ndate: 2020-01-01 10:00\r\n---\r\n\r\nA '), Buffer.from([0xc3, 0x28]), Buffer.from('\r\n')]));
    const { problems } = await loadSite(dir);
    expect(messages(problems)).toEqual([
      'articles/news/crlf.md:6: file is not valid UTF-8: the byte 0xC3 at column 3 (byte 62 of the file) begins no UTF-8 character; save the file as UTF-8 (it may be Latin-1 or Windows-1252)',
      'articles/news/latin1.md:2: file is not valid UTF-8: the byte 0xE9 at column 11 (byte 15 of the file) begins no UTF-8 character; save the file as UTF-8 (it may be Latin-1 or Windows-1252)',
    ]);
  });
});

describe('a section folder without _index.md', () => {
  it('is a note of check (its title comes from the folder name), which the server does not print', async () => {
    const dir = await writeArticles({
      'sports/match.md': article('title: Match\ndate: 2020-01-01 10:00'),
      'news/_index.md': '---\ntitle: News\n---\n',
      'news/local/story.md': article('title: Story\ndate: 2020-01-01 10:00'),
    });
    const { data, problems, notes } = await loadSite(dir);
    expect(problems).toEqual([]);
    expect(data!.sections.find((s) => s.path.join('/') === 'sports')?.title).toBe('sports');
    expect(messages(notes)).toEqual([
      'articles/news/local:1: info: the section has no _index.md, so it is titled "local" after its folder: give it a title in articles/news/local/_index.md',
      'articles/sports:1: info: the section has no _index.md, so it is titled "sports" after its folder: give it a title in articles/sports/_index.md',
    ]);
    const { code, stdout, stderr } = await check(dir);
    expect(code).toBe(0);
    expect(stdout).toBe(`${messages(notes).join('\n')}\n`);
    expect(stderr).toMatch(/^2 articles valid; 0 errors, 0 warnings, 2 notes; parsed on 1 thread\n$/);
  });
});

describe("check's summary", () => {
  it('says one article, one error, in words that agree with the numbers', async () => {
    const dir = await writeArticles({
      'news/_index.md': '---\ntitle: News\n---\n',
      'news/good.md': article('title: Good\ndate: 2020-01-01 10:00\nautor: Me'),
      'news/bad.md': article('title: Bad\ndate: 2020-02-30 10:00'),
    });
    expect((await check(dir)).stderr).toBe('1 article valid, 1 invalid; 1 error, 1 warning; parsed on 1 thread\n');
  });

  it('says what the cache spared, not "parsed on 0 threads"', () => {
    expect(parsedOn({ threads: 0, cached: 17 })).toBe('all 17 articles from the cache');
    expect(parsedOn({ threads: 0, cached: 1 })).toBe('all 1 article from the cache');
    expect(parsedOn({ threads: 0, cached: 0 })).toBe('nothing to parse');
    expect(parsedOn({ threads: 2, cached: 5 })).toBe('parsed on 2 threads (5 from the cache)');
  });
});
