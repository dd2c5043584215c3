/**
 * `feedgen check` and time problems: every one as `path:line: message`; warnings (exit 0) where the
 * compatible rule had to move or choose a time, errors (exit 1) under reject or for bad input.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { article, writeArticles } from '../helpers/articles.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Check {
  code: number | null;
  lines: string[];
  summary: string;
}

/** Runs `feedgen check` from the articles folder's parent, as an editor in a site's checkout would. */
function check(articlesDir: string): Promise<Check> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'check', '--articles', path.basename(articlesDir)], { cwd: path.dirname(articlesDir) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // Sections without an _index.md are noted (info): not what these tests are about.
    const untitled = ': info: the section has no _index.md';
    child.on('close', (code) => resolve({ code, lines: stdout.split('\n').filter((line) => line !== '' && !line.includes(untitled)), summary: stderr.trim() }));
  });
}

beforeAll(() => {
  for (const [source, compiled] of [['src/content/article.ts', 'lib/content/article.js'], ['src/time/resolve.ts', 'lib/time/resolve.js']]) {
    const built = statSync(path.join(ROOT, compiled as string), { throwIfNoEntry: false });
    if (!built || built.mtimeMs < statSync(path.join(ROOT, source as string)).mtimeMs) {
      throw new Error(`${compiled} is missing or older than ${source}: run "npm run build" first (npm test does)`);
    }
  }
});

const US = '---\ntitle: US\ntimezone: America/New_York\n---\n';

describe('under the compatible rule (the default)', () => {
  it('warns about times in a gap or an overlap, on the line of the key, and exits 0', async () => {
    const dir = await writeArticles({
      'us/_index.md': US,
      'us/gap.md': article('title: Gap\ndate: 2019-03-10 02:30'),
      'us/overlap.md': article('title: Overlap\ndate: 2019-11-03 01:30\nupdated: 2019-11-03 01:45'),
      'br/_index.md': '---\ntimezone: America/Sao_Paulo\n---\n',
      'br/midnight.md': article('title: Midnight\ndate: 2018-11-04'),
      'nz/lord-howe.md': article('title: LH\ntimezone: Australia/Lord_Howe\ndate: 2019-10-06 02:15'),
    });
    const { code, lines, summary } = await check(dir);
    expect(lines).toEqual([
      'articles/br/midnight.md:3: warning: "date" 2018-11-04 00:00 does not exist in America/Sao_Paulo (clocks jumped from -03:00 to -02:00); read as 2018-11-04T01:00:00-02:00 by the "compatible" rule: write the offset to say what you mean',
      'articles/nz/lord-howe.md:4: warning: "date" 2019-10-06 02:15 does not exist in Australia/Lord_Howe (clocks jumped from +10:30 to +11:00); read as 2019-10-06T02:45:00+11:00 by the "compatible" rule: write the offset to say what you mean',
      'articles/us/gap.md:3: warning: "date" 2019-03-10 02:30 does not exist in America/New_York (clocks jumped from -05:00 to -04:00); read as 2019-03-10T03:30:00-04:00 by the "compatible" rule: write the offset to say what you mean',
      'articles/us/overlap.md:3: warning: "date" 2019-11-03 01:30 happens twice in America/New_York (-04:00, then -05:00); read as the earlier, 2019-11-03T01:30:00-04:00, by the "compatible" rule: write the offset to say what you mean',
      'articles/us/overlap.md:4: warning: "updated" 2019-11-03 01:45 happens twice in America/New_York (-04:00, then -05:00); read as the earlier, 2019-11-03T01:45:00-04:00, by the "compatible" rule: write the offset to say what you mean',
    ]);
    expect(summary).toBe('4 articles valid; 0 errors, 5 warnings, 1 note; parsed on 1 thread');
    expect(code).toBe(0);
  });

  it('says nothing when the editor chose: an explicit offset, or earlier/later', async () => {
    const dir = await writeArticles({
      'us/_index.md': US,
      'us/offset.md': article('title: Offset\ndate: 2019-11-03 01:30-05:00'),
      'us/later.md': article('title: Later\ndate: 2019-11-03 01:30\ndisambiguation: later'),
      'us/earlier.md': article('title: Earlier\ndate: 2019-03-10 02:30\ndisambiguation: earlier'),
      'us/plain.md': article('title: Plain\ndate: 2019-07-04 12:00'),
    });
    const { code, lines, summary } = await check(dir);
    expect(lines).toEqual([]);
    expect(summary).toBe('4 articles valid; 0 errors, 0 warnings; parsed on 1 thread');
    expect(code).toBe(0);
  });
});

