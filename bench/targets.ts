/**
 * Issue 22's targets on one corpus (10k articles by default), each beside its baseline measured in
 * the same run, with the goal and whether it is met:
 *
 *   - output bytes of a default build, against Hugo doing the same kinds of work (bench/build.ts);
 *   - a cold build (cache and ledger removed), against Hugo (median of BENCH_ROUNDS);
 *   - `build` from the cache with nothing changed, after one body corrected and after one article
 *     published, against the cold build;
 *   - `worker-data` from the cache after one body corrected, against a cold `worker-data`, and the
 *     files it wrote against the files whose bytes changed;
 *   - `serve` restarted to its first response (from the kept snapshot the start before it left),
 *     and its first start from the cache, against `serve --no-cache`, and its resident memory
 *     then, against the 1 GiB the issue allows at 100k articles.
 *
 * Serving throughput against a bare node:http server is the `serve` benchmark's. Without Hugo
 * (Debian package `hugo`) the Hugo rows say so. The corpus's files are restored at the end.
 *
 *   npx tsx bench/targets.ts               (BENCH_TARGETS_SIZE=10000 BENCH_ROUNDS=3)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCacheDir } from '../src/state/cache.js';
import { LEDGER_FILE } from '../src/state/ledger.js';
import { hugoAvailable, hugoSite, timed, type Timed } from './build.js';
import { ensureCorpus } from './corpus.js';
import { serveFirstResponse } from './launch.js';
import { changedFiles, hashTree, treeStats } from './tree.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SIZE = Number(process.env.BENCH_TARGETS_SIZE ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const OUT_ROOT = process.env.BENCH_OUT ?? tmpdir();
const SERVE_PORT = 18797;

interface Row {
  target: string;
  measured: string;
  baseline: string;
  ratio: number | undefined;
  goal: number | undefined;
  note?: string;
}

const rows: Row[] = [];

function report(row: Row): void {
  rows.push(row);
  const ratio = row.ratio === undefined ? '-' : `${row.ratio.toFixed(row.ratio < 0.1 ? 3 : 2)}x`;
  const goal = row.goal === undefined ? '' : `<= ${row.goal}x ${row.ratio !== undefined && row.ratio <= row.goal ? 'met' : 'NOT met'}`;
  console.log(`${row.target.padEnd(40)} ${row.measured.padStart(16)} ${row.baseline.padStart(22)} ${ratio.padStart(8)}  ${goal}${row.note ? `  (${row.note})` : ''}`);
}

function median(runs: Timed[]): Timed {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as Timed;
}

/** A feedgen command under GNU time, with what it said on stderr. */
async function feedgen(...args: string[]): Promise<Timed & { said: string }> {
  let said = '';
  const time = await timed(process.execPath, ['bin/feedgen.js', ...args], ROOT, (text) => (said = text));
  return { ...time, said };
}

function written(said: string): number {
  return Number(/(\d+) written/.exec(said)?.[1] ?? NaN);
}

