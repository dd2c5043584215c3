/**
 * `feedgen build` from its cache updates the output folder in place: after each kind of edit a
 * newsroom makes, the folder is exactly (names, bytes, modification times) what a build without
 * the cache writes, only the files whose bytes changed were written, and only the edited file was
 * read again. Deleting or breaking the cache changes nothing but the time taken.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deserialize } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir, outputRecordFile } from '../../src/state/cache.js';
import type { RunRecord } from '../../src/state/up-to-date.js';
import { scratchFolder } from '../helpers/scratch.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

let work: string;
let articles: string;

interface Summary {
  written: number;
  deleted: number;
  /** Articles parsed, and articles the cache held unread. */
  threads: number;
  cached: number;
}

async function build(out: string, ...extra: string[]): Promise<Summary> {
  return buildFrom(work, out, ...extra);
}

/** `cwd`: where the command runs, which decides how its messages name files. */
async function buildFrom(cwd: string, out: string, ...extra: string[]): Promise<Summary> {
  const { stderr } = await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'build', '--articles', articles, '--out', out, ...extra], { cwd });
  // "parsed on 1 thread (16 from the cache)", or "all 17 articles from the cache" when nothing was parsed.
  const summary = /: (\d+) written, (\d+) deleted; (?:parsed on (\d+) threads?(?: \((\d+) from the cache\))?|all (\d+) articles? from the cache)$/m.exec(stderr);
  if (!summary) throw new Error(`no summary line in:\n${stderr}`);
  const [written, deleted, threads, parsedBeside, allCached] = summary.slice(1).map((n) => Number(n ?? 0));
  return { written: written as number, deleted: deleted as number, threads: threads as number, cached: (parsedBeside || allCached) as number };
}

/**
 * Every file of a folder: its bytes' hash and its modification time (whole seconds: what hosts
 * send), but for `_headers` and `_redirects`, which hosts read as settings and never serve.
 */
async function tree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(file);
      else {
        const digest = createHash('sha256').update(await readFile(file)).digest('hex');
        const served = !entry.name.startsWith('_');
        files[path.relative(dir, file)] = served ? `${digest} ${Math.floor((await stat(file)).mtimeMs / 1000)}` : digest;
      }
    }
  };
  await walk(dir);
  return files;
}

/** The incremental build and a build from nothing agree, file for file. */
async function expectSameAsFullBuild(): Promise<void> {
  const full = path.join(work, 'full');
  await build(full, '--no-cache');
  expect(await tree(path.join(work, 'dist'))).toEqual(await tree(full));
}

/** What the last build into `out` was made from, as its record in the cache says (read as written by the compiled code, whatever this code's fingerprint). */
function recordedRun(out: string): RunRecord {
  const file = outputRecordFile(defaultCacheDir(articles), 'builds', out);
  return (deserialize(readFileSync(file)) as { value: { run: RunRecord } }).value.run;
}

