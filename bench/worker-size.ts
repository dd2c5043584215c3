/**
 * How big the Worker bundle is, and how many articles of typical size fit the script size limits
 * (Workers Free: 3 MB, Paid: 10 MB, both measured compressed). Bundles the Worker with wrangler
 * for the bundled site and for generated corpora, fits size = base + n * per-article, and times
 * what an isolate does when it starts.
 *
 *   npx tsx bench/worker-size.ts            (corpora of 500 and 2000 articles)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadSite } from '../src/content/load.js';
import type { SiteData } from '../src/content/model.js';
import { publish } from '../src/publish/index.js';
import { WORKER_DATA_FILE, writeWorkerData } from '../src/runtimes/worker-data.js';
import { ensureCorpus } from './corpus.js';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const FREE_LIMIT = 3 * 1024 * 1024;
const PAID_LIMIT = 10 * 1024 * 1024;
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };

interface Measurement {
  label: string;
  articles: number;
  markdownBytes: number;
  uploadKiB: number;
  gzipKiB: number;
  startMs: number;
}

/** Bundles the Worker around whatever .generated/ holds now (no build step). */
async function bundle(): Promise<{ uploadKiB: number; gzipKiB: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'feedgen-size-'));
  const wranglerToml = await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8');
  const config = path.join(ROOT, '.generated', 'wrangler.size.toml');
  // The config sits beside the entry that writeWorkerData wrote.
  await writeFile(config, wranglerToml.replace(/\[build\][\s\S]*?(?=\n\[|$)/, '').replace('main = ".generated/', 'main = "'));
  const { stdout, stderr } = await run('npx', ['wrangler', 'deploy', '--dry-run', '--config', config, '--outdir', dir], { cwd: ROOT, env: ENV });
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout + stderr);
  if (!match) throw new Error(`no size in wrangler output:\n${stdout}${stderr}`);
  return { uploadKiB: Number(match[1]), gzipKiB: Number(match[2]) };
}

/**
 * What the Worker does when an isolate starts (parse the data module's JSON, build the site) and
 * for its first feed, timed here in V8 like workerd's: Workers allow about 1 s of start-up.
 */
async function startTime(data: SiteData): Promise<number> {
  const json = JSON.stringify(data);
  const started = performance.now();
  const store = publish(JSON.parse(json) as SiteData);
  await store.get('/rss.xml', { kind: 'feed', scope: store.snapshot.root, format: 'rss', page: 1 });
  return performance.now() - started;
}

async function measure(label: string, articlesDir: string): Promise<Measurement> {
  const { data } = await loadSite(articlesDir);
  if (!data) throw new Error(`${articlesDir} has no usable site`);
  await writeWorkerData(data);
  const markdownBytes = data.articles.reduce((n, a) => n + Buffer.byteLength(a.html), 0);
  const { uploadKiB, gzipKiB } = await bundle();
  return { label, articles: data.articles.length, markdownBytes, uploadKiB, gzipKiB, startMs: await startTime(data) };
}

const results: Measurement[] = [];
try {
  results.push(await measure('bundled articles/', path.join(ROOT, 'articles')));
  for (const n of [500, 2000]) results.push(await measure(`corpus of ${n}`, await ensureCorpus(n)));
} finally {
  // Put back the data module of the bundled site.
  const { data } = await loadSite(path.join(ROOT, 'articles'));
  if (data) await writeWorkerData(data, WORKER_DATA_FILE);
}

console.log('site                     articles   upload KiB   gzip KiB   isolate start + first feed');
for (const r of results) {
  console.log(`${r.label.padEnd(24)} ${String(r.articles).padStart(8)} ${r.uploadKiB.toFixed(1).padStart(12)} ${r.gzipKiB.toFixed(1).padStart(10)}   ${r.startMs.toFixed(0)} ms`);
}
const [, small, large] = results as [Measurement, Measurement, Measurement];
const perArticle = ((large.gzipKiB - small.gzipKiB) * 1024) / (large.articles - small.articles);
const base = small.gzipKiB * 1024 - perArticle * small.articles;
console.log(`\nfit: ${(base / 1024).toFixed(0)} KiB + ${(perArticle / 1024).toFixed(2)} KiB (gzip) per article of ~${(large.markdownBytes / large.articles / 1024).toFixed(1)} KiB HTML`);
console.log(`capacity: Workers Free (3 MB) ~${Math.floor((FREE_LIMIT - base) / perArticle)} articles, Paid (10 MB) ~${Math.floor((PAID_LIMIT - base) / perArticle)} articles`);