const seconds = (t: { seconds: number }) => `${t.seconds.toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

export async function benchTargets(): Promise<void> {
  const articles = await ensureCorpus(SIZE);
  const cache = defaultCacheDir(articles);
  const ledger = path.join(articles, LEDGER_FILE);
  const work = await mkdtemp(path.join(OUT_ROOT, 'feedgen-targets-'));
  const section = path.join(articles, 'world', 'trade');
  const edited = path.join(section, 'bench-edited.md');
  const added = path.join(section, 'bench-new-article.md');
  const hugo = hugoAvailable();
  const site = hugo ? await hugoSite(articles) : undefined;
  const original = await readFile(ledger, 'utf8').catch(() => undefined);
  console.log(`issue 22's targets: ${SIZE} articles; output in ${OUT_ROOT}; cold runs the median of ${ROUNDS}${hugo ? '' : '; hugo not installed (apt-get install hugo): no Hugo baseline'}\n`);
  console.log(`${'target'.padEnd(40)} ${'measured'.padStart(16)} ${'baseline'.padStart(22)} ${'ratio'.padStart(8)}  goal`);
  try {
    await writeFile(edited, '---\ntitle: "Bench: an article to correct"\ndate: 2025-06-01 10:00\ntags: [trade]\nauthor: Bench Writer\n---\n\nNews.\n');
    const dist = path.join(work, 'dist');
    const cold: Timed[] = [];
    const hugoRuns: Timed[] = [];
    let coldBytes = 0;
    let hugoBytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all([rm(cache, { recursive: true, force: true }), rm(ledger, { force: true }), rm(dist, { recursive: true, force: true })]);
      cold.push(await feedgen('build', '--articles', articles, '--out', dist));
      coldBytes = (await treeStats(dist)).bytes;
      if (site) {
        const out = path.join(work, 'hugo');
        await rm(out, { recursive: true, force: true });
        hugoRuns.push(await timed('hugo', ['--quiet', '-s', site, '-d', out]));
        hugoBytes = (await treeStats(out)).bytes;
        await rm(out, { recursive: true, force: true });
      }
    }
    const coldBuild = median(cold);
    if (site) {
      const hugoBuild = median(hugoRuns);
      report({ target: 'output, default settings', measured: mb(coldBytes), baseline: `Hugo ${mb(hugoBytes)}`, ratio: coldBytes / hugoBytes, goal: 3 });
      report({ target: 'cold build (cache and ledger removed)', measured: seconds(coldBuild), baseline: `Hugo ${seconds(hugoBuild)}`, ratio: coldBuild.seconds / hugoBuild.seconds, goal: 1 });
    } else {
      report({ target: 'output, default settings', measured: mb(coldBytes), baseline: 'no Hugo', ratio: undefined, goal: 3 });
      report({ target: 'cold build (cache and ledger removed)', measured: seconds(coldBuild), baseline: 'no Hugo', ratio: undefined, goal: 1 });
    }
    // File stamps younger than 2 s are not trusted (content/source.ts): let the corpus settle.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await feedgen('build', '--articles', articles, '--out', dist);
    const same = await feedgen('build', '--articles', articles, '--out', dist);
    report({ target: 'build, nothing changed', measured: seconds(same), baseline: `cold ${seconds(coldBuild)}`, ratio: same.seconds / coldBuild.seconds, goal: 0.05 });
    await writeFile(edited, 'A correction, appended.\n', { flag: 'a' });
    const corrected = await feedgen('build', '--articles', articles, '--out', dist);
    report({ target: 'build, one body corrected', measured: seconds(corrected), baseline: `cold ${seconds(coldBuild)}`, ratio: corrected.seconds / coldBuild.seconds, goal: 0.08, note: `${written(corrected.said)} files written` });
    await writeFile(added, '---\ntitle: "Bench: a new article"\ndate: 2026-01-01 10:00\ntags: [trade]\nauthor: Bench Writer\n---\n\nNews.\n');
    const published = await feedgen('build', '--articles', articles, '--out', dist);
    report({ target: 'build, one article published', measured: seconds(published), baseline: `cold ${seconds(coldBuild)}`, ratio: published.seconds / coldBuild.seconds, goal: 0.08, note: `${written(published.said)} files written` });
    await rm(dist, { recursive: true, force: true });

    // worker-data: cold is without its record and parse cache (the ledger as the builds left it).
    const assets = path.join(work, 'assets');
    await rm(cache, { recursive: true, force: true });
    const coldAssets = await feedgen('worker-data', '--articles', articles, '--out', assets);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await feedgen('worker-data', '--articles', articles, '--out', assets);
    const before = await hashTree(assets);
    await writeFile(edited, 'A second correction.\n', { flag: 'a' });
    const oneEdit = await feedgen('worker-data', '--articles', articles, '--out', assets);
    const changed = changedFiles(before, await hashTree(assets)).length;
    report({ target: 'worker-data, one body corrected', measured: seconds(oneEdit), baseline: `cold ${seconds(coldAssets)}`, ratio: oneEdit.seconds / coldAssets.seconds, goal: 0.1, note: `${written(oneEdit.said)} files written, ${changed} changed` });
    await rm(assets, { recursive: true, force: true });

    // The first start from the cache finds what build and worker-data parsed; a restart, what that start kept.
    const coldStart = await serveFirstResponse(articles, SERVE_PORT, '--no-cache');
    const firstStart = await serveFirstResponse(articles, SERVE_PORT);
    const restart = await serveFirstResponse(articles, SERVE_PORT);
    report({ target: 'serve restarted, first response', measured: `${(restart.ms / 1000).toFixed(2)} s`, baseline: `--no-cache ${(coldStart.ms / 1000).toFixed(2)} s`, ratio: restart.ms / coldStart.ms, goal: 0.1, note: 'from the kept snapshot' });
    report({ target: 'serve first start from the cache', measured: `${(firstStart.ms / 1000).toFixed(2)} s`, baseline: `--no-cache ${(coldStart.ms / 1000).toFixed(2)} s`, ratio: firstStart.ms / coldStart.ms, goal: undefined, note: 'parses kept by worker-data; no kept snapshot yet' });
    for (const [what, start] of [['restarted', restart], ['first start', firstStart]] as const) {
      if (start.residentBytes === undefined) continue;
      report({ target: `serve ${what}, resident after start`, measured: `${(start.residentBytes / 2 ** 20).toFixed(0)} MiB`, baseline: '1 GiB (the 100k goal)', ratio: start.residentBytes / 2 ** 30, goal: 1 });
    }
  } finally {
    await Promise.all([rm(edited, { force: true }), rm(added, { force: true }), rm(work, { recursive: true, force: true }), site ? rm(site, { recursive: true, force: true }) : undefined]);
    if (original === undefined) await rm(ledger, { force: true });
    else await writeFile(ledger, original);
    await rm(cache, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTargets();
