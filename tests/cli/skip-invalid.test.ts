/**
 * `build --skip-invalid` (and `worker-data --skip-invalid`): the valid articles are published, every
 * invalid one is reported as path:line, and the exit status (3) says that some were left out. The
 * default stays all or nothing (exit 1, the output folder as it was).
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { article, writeArticles } from '../helpers/articles.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function feedgen(args: string[], cwd: string): Promise<Run> {
  return run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args], { cwd, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Run) => error,
  );
}

/** Six invalid articles of six kinds, and two valid ones. */
const SITE = {
  'news/_index.md': '---\ntitle: News\n---\n',
  'news/good.md': article('title: Good\ndate: 2020-01-01 10:00'),
  'news/also-good.md': article('title: Also good\ndate: 2020-01-02 10:00'),
  'news/colon.md': article('title: Colon: in title\ndate: 2020-01-01 10:00'),
  'news/typo.md': article('tittle: Typo\ndate: 2020-01-01 10:00'),
  'news/bad-date.md': article('title: Bad date\ndate: 2020-02-30 10:00'),
  'news/no-date.md': article('title: No date'),
  'news/same-id.md': article('title: Same id\ndate: 2020-01-01 10:00\nid: tag:example.com,2020:x'),
  'news/same-id-too.md': article('title: Same id too\ndate: 2020-01-01 10:00\nid: tag:example.com,2020:x'),
  'archive/reserved.md': article('title: In a reserved folder\ndate: 2020-01-01 10:00'),
};

const INVALID_LINES = [
  'articles/archive:1: folder name "archive" is reserved for generated URLs; its articles are left out (rename the folder)',
  'articles/news/bad-date.md:3: "date": day 30 does not exist in 2020-02 (it has 29 days) in "2020-02-30 10:00"',
  'articles/news/colon.md:2: YAML: Nested mappings are not allowed in compact mappings (put the value in quotes: title: "Colon: in title")',
  'articles/news/no-date.md:1: "date" is required',
  'articles/news/same-id.md:4: id "tag:example.com,2020:x" is already used by articles/news/same-id-too.md',
  'articles/news/typo.md:2: unknown key "tittle": did you mean "title"? ("title" is required)',
];

