/**
 * `feedgen build` from its cache, next to a build without it (`--no-cache`, into a fresh folder)
 * measured in the same run on the same corpus:
 *   - nothing changed;
 *   - one article's body corrected;
 *   - one article published (a new file, dated in the past: a future date would be scheduled).
 * For each: wall time, files written and deleted. For the new article, also how many files the
 * sliding pages that archives replaced would have rewritten: every page, in every format, of every
 * scope the article joins (a new item shifts each page by one).
 *
 *   npx tsx bench/incremental.ts           (BENCH_INCREMENTAL_SIZES=10000,100000)
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSite } from '../src/content/load.js';
import { SiteSnapshot } from '../src/site/snapshot.js';
import { ensureCorpus } from './corpus.js';
import { timed } from './build.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SIZES = (process.env.BENCH_INCREMENTAL_SIZES ?? '10000,100000').split(',').map(Number);
const OUT_ROOT = process.env.BENCH_OUT ?? '/tmp';

interface Run {
  seconds: number;
  peakMiB: number;
  written: number;
  deleted: number;
}

async function build(articles: string, out: string, ...extra: string[]): Promise<Run> {
  let stderr = '';
  const time = await timed(process.execPath, ['bin/feedgen.js', 'build', '--articles', articles, '--out', out, ...extra], ROOT, (text) => (stderr = text));
  const counts = /(\d+) written, (\d+) deleted/.exec(stderr);
  return { ...time, written: Number(counts?.[1]), deleted: Number(counts?.[2]) };
}

/** Pages of every format that sliding pages of `feedLimit` items would have shifted for `articleFile`. */
async function slidingPagesTouched(articles: string, relative: string): Promise<number> {
  const { data } = await loadSite(articles);
  if (!data) throw new Error('no site');
  const snapshot = new SiteSnapshot(data);
  const article = data.articles.find((a) => a.source.endsWith(relative));
  if (!article) throw new Error(`${relative} not loaded`);
  let pages = 0;
  for (const scope of snapshot.allScopes()) {
    if (scope.items.includes(article)) pages += Math.ceil(scope.items.length / data.site.feedLimit) * 3;
  }
  return pages;
}

export async function benchIncremental(): Promise<void> {
  console.log(`incremental build: corpora of ${SIZES.join(', ')} articles; output in ${OUT_ROOT}\n`);
  console.log('articles  change                   seconds   vs cold   written  deleted  peak MiB');
  for (const size of SIZES) {
    const articles = await ensureCorpus(size);
    const work = await mkdtemp(path.join(OUT_ROOT, 'feedgen-incremental-'));
    const section = path.join(articles, 'world', 'trade');
    const edited = path.join(section, (await readdir(section)).find((name) => name !== '_index.md' && name.endsWith('.md')) as string);
    const added = path.join(articles, 'world', 'trade', 'bench-new-article.md');
    const original = await readFile(edited, 'utf8');
    try {
      const cold = await build(articles, path.join(work, 'cold'), '--no-cache');
      await rm(path.join(work, 'cold'), { recursive: true, force: true });
      // Fills the cache and the build record (a first build with an empty cache).
      await build(articles, path.join(work, 'site'));
      // Stamps of files changed within 2 s are not trusted (src/runtimes/cache.ts).
      await new Promise((resolve) => setTimeout(resolve, 2100));
      await build(articles, path.join(work, 'site'));
      const rows: Array<[string, Run]> = [['cold (--no-cache)', cold]];
      rows.push(['nothing changed', await build(articles, path.join(work, 'site'))]);
      await writeFile(edited, `${original}\nA correction, appended.\n`);
      rows.push(['one body corrected', await build(articles, path.join(work, 'site'))]);
      await writeFile(added, '---\ntitle: "Bench: a new article"\ndate: 2026-01-01 10:00\ntags: [trade]\nauthor: Bench Writer\n---\n\nNews.\n');
      rows.push(['one article published', await build(articles, path.join(work, 'site'))]);
      for (const [change, run] of rows) {
        console.log(
          `${String(size).padStart(8)}  ${change.padEnd(22)} ${run.seconds.toFixed(2).padStart(9)} ${(run.seconds / cold.seconds).toFixed(3).padStart(8)}x ${String(run.written).padStart(9)} ${String(run.deleted).padStart(8)} ${run.peakMiB.toFixed(0).padStart(9)}`,
        );
      }
      console.log(`          sliding pages would have rewritten ${await slidingPagesTouched(articles, 'world/trade/bench-new-article.md')} feed files for that new article\n`);
    } finally {
      await writeFile(edited, original);
      await rm(added, { force: true });
      await rm(work, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIncremental();