describe('under the reject rule', () => {
  it('reports errors naming the zone and both offsets, and exits 1', async () => {
    const dir = await writeArticles({
      'us/_index.md': '---\ntimezone: America/New_York\ndisambiguation: reject\n---\n',
      'us/gap.md': article('title: Gap\ndate: 2019-03-10 02:30'),
      'us/overlap.md': article('title: Overlap\n\ndate: 2019-11-03 01:30'),
      'us/fine.md': article('title: Fine\ndate: 2019-11-03 01:30-04:00'),
    });
    const { code, lines, summary } = await check(dir);
    expect(lines).toEqual([
      'articles/us/gap.md:3: "date": 2019-03-10 02:30 does not exist in America/New_York: clocks jumped from -05:00 to -04:00, skipping 1 hour; write the offset, or choose disambiguation compatible, earlier or later',
      'articles/us/overlap.md:4: "date": 2019-11-03 01:30 happens twice in America/New_York: clocks were set back from -04:00 to -05:00, so it is either 2019-11-03 01:30-04:00 (earlier) or 2019-11-03 01:30-05:00 (later); write the offset, or choose disambiguation earlier or later',
    ]);
    expect(summary).toBe('1 article valid, 2 invalid; 2 errors, 0 warnings; parsed on 1 thread');
    expect(code).toBe(1);
  });
});

describe('inheritance: article -> section -> parent section -> site', () => {
  it('takes the timezone and the rule from the nearest level that sets them', async () => {
    const dir = await writeArticles({
      '_index.md': '---\ntitle: Site\nbase_url: https://feeds.example.com\ntimezone: America/New_York\ndisambiguation: reject\n---\n',
      'a/_index.md': '---\ndisambiguation: later\n---\n',
      'a/b/_index.md': '---\ntimezone: Europe/Dublin\n---\n',
      'a/b/dublin.md': article('title: D\ndate: 2019-10-27 01:30'),
      'a/ny.md': article('title: N\ndate: 2019-11-03 01:30'),
      'a/own.md': article('title: O\ndate: 2019-10-27 01:30\ntimezone: Europe/London\ndisambiguation: compatible'),
      'site.md': article('title: S\ndate: 2019-11-03 01:30'),
    });
    const { code, lines } = await check(dir);
    expect(lines).toEqual([
      'articles/a/own.md:3: warning: "date" 2019-10-27 01:30 happens twice in Europe/London (+01:00, then +00:00); read as the earlier, 2019-10-27T01:30:00+01:00, by the "compatible" rule: write the offset to say what you mean',
      expect.stringMatching(/^articles\/site\.md:3: "date": 2019-11-03 01:30 happens twice in America\/New_York: /),
    ]);
    expect(code).toBe(1);
  });
});

describe('other time problems', () => {
  it('each on its own line with the key\'s line number', async () => {
    const dir = await writeArticles({
      'x/bad-date.md': article('title: A\ndate: 2019-02-30 10:00'),
      'x/bad-form.md': article('title: B\ndate: "09/12/2019"'),
      'x/bad-zone.md': article('title: C\ntimezone: IST\ndate: 2019-09-12 07:47'),
      'x/typo-zone.md': article('title: D\ntimezone: Asia/Shangai\ndate: 2019-09-12 07:47'),
      'x/bad-updated.md': article('title: E\ndate: 2019-09-12 07:47\nupdated: 2019-09-12 24:00'),
      'x/bad-rule.md': article('title: F\ndate: 2019-09-12 07:47\ndisambiguation: never'),
      'y/_index.md': '---\ntimezone: CST\n---\n',
    });
    const { code, lines } = await check(dir);
    expect(lines).toEqual([
      'articles/x/bad-date.md:3: "date": day 30 does not exist in 2019-02 (it has 28 days) in "2019-02-30 10:00"',
      expect.stringMatching(/^articles\/x\/bad-form\.md:3: "date": "09\/12\/2019": dates with slashes or dots are not accepted; write YYYY-MM-DD; accepted: /),
      'articles/x/bad-rule.md:4: "disambiguation" must be one of compatible, earlier, later, reject, not "never"',
      'articles/x/bad-updated.md:4: "updated": hour 24 does not exist (use 00-23; 24:00 is written as 00:00 of the next day) in "2019-09-12 24:00"',
      'articles/x/bad-zone.md:3: time zone "IST" is an abbreviation, not an IANA zone name: it can mean Asia/Kolkata, Europe/Dublin or Asia/Jerusalem: write the IANA name of the place',
      'articles/x/typo-zone.md:3: unknown time zone "Asia/Shangai": did you mean Asia/Shanghai?',
      'articles/y/_index.md:2: time zone "CST" is an abbreviation, not an IANA zone name: it can mean America/Chicago, Asia/Shanghai or America/Havana: write the IANA name of the place (until it is fixed, articles below whose dates have no offset are left out)',
    ]);
    expect(code).toBe(1);
  });
});
