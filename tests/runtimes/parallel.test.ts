/**
 * Large loads parse on worker threads (src/content/parallel.ts), which only run from the compiled
 * lib/: the CLI on more articles than PARALLEL_THRESHOLD must parse on more than one thread (its
 * summary says how many), and report and write exactly what the in-process, single-thread load and
 * render of the same folder give.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { PARALLEL_THRESHOLD } from '../../src/content/parallel.js';
import { formatProblem } from '../../src/content/model.js';
import { fileForPath } from '../../src/runtimes/static.js';
import { LEDGER_FILE } from '../../src/state/ledger.js';
import { readLedger } from '../../src/state/ledger-file.js';
import { article, writeArticles } from '../helpers/articles.js';
import { renderSite } from '../helpers/site.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const COUNT = PARALLEL_THRESHOLD + 100;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/feedgen.js', ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return failure;
  }
}

/** The thread count the CLI's summary line reports ("… parsed on 3 threads"). */
function threadsParsing(stderr: string): number {
  const reported = /parsed on (\d+) threads?$/m.exec(stderr)?.[1];
  if (reported === undefined) throw new Error(`no thread count in: ${stderr}`);
  return Number(reported);
}

function corpus(count: number, broken: (i: number) => boolean): Record<string, string> {
  const files: Record<string, string> = { 'world/_index.md': '---\ntitle: World\ntimezone: Europe/Berlin\n---\n' };
  for (let i = 0; i < count; i++) {
    const section = ['world', 'world/trade', 'asia', 'asia/south'][i % 4] as string;
    const date = broken(i) ? `2020-02-${30 + (i % 2)} 10:00` : `2020-0${1 + (i % 9)}-1${i % 10} 0${i % 10}:30`;
    files[`${section}/story-${i}.md`] = article(`title: Story ${i}\ndate: ${date}\ntags: [t${i % 7}]`, `Paragraph **${i}** with [a link](../) and ![img](p${i}.png).\n\n- one\n- two`);
  }
  return files;
}

// Worker threads number one fewer than the cores: a single-core host starts none.
describe.skipIf(availableParallelism() < 2)('worker-thread loads', () => {
  it('report the same problems as a single-thread load', async () => {
    const dir = await writeArticles(corpus(COUNT, (i) => i % 37 === 0));
    const checked = await cli(['check', '--articles', dir]);
    expect(checked.code).toBe(1);
    expect(threadsParsing(checked.stderr)).toBeGreaterThan(1);
    const inProcess = await loadSite(dir, { parallel: { threshold: Infinity }, displayFrom: ROOT });
    expect(inProcess.problems.filter((p) => p.severity === 'error')).toHaveLength(Math.ceil(COUNT / 37));
    // check also notes the sections that have no _index.md (LoadResult.notes).
    expect(checked.stdout.trim().split('\n').filter((line) => !line.includes(': info: '))).toEqual(inProcess.problems.map(formatProblem));
  });

  it('move bodies out of memory as the workers return them, read back the same (the compiled loader, whose workers run)', async () => {
    const dir = await writeArticles(corpus(COUNT, () => false));
    const lib = (file: string) => import(pathToFileURL(path.join(ROOT, 'lib', file)).href);
    const compiled = (await lib('content/load.js')) as typeof import('../../src/content/load.js');
    const { BodySpill } = (await lib('state/cache.js')) as typeof import('../../src/state/cache.js');
    const spilled = await compiled.loadSite(dir, { spill: new BodySpill(COUNT) });
    expect(spilled.threads).toBeGreaterThan(1);
    const articles = spilled.data!.articles;
    expect(articles.every((a) => typeof Object.getOwnPropertyDescriptor(a, 'html')?.get === 'function')).toBe(true);
    const inProcess = await loadSite(dir, { parallel: { threshold: Infinity } });
    expect(articles.map((a) => a.html)).toEqual(inProcess.data!.articles.map((a) => a.html));
  }, 120_000);

  it('build the same bytes as a single-thread render', async () => {
    const dir = await writeArticles(corpus(COUNT, () => false));
    const out = path.join(path.dirname(dir), 'dist');
    const now = Date.UTC(2026, 11, 1);
    const built = await cli(['build', '--articles', dir, '--out', out, '--now', new Date(now).toISOString()]);
    expect(built.code, built.stderr).toBe(0);
    expect(threadsParsing(built.stderr)).toBeGreaterThan(1);
    // Rendered with the history the build recorded, which dates the sitemaps' entries.
    const ledger = readLedger(path.join(dir, LEDGER_FILE));
    if (!ledger.ok) throw new Error('the build left a ledger that does not read');
    const site = await renderSite(dir, {}, { ledger: ledger.ledger, now });
    expect(site.data.articles).toHaveLength(COUNT);
    for (const { path: urlPath, rendered } of site.resources) {
      expect(await readFile(path.join(out, fileForPath(urlPath)), 'utf8'), urlPath).toBe(rendered.body);
    }
  }, 120_000);
});