/** Stamps taken within two seconds of a file's change are not trusted (cache.ts): let them settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2100));

async function edit(relative: string, change: (text: string) => string): Promise<void> {
  const file = path.join(articles, relative);
  await writeFile(file, change(await readFile(file, 'utf8')));
}

describe('feedgen build from its cache', () => {
  let count: number;
  beforeAll(async () => {
    work = await scratchFolder('feedgen-incremental-');
    articles = path.join(work, 'articles');
    await cp(BUNDLED_ARTICLES, articles, { recursive: true });
    await settle();
    const first = await build(path.join(work, 'dist'));
    count = Object.keys(await tree(path.join(work, 'dist'))).length;
    expect(first.written).toBe(count);
  }, 60_000);

  it('writes nothing and reads no article when nothing changed', async () => {
    expect(await build(path.join(work, 'dist'))).toEqual({ written: 0, deleted: 0, threads: 0, cached: 17 });
  });

  it('reads no article either when it runs from another folder', async () => {
    expect(await buildFrom(tmpdir(), path.join(work, 'dist'))).toEqual({ written: 0, deleted: 0, threads: 0, cached: 17 });
  });

  it('after a corrected body: reads that file only, writes only the files that show it', async () => {
    await edit('europe/rail-night-trains-return.md', (text) => `${text}\nA correction, appended.\n`);
    const summary = await build(path.join(work, 'dist'));
    expect(summary).toMatchObject({ threads: 1, cached: 16 });
    // Its page, the feeds of its section, the site, its tags, author and editions: not the rest.
    expect(summary.written).toBeGreaterThan(3);
    expect(summary.written).toBeLessThan(count / 4);
    expect(summary.deleted).toBe(0);
    await expectSameAsFullBuild();
  }, 60_000);

  it('after a new title, a new article with a new tag, and a deleted article', async () => {
    await edit('africa/lagos-tech-hub.md', (text) => text.replace(/^title: .*$/m, 'title: "A new title & <more>"'));
    await writeFile(
      path.join(articles, 'africa/new-arrival.md'),
      '---\ntitle: A new arrival\ndate: 2020-02-02 10:00\ntags: [A tag never seen before]\n---\n\nHello.\n',
    );
    let summary = await build(path.join(work, 'dist'));
    expect(summary.deleted).toBe(0);
    await expectSameAsFullBuild();

    await rm(path.join(articles, 'africa/new-arrival.md'));
    summary = await build(path.join(work, 'dist'));
    // Its page, and the page and feeds of a tag no article has any more.
    expect(summary.deleted).toBeGreaterThanOrEqual(5);
    await expectSameAsFullBuild();
  }, 120_000);

  it('after a section renamed in its _index.md, an author profile edited, and an article moved', async () => {
    await edit('europe/_index.md', (text) => text.replace(/^title: .*$/m, 'title: Europe, renamed'));
    await edit('_authors.yml', (text) => text.replace('Correspondent in New York', 'Correspondent in Boston'));
    await rename(path.join(articles, 'africa/solar-minigrids-expand.md'), path.join(articles, 'africa/solar-minigrids.md'));
    const summary = await build(path.join(work, 'dist'));
    expect(summary.deleted).toBeGreaterThanOrEqual(1);
    await expectSameAsFullBuild();
    expect(await readFile(path.join(work, 'dist/_redirects'), 'utf8')).toContain('/africa/solar-minigrids-expand/ /africa/solar-minigrids/ 301');
  }, 120_000);

  it('lists the redirects it learns where a build that reads them from the ledger lists them', async () => {
    // Its old path sorts before the one the ledger holds already (found by the incremental property test, seed 502).
    await rename(path.join(articles, 'africa/lagos-tech-hub.md'), path.join(articles, 'africa/lagos-tech-hub-moved.md'));
    await build(path.join(work, 'dist'));
    expect((await readFile(path.join(work, 'dist/_redirects'), 'utf8')).split('\n').filter(Boolean)).toEqual([
      '/africa/lagos-tech-hub/ /africa/lagos-tech-hub-moved/ 301',
      '/africa/solar-minigrids-expand/ /africa/solar-minigrids/ 301',
    ]);
    await expectSameAsFullBuild();
  }, 120_000);

  it('after a site setting that only headers show (embed hosts: the Content-Security-Policy)', async () => {
    await edit('_index.md', (text) => text.replace('cache_max_age: 300\n', 'cache_max_age: 300\nembed_hosts: [media.example.org]\n'));
    await build(path.join(work, 'dist'));
    await expectSameAsFullBuild();
    expect(await readFile(path.join(work, 'dist/_headers'), 'utf8')).toContain('media.example.org');
  }, 60_000);

  it('sees a rewrite that keeps the size and restores the modification time', async () => {
    await settle();
    const relative = 'asia/typhoon-makes-landfall.md';
    const file = path.join(articles, relative);
    const before = await stat(file);
    await edit(relative, (text) => text.replace(/^title: (.)/m, (_, first: string) => `title: ${first === 'X' ? 'Y' : 'X'}`));
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);
    const summary = await build(path.join(work, 'dist'));
    expect(summary.threads).toBe(1);
    await expectSameAsFullBuild();
  }, 60_000);

  it('records a file that had just changed by its stats once it has settled, so that later runs stop reading it', async () => {
    const relative = 'asia/typhoon-makes-landfall.md';
    await edit(relative, (text) => `${text}\nA line, appended.\n`);
    const out = path.join(work, 'dist');
    const compared = () => recordedRun(out).files.get(relative)?.hash !== undefined;
    await build(out);
    expect(compared()).toBe(true);
    await settle();
    expect(await build(out)).toMatchObject({ written: 0, threads: 0 });
    expect(compared()).toBe(false);
    // Settled is still compared: the same size and modification time, another text.
    const before = await stat(path.join(articles, relative));
    await edit(relative, (text) => text.replace('A line, appended.', 'A line, rewritten'));
    await utimes(path.join(articles, relative), before.atime, before.mtime);
    expect(await build(out)).toMatchObject({ threads: 1 });
    await expectSameAsFullBuild();
  }, 60_000);

  it('changes nothing but the time taken when the cache is deleted or broken', async () => {
    const cache = defaultCacheDir(articles);
    for (const file of await readdir(path.join(cache, 'parses'))) await writeFile(path.join(cache, 'parses', file), 'not a cache');
    for (const file of await readdir(path.join(cache, 'builds'))) await writeFile(path.join(cache, 'builds', file), 'not a cache');
    const broken = await build(path.join(work, 'dist'));
    expect(broken).toMatchObject({ cached: 0, deleted: 0 });
    await expectSameAsFullBuild();

    await rm(cache, { recursive: true });
    await build(path.join(work, 'dist'));
    await expectSameAsFullBuild();
  }, 120_000);

  it('with --no-cache, neither reads nor writes a cache', async () => {
    const fresh = await scratchFolder('feedgen-nocache-');
    await cp(BUNDLED_ARTICLES, path.join(fresh, 'articles'), { recursive: true });
    await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'build', '--no-cache', '--out', path.join(fresh, 'dist')], { cwd: fresh });
    expect(await readdir(fresh)).not.toContain('.feedgen-cache');
  }, 60_000);
});
