/**
 * Capacity, for the README's deploy section: for generated corpora of 1k, 10k and 100k articles,
 * the static output of `feedgen build` (files, bytes, largest file), the Worker's static assets of
 * `feedgen worker-data` (the same, plus the largest scope manifest) and the Worker script as
 * `wrangler deploy --dry-run` bundles it; then where each Cloudflare limit is reached: Workers
 * Static Assets allow 20,000 files on the Free plan, 100,000 on Paid, 25 MiB per file.
 * Slow at 100k (minutes per step); not part of `npm test`.
 *
 *   npx tsx bench/capacity.ts                (BENCH_SIZES=1000,10000,100000; BENCH_CORPUS=<folder> keeps corpora elsewhere)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleWorker } from '../tests/helpers/worker-bundle.js';
import { ensureCorpus } from './corpus.js';
import { treeStats, type TreeStats } from './tree.js';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const LIMITS = { freeFiles: 20_000, paidFiles: 100_000, fileBytes: 25 * 1024 * 1024 };

interface Row {
  articles: number;
  build: TreeStats;
  assets: TreeStats;
  largestManifest: TreeStats['largest'];
  scriptGzipKiB: number;
}

async function feedgen(args: string[]): Promise<void> {
  await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
}

async function measure(articles: number): Promise<Row> {
  const corpus = await ensureCorpus(articles, process.env.BENCH_CORPUS ?? undefined);
  const work = await mkdtemp(path.join(tmpdir(), 'feedgen-capacity-'));
  try {
    const dist = path.join(work, 'dist');
    await feedgen(['build', '--articles', corpus, '--out', dist]);
    const build = await treeStats(dist);
    await rm(dist, { recursive: true, force: true });
    const assetsDir = path.join(work, 'assets');
    await feedgen(['worker-data', '--articles', corpus, '--out', assetsDir]);
    const assets = await treeStats(assetsDir);
    const largestManifest = (await treeStats(path.join(assetsDir, '_feedgen'))).largest;
    const { report } = await bundleWorker(assetsDir);
    const gzip = /Total Upload: [\d.]+ KiB \/ gzip: ([\d.]+) KiB/.exec(report);
    if (!gzip) throw new Error(`no size in wrangler's report:\n${report}`);
    return { articles, build, assets, largestManifest, scriptGzipKiB: Number(gzip[1]) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 2 : 0)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** Articles at which `files` (linear in the articles, fitted through the two largest corpora) reaches `limit`. */
function articlesAt(rows: Row[], files: (row: Row) => number, limit: number): number {
  const [a, b] = rows.slice(-2) as [Row, Row];
  const perArticle = (files(b) - files(a)) / (b.articles - a.articles);
  return Math.floor(a.articles + (limit - files(a)) / perArticle);
}

const rows: Row[] = [];
for (const articles of SIZES) {
  const started = performance.now();
  rows.push(await measure(articles));
  console.error(`measured ${articles} articles in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

console.log('| articles | static output: files | bytes | largest file | Worker assets: files | bytes | largest manifest | Worker script (gzip) |');
console.log('| ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.articles.toLocaleString('en')} | ${r.build.files.toLocaleString('en')} | ${mib(r.build.bytes)} | ${kib(r.build.largest.bytes)} (\`${r.build.largest.name}\`) | ${r.assets.files.toLocaleString('en')} | ${mib(r.assets.bytes)} | ${kib(r.largestManifest.bytes)} | ${r.scriptGzipKiB.toFixed(1)} KiB |`,
  );
}
if (rows.length >= 2) {
  const assetFiles = (r: Row) => r.assets.files;
  const withoutPages = (r: Row) => r.assets.files - r.articles;
  console.log(`\nWorker assets reach ${LIMITS.freeFiles.toLocaleString('en')} files (Free) at ~${articlesAt(rows, assetFiles, LIMITS.freeFiles).toLocaleString('en')} articles, ${LIMITS.paidFiles.toLocaleString('en')} (Paid) at ~${articlesAt(rows, assetFiles, LIMITS.paidFiles).toLocaleString('en')}`);
  console.log(`with article_pages: false (one file fewer per article): Free at ~${articlesAt(rows, withoutPages, LIMITS.freeFiles).toLocaleString('en')}, Paid at ~${articlesAt(rows, withoutPages, LIMITS.paidFiles).toLocaleString('en')}`);
  const largest = Math.max(...rows.map((r) => Math.max(r.assets.largest.bytes, r.build.largest.bytes)));
  console.log(`largest file of any output: ${kib(largest)}, ${((largest * 100) / LIMITS.fileBytes).toFixed(2)}% of the 25 MiB per-file limit`);
}
