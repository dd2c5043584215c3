/**
 * Memory of `feedgen serve` while a crawler requests every URL of the site once (16 at a time),
 * from the cache: resident memory (VmRSS) right after start (the baseline, same run), at its
 * highest during the crawl, and after it, against the 1 GiB the server must stay under.
 *
 *   npx tsx bench/crawl.ts                 (BENCH_CRAWL_SIZE=100000 BENCH_CRAWL_MEMORY=64)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureCorpus } from './corpus.js';
import { startFeedgen } from './serve.js';

const run = promisify(execFile);
const SIZE = Number(process.env.BENCH_CRAWL_SIZE ?? 100000);
const CONCURRENCY = 16;
/** What a site this large should give `serve --memory` (the default, 256 MiB, suits 10,000 articles; see the README). */
const MEMORY_MIB = process.env.BENCH_CRAWL_MEMORY ?? '64';
const GIB = 1024 * 1024 * 1024;

function residentBytes(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) * 1024;
}

/**
 * Every path of the site, worked out by the compiled code the server runs (so that it reads the
 * cache the server filled: a cache is only read by the code that wrote it), in another process,
 * whose memory is not measured.
 */
async function sitePaths(articles: string): Promise<string[]> {
  const lib = (file: string) => JSON.stringify(new URL(`../lib/${file}`, import.meta.url).href);
  const script = `
    const { loadSite } = await import(${lib('content/load.js')});
    const { ParseCacheFolder, defaultCacheDir } = await import(${lib('state/cache.js')});
    const { allResources } = await import(${lib('site/resources.js')});
    const { SiteSnapshot } = await import(${lib('site/snapshot.js')});
    const articles = ${JSON.stringify(articles)};
    const { data } = await loadSite(articles, { cache: new ParseCacheFolder(defaultCacheDir(articles)).read(), changed: 'stat' });
    for (const { path } of allResources(new SiteSnapshot(data))) process.stdout.write(path + '\\n');`;
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-crawl-')), 'paths.mjs');
  await writeFile(file, script);
  const { stdout } = await run(process.execPath, [file], { maxBuffer: 1 << 30, env: { ...process.env, NODE_OPTIONS: '' } });
  return stdout.split('\n').filter(Boolean);
}

export async function benchCrawl(): Promise<void> {
  const articles = await ensureCorpus(SIZE);
  // A first start fills the cache.
  (await startFeedgen(articles, ['--memory', MEMORY_MIB])).child.kill('SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const paths = await sitePaths(articles);
  const server = await startFeedgen(articles, ['--memory', MEMORY_MIB]);
  const pid = server.child.pid as number;
  try {
    await (await fetch(`${server.origin}/rss.xml`)).arrayBuffer();
    const atStart = residentBytes(pid);
    let peak = atStart;
    const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 200);
    const started = performance.now();
    let next = 0;
    let failures = 0;
    let bytes = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < paths.length) {
          if (next % 20_000 === 0) console.log(`  ${next} of ${paths.length} URLs after ${((performance.now() - started) / 1000).toFixed(0)} s: ${(residentBytes(pid) / 1024 / 1024).toFixed(0)} MiB resident`);
          const response = await fetch(`${server.origin}${paths[next++]}`);
          bytes += (await response.arrayBuffer()).byteLength;
          if (response.status !== 200) failures++;
        }
      }),
    );
    clearInterval(sampler);
    const after = residentBytes(pid);
    peak = Math.max(peak, after);
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
    console.log(
      `crawl, ${SIZE} articles, --memory ${MEMORY_MIB}: ${paths.length} URLs (${mib(bytes)}) in ${((performance.now() - started) / 1000).toFixed(0)} s, ${failures} not 200; ` +
        `resident memory ${mib(atStart)} after start, ${mib(peak)} at most (${(peak / atStart).toFixed(2)}x; ${(peak / GIB).toFixed(2)} of 1 GiB), ${mib(after)} after`,
    );
  } finally {
    server.child.kill('SIGINT');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCrawl();