describe('build with invalid articles', () => {
  it('by default publishes nothing, exits 1, and says that --skip-invalid would publish the others', async () => {
    const articles = await writeArticles(SITE);
    const cwd = path.dirname(articles);
    const built = await feedgen(['build', '--out', 'out'], cwd);
    expect(built.code).toBe(1);
    expect(built.stderr.split('\n').filter((line) => line.startsWith('articles/') && !line.includes(': info: '))).toEqual(INVALID_LINES);
    expect(built.stderr).toContain('feedgen build: 6 errors in 6 invalid articles (--skip-invalid publishes the others); out left as it was\n');
    expect(await readdir(cwd)).not.toContain('out');
  });

  it('with --skip-invalid publishes the valid ones, reports each invalid one as path:line, and exits 3', async () => {
    const articles = await writeArticles(SITE);
    const cwd = path.dirname(articles);
    const built = await feedgen(['build', '--out', 'out', '--skip-invalid'], cwd);
    expect(built.code, built.stderr).toBe(3);
    expect(built.stderr.split('\n').filter((line) => line.startsWith('articles/') && !line.includes(': info: '))).toEqual(INVALID_LINES);
    expect(built.stderr).toMatch(/^feedgen build: 3 articles, \d+ files, \d+(\.\d)? KiB in out: \d+ written, 0 deleted; parsed on 1 thread\n/m);
    expect(built.stderr.endsWith('feedgen build: left out 6 invalid articles (see above)\n')).toBe(true);
    const pages = await readdir(path.join(cwd, 'out/news'));
    expect(pages).toEqual(expect.arrayContaining(['good', 'also-good', 'same-id-too']));
    for (const left of ['colon', 'typo', 'bad-date', 'no-date', 'same-id']) expect(pages).not.toContain(left);
    const atom = await readFile(path.join(cwd, 'out/news/atom.xml'), 'utf8');
    expect(atom).toContain('<title type="text">Good</title>');

    // Once they are fixed, an ordinary build publishes everything and exits 0.
    for (const name of ['colon', 'typo', 'bad-date', 'no-date', 'same-id']) await writeFile(path.join(articles, `news/${name}.md`), article(`title: Fixed ${name}\ndate: 2020-01-03 10:00`));
    await rm(path.join(articles, 'archive'), { recursive: true });
    const fixed = await feedgen(['build', '--out', 'out'], cwd);
    expect(fixed.code, fixed.stderr).toBe(0);
  });

  it('with --skip-invalid still stops at an error in the settings, which every article depends on', async () => {
    const articles = await writeArticles({ ...SITE, '_index.md': '---\ntitle: Site\nbase_url: https://example.com\ntimezone: Asia/Shanghai\nfeed_limit: many\n---\n' });
    const cwd = path.dirname(articles);
    const built = await feedgen(['build', '--out', 'out', '--skip-invalid'], cwd);
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('articles/_index.md:5: "feed_limit" must be a whole number from 1 to 1000, not "many"\n');
    expect(built.stderr).toContain('feedgen build: 7 errors, 1 of them outside articles (in settings or the ledger), which --skip-invalid does not skip; out left as it was\n');
    expect(await readdir(cwd)).not.toContain('out');
  });

  it('with --skip-invalid publishes nothing when no article is valid', async () => {
    const articles = await writeArticles({ 'news/colon.md': article('title: Colon: in title\ndate: 2020-01-01 10:00') });
    const cwd = path.dirname(articles);
    const built = await feedgen(['build', '--out', 'out', '--skip-invalid'], cwd);
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('feedgen build: no article is valid; out left as it was\n');
  });

  it('with --skip-invalid says so when an article it leaves out was published before: feeds announce it as deleted', async () => {
    const articles = await writeArticles({ 'news/_index.md': '---\ntitle: News\n---\n', 'news/a.md': article('title: A\ndate: 2020-01-01 10:00'), 'news/b.md': article('title: B\ndate: 2020-01-01 11:00') });
    const cwd = path.dirname(articles);
    expect((await feedgen(['build', '--out', 'out'], cwd)).code).toBe(0);
    await writeFile(path.join(articles, 'news/b.md'), article('title: B: broken\ndate: 2020-01-01 11:00'));
    const built = await feedgen(['build', '--out', 'out', '--skip-invalid'], cwd);
    expect(built.code).toBe(3);
    expect(built.stderr).toContain(
      'articles/news/b.md:1: warning: published before and now left out as invalid: it is recorded as deleted, and Atom feeds announce its deletion until it is fixed\n',
    );
  });
});

describe('--skip-invalid', () => {
  it('is in the usage lines of build and worker-data, with its exit status in build --help', async () => {
    const build = await feedgen(['build', '--help'], ROOT);
    expect(build.stdout).toMatch(/^Usage: feedgen build .*\[--skip-invalid\]/m);
    expect(build.stdout).toContain('Exit status: 0 built; 1 nothing built (an error); 2 a usage error; 3 built, invalid articles left out (--skip-invalid).');
    expect((await feedgen(['worker-data', '--help'], ROOT)).stdout).toMatch(/^Usage: feedgen worker-data .*\[--skip-invalid\]/m);
  });
});

describe('worker-data --skip-invalid', () => {
  it('writes the assets of the valid articles and exits 3', async () => {
    const articles = await writeArticles(SITE);
    const cwd = path.dirname(articles);
    const plain = await feedgen(['worker-data', '--out', 'assets'], cwd);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('feedgen worker-data: 6 errors in 6 invalid articles (--skip-invalid publishes the others); assets left as it was\n');
    const written = await feedgen(['worker-data', '--out', 'assets', '--skip-invalid'], cwd);
    expect(written.code, written.stderr).toBe(3);
    expect(written.stderr).toMatch(/^feedgen worker-data: 3 articles, \d+ representations \(\d+(\.\d)? KiB\) and \d+ manifest files in assets: \d+ written, \d+ deleted\n/m);
    expect(await readdir(path.join(cwd, 'assets/news'))).toEqual(expect.arrayContaining(['good', 'also-good']));
  });
});
