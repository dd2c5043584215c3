/**
 * Start: time from launching `feedgen serve` to the first byte of its home feed, without the cache
 * (`--no-cache`: every article parsed) and from it (the cache the first run left), next to the time
 * to the first byte of a bare `node:http` server started the same way (the cost of starting Node).
 *
 * Incremental: with `serve --watch` on the same corpus, the time from rewriting one article to
 * its section feed showing the edit, next to the time to the first byte of an unchanged feed.
 *
 *   npx tsx bench/start.ts                 (BENCH_START_SIZES=10000,100000)
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureCorpus } from './corpus.js';
import { firstAnswer, serveFirstResponse } from './launch.js';
import { startFeedgen } from './serve.js';

const START_PORT = 18798;
const SIZES = (process.env.BENCH_START_SIZES ?? '10000,100000').split(',').map(Number);

async function bareStart(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', "require('node:http').createServer((q, s) => s.end('ok')).listen(18799, '127.0.0.1')"]);
  await firstAnswer('http://127.0.0.1:18799/');
  const elapsed = performance.now() - started;
  child.kill();
  return elapsed;
}

async function incremental(articles: string): Promise<{ edit: number; unchanged: number }> {
  const server = await startFeedgen(articles, ['--watch']);
  try {
    const feed = `${server.origin}/world/trade/rss.xml`;
    const body = await (await fetch(feed)).text();
    const link = /<link>https:\/\/news\.example\.com\/world\/trade\/([^/<]+)\/<\/link>/.exec(body)?.[1];
    if (!link) throw new Error('no article in /world/trade/');
    const file = path.join(articles, 'world', 'trade', `${decodeURIComponent(link)}.md`);
    const original = await readFile(file, 'utf8');
    const marker = `Edited ${Date.now()}`;
    const unchangedStart = performance.now();
    await (await fetch(`${server.origin}/europe/uk/atom.xml`)).arrayBuffer();
    const unchanged = performance.now() - unchangedStart;
    const started = performance.now();
    await writeFile(file, original.replace(/^title: ".*"$/m, `title: "${marker}"`));
    try {
      for (;;) {
        const text = await (await fetch(feed)).text();
        if (text.includes(marker)) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return { edit: performance.now() - started, unchanged };
    } finally {
      await writeFile(file, original);
    }
  } finally {
    server.child.kill();
  }
}

export async function benchStart(): Promise<void> {
  const bare = await bareStart();
  for (const size of SIZES) {
    const articles = await ensureCorpus(size);
    const cold = (await serveFirstResponse(articles, START_PORT, '--no-cache')).ms;
    // The first start with the cache fills it; the figure is the start after.
    (await serveFirstResponse(articles, START_PORT)).ms;
    await new Promise((resolve) => setTimeout(resolve, 2100));
    (await serveFirstResponse(articles, START_PORT)).ms;
    const warm = (await serveFirstResponse(articles, START_PORT)).ms;
    console.log(
      `start, ${size} articles: launch to first byte of /rss.xml ${cold.toFixed(0)} ms without the cache, ${warm.toFixed(0)} ms from it (${(warm / cold).toFixed(2)}x); bare node:http ${bare.toFixed(0)} ms (${(warm / bare).toFixed(1)}x)`,
    );
  }
  const articles = await ensureCorpus(SIZES[0] as number);
  const { edit, unchanged } = await incremental(articles);
  console.log(`incremental (serve --watch, ${SIZES[0]} articles): edit to updated feed ${edit.toFixed(0)} ms; an unchanged feed's first request ${unchanged.toFixed(1)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStart();
