/**
 * The Worker's size, which must not grow with the site: `wrangler deploy --dry-run` of the Worker
 * over the static assets `feedgen worker-data` writes for generated corpora of 500, 2,000 and
 * 10,000 articles, beside the bundled site's (the baseline, measured in the same run). For each:
 * the script (upload and gzip, as wrangler reports them), the assets (files, bytes, the largest
 * scope manifest, which is what a cold isolate parses at most), and how many asset files change
 * when one article is published (wrangler uploads only those).
 *
 *   npx tsx bench/worker-size.ts            (BENCH_SIZES=500,2000,10000; BENCH_CORPUS=<folder> keeps corpora elsewhere)
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSite } from '../src/content/load.js';
import { writeWorkerAssets } from '../src/runtimes/worker-data.js';
import { SiteSnapshot } from '../src/site/snapshot.js';
import { bundleWorker } from '../tests/helpers/worker-bundle.js';
import { ensureCorpus } from './corpus.js';
import { changedFiles, hashTree, treeStats } from './tree.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SIZES = (process.env.BENCH_SIZES ?? '500,2000,10000').split(',').map(Number);
/** Workers Free and Paid limit the script to 3 MB and 10 MB, compressed. */
const FREE_SCRIPT_LIMIT = 3 * 1024 * 1024;

interface Measurement {
  label: string;
  articles: number;
  scriptKiB: number;
  gzipKiB: number;
  assetFiles: number;
  assetMiB: number;
  largestManifestKiB: number;
  /** Asset files whose bytes change when one article is published, manifests among them. */
  published?: { files: number; manifests: number };
}

async function writeAssets(articlesDir: string, out: string): Promise<number> {
  const { data } = await loadSite(articlesDir);
  if (!data) throw new Error(`${articlesDir} has no usable site`);
  await writeWorkerAssets(new SiteSnapshot(data), out);
  return data.articles.length;
}

async function scriptSize(assetsDir: string): Promise<{ scriptKiB: number; gzipKiB: number }> {
  const { report } = await bundleWorker(assetsDir);
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(report);
  if (!match) throw new Error(`no size in wrangler's report:\n${report}`);
  return { scriptKiB: Number(match[1]), gzipKiB: Number(match[2]) };
}

/** Publishes one more article, the newest, in a section of a copy of the corpus: which assets change? */
async function publishOne(articlesDir: string, before: string, work: string): Promise<{ files: number; manifests: number }> {
  const copy = path.join(work, 'articles');
  await cp(articlesDir, copy, { recursive: true });
  await writeFile(path.join(copy, 'asia', 'south', 'published-now.md'), '---\ntitle: Published now\ndate: 2030-01-15 09:00\n---\n\nA new story.\n');
  const after = path.join(work, 'after');
  await writeAssets(copy, after);
  const changed = changedFiles(await hashTree(before), await hashTree(after));
  return { files: changed.length, manifests: changed.filter((name) => name.startsWith('_feedgen/')).length };
}

async function measure(label: string, articlesDir: string, withPublish: boolean): Promise<Measurement> {
  const work = await mkdtemp(path.join(tmpdir(), 'feedgen-worker-size-'));
  try {
    const assets = path.join(work, 'assets');
    const articles = await writeAssets(articlesDir, assets);
    const all = await treeStats(assets);
    const manifests = await treeStats(path.join(assets, '_feedgen'));
    const measurement: Measurement = {
      label,
      articles,
      ...(await scriptSize(assets)),
      assetFiles: all.files,
      assetMiB: all.bytes / 1024 / 1024,
      largestManifestKiB: manifests.largest.bytes / 1024,
    };
    if (withPublish) measurement.published = await publishOne(articlesDir, assets, work);
    return measurement;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const results: Measurement[] = [await measure('bundled articles/ (baseline)', path.join(ROOT, 'articles'), false)];
for (const n of SIZES) results.push(await measure(`corpus of ${n}`, await ensureCorpus(n, process.env.BENCH_CORPUS ?? undefined), true));

const baseline = results[0] as Measurement;
console.log('site                          articles  script KiB  gzip KiB  vs baseline  asset files  asset MiB  largest manifest KiB  files changed by one publish');
for (const r of results) {
  const published = r.published ? `${r.published.files} (${r.published.manifests} manifests)` : '-';
  console.log(
    `${r.label.padEnd(29)} ${String(r.articles).padStart(8)} ${r.scriptKiB.toFixed(2).padStart(11)} ${r.gzipKiB.toFixed(2).padStart(9)} ${`${(r.gzipKiB / baseline.gzipKiB).toFixed(2)}x`.padStart(12)} ${String(r.assetFiles).padStart(12)} ${r.assetMiB.toFixed(1).padStart(10)} ${r.largestManifestKiB.toFixed(1).padStart(21)}  ${published}`,
  );
}
const largest = results.reduce((a, b) => (b.gzipKiB > a.gzipKiB ? b : a));
console.log(`\nlargest script: ${largest.gzipKiB.toFixed(2)} KiB gzip, ${((largest.gzipKiB * 1024 * 100) / FREE_SCRIPT_LIMIT).toFixed(1)}% of the Free plan's 3 MB, whatever the number of articles`);
console.log('files changed by one publish: today\'s sliding pages shift every page of the article\'s scopes; archives (issue 11, part 2) leave full archives unchanged');
