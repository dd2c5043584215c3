/**
 * Load and soak: 50 connections for 60 s against `feedgen serve`, mixing 200, 304, HEAD and 404
 * requests. Counts transport errors and every status that is not the one expected, and samples the
 * server's resident memory to show whether it stays flat.
 *
 * autocannon 8 drives the GETs; it cannot do HEAD (its parser waits for the body a HEAD response
 * announces but never sends), so 4 of the 50 connections are fetch() loops sending HEAD.
 *
 *   npx tsx bench/soak.ts                  (the bundled site)
 *   npx tsx bench/soak.ts 10000            (the 10k corpus)
 *   BENCH_SOAK_SECONDS=60
 */
import autocannon from 'autocannon';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureCorpus } from './corpus.js';
import { startFeedgen } from './serve.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 60);

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Probe {
  method: 'GET' | 'HEAD';
  path: string;
  headers?: Record<string, string>;
  expect: number;
}

export async function benchSoak(size?: number): Promise<void> {
  const articles = size ? await ensureCorpus(size) : path.join(ROOT, 'articles');
  const server = await startFeedgen(articles);
  const pid = server.child.pid as number;
  try {
    const feeds = ['/rss.xml', '/atom.xml', '/feed.json'];
    const etags = new Map<string, string>();
    for (const feed of feeds) {
      const response = await fetch(`${server.origin}${feed}`, { headers: { 'accept-encoding': 'gzip' } });
      await response.arrayBuffer();
      etags.set(feed, response.headers.get('etag') ?? '');
    }
    const probes: Probe[] = [
      ...feeds.map((feed): Probe => ({ method: 'GET', path: feed, headers: { 'accept-encoding': 'gzip' }, expect: 200 })),
      ...feeds.map((feed): Probe => ({ method: 'GET', path: feed, headers: { 'accept-encoding': 'gzip', 'if-none-match': etags.get(feed) ?? '' }, expect: 304 })),
      { method: 'GET', path: '/no/such/feed.xml', expect: 404 },
      { method: 'GET', path: '/page/9999/rss.xml', expect: 404 },
      { method: 'GET', path: '/%zz', expect: 400 },
    ];
    const unexpected = new Map<string, number>();
    const memory: number[] = [await rssMiB(pid)];
    const sampler = setInterval(() => void rssMiB(pid).then((m) => memory.push(m)), 5000);
    const deadline = Date.now() + SECONDS * 1000;
    let heads = 0;
    let headErrors = 0;
    const headLoop = async () => {
      while (Date.now() < deadline) {
        try {
          const response = await fetch(`${server.origin}/atom.xml`, { method: 'HEAD' });
          await response.arrayBuffer();
          heads++;
          if (response.status !== 200) unexpected.set(`HEAD /atom.xml -> ${response.status}`, (unexpected.get(`HEAD /atom.xml -> ${response.status}`) ?? 0) + 1);
        } catch {
          headErrors++;
        }
      }
    };
    const headLoops = Promise.all(Array.from({ length: 4 }, headLoop));
    const result = await autocannon({
      url: server.origin,
      connections: 46,
      duration: SECONDS,
      requests: probes.map((probe) => ({
        method: probe.method,
        path: probe.path,
        headers: probe.headers ?? {},
        onResponse: (status: number) => {
          if (status !== probe.expect) {
            const key = `${probe.method} ${probe.path} -> ${status}`;
            unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
          }
        },
      })),
    });
    await headLoops;
    clearInterval(sampler);
    memory.push(await rssMiB(pid));
    const unexpectedTotal = [...unexpected.values()].reduce((a, b) => a + b, 0);
    const afterWarmup = memory.slice(1);
    console.log(`soak: ${size ? `${size}-article corpus` : 'bundled site'}, 50 connections, ${SECONDS} s, ${probes.length + 1} request kinds (200, 304, HEAD, 404, 400)`);
    console.log(`  GET requests ${result.requests.total}, ${result.requests.average.toFixed(0)}/s, p99 ${result.latency.p99} ms; HEAD requests ${heads}`);
    console.log(`  errors ${result.errors + headErrors}, timeouts ${result.timeouts}, unexpected statuses ${unexpectedTotal}`);
    for (const [key, count] of unexpected) console.log(`    ${key}: ${count}`);
    console.log(
      `  server RSS MiB: start ${memory[0]?.toFixed(0)}, min ${Math.min(...afterWarmup).toFixed(0)}, max ${Math.max(...afterWarmup).toFixed(0)}, end ${memory[memory.length - 1]?.toFixed(0)} ` +
        `(samples every 5 s: ${afterWarmup.map((m) => m.toFixed(0)).join(' ')})`,
    );
  } finally {
    server.child.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSoak(process.argv[2] ? Number(process.argv[2]) : undefined);
