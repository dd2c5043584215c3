/**
 * Serving a large media file to many clients at once: resident memory (VmRSS) of `feedgen serve`
 * right after start (the baseline, same run) and at its highest while 20 clients read a 3 GiB file
 * (sparse: it takes no disk) at once, 16 as fast as they can and 4 slowly (what is buffered, every
 * 100 ms, so that the server must wait for them rather than read ahead), and the throughput. The issue asks
 * for less than 64 MiB of growth.
 *
 *   npx tsx bench/media.ts     (BENCH_MEDIA_GIB=3, BENCH_MEDIA_CLIENTS=20, BENCH_MEDIA_SLOW=4)
 */
import { mkdir, mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { residentBytes } from './launch.js';
import { spawnPinned, startFeedgen, waitForOrigin, type Server } from './serve.js';

const GIB = Number(process.env.BENCH_MEDIA_GIB ?? 3);
const CLIENTS = Number(process.env.BENCH_MEDIA_CLIENTS ?? 20);
const SLOW = Number(process.env.BENCH_MEDIA_SLOW ?? 4);
const SIZE = Math.round(GIB * 2 ** 30) + 12_345;
const MIB = 1024 * 1024;

/** Reads the whole body, as fast as it comes or what is buffered every 100 ms; resolves with the bytes read. */
function download(url: string, slow: boolean, stop: { done: boolean }): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let bytes = 0;
      if (!slow) {
        response.on('data', (chunk: Buffer) => (bytes += chunk.byteLength));
        response.on('end', () => resolve(bytes));
        return;
      }
      response.pause();
      const timer = setInterval(() => {
        if (stop.done) {
          clearInterval(timer);
          response.destroy();
          resolve(bytes);
          return;
        }
        const chunk = response.read() as Buffer | null;
        if (chunk) bytes += chunk.byteLength;
      }, 100);
      response.on('end', () => {
        clearInterval(timer);
        resolve(bytes);
      });
    }).on('error', reject);
  });
}

/** node:http sending the file from disk with a stream (fs.createReadStream piped to the socket): the floor, measured the same way. */
async function startBare(file: string): Promise<Server> {
  const source = `
    const http = require('node:http'); const fs = require('node:fs');
    const file = ${JSON.stringify(file)}; const size = fs.statSync(file).size;
    http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
      fs.createReadStream(file).pipe(res);
    }).listen(0, '127.0.0.1', function () { console.log('bare at http://127.0.0.1:' + this.address().port + '/'); });`;
  const child = spawnPinned(['-e', source]);
  return { child, origin: await waitForOrigin(child, /bare at (http:\/\/[^/\s]+)\//) };
}

interface Figures {
  seconds: number;
  complete: number;
  gibPerSecond: number;
  slowMib: number;
  atStart: number;
  peak: number;
}

async function measure(server: Server, url: string): Promise<Figures> {
  const pid = server.child.pid as number;
  const atStart = residentBytes(pid);
  let peak = atStart;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 100);
  const stop = { done: false };
  const started = performance.now();
  const slow = Array.from({ length: SLOW }, () => download(url, true, stop));
  const fast = await Promise.all(Array.from({ length: CLIENTS - SLOW }, () => download(url, false, stop)));
  const seconds = (performance.now() - started) / 1000;
  stop.done = true;
  const slowBytes = await Promise.all(slow);
  clearInterval(sampler);
  peak = Math.max(peak, residentBytes(pid));
  const total = fast.reduce((sum, bytes) => sum + bytes, 0);
  return {
    seconds,
    complete: fast.filter((bytes) => bytes === SIZE).length,
    gibPerSecond: total / 2 ** 30 / seconds,
    slowMib: slowBytes.reduce((a, b) => a + b, 0) / MIB,
    atStart,
    peak,
  };
}

function describe(label: string, f: Figures): string {
  return (
    `${label}: ${f.complete} of ${CLIENTS - SLOW} fast clients read it whole in ${f.seconds.toFixed(1)} s (${f.gibPerSecond.toFixed(2)} GiB/s together), ` +
    `${SLOW} slow ones ${f.slowMib.toFixed(1)} MiB meanwhile; resident ${(f.atStart / MIB).toFixed(0)} MiB before, ${(f.peak / MIB).toFixed(0)} MiB at most: ` +
    `${((f.peak - f.atStart) / MIB).toFixed(1)} MiB more`
  );
}

async function stopServer(server: Server): Promise<void> {
  server.child.kill('SIGINT');
  await new Promise((resolve) => server.child.once('exit', resolve));
}

export async function benchMedia(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'feedgen-bench-media-'));
  try {
    const articles = path.join(work, 'articles');
    await mkdir(path.join(articles, 'media'), { recursive: true });
    await mkdir(path.join(articles, 'video'));
    await writeFile(path.join(articles, '_index.md'), '---\ntitle: Media bench\nbase_url: http://127.0.0.1:8787\ntimezone: UTC\n---\n');
    await writeFile(path.join(articles, 'video', 'talk.md'), `---\ntitle: Talk\ndate: 2020-01-01 10:00\nenclosures: [{ url: ../../media/talk.mp4, type: video/mp4, length: ${SIZE} }]\n---\n\nA long talk.\n`);
    const file = path.join(articles, 'media', 'talk.mp4');
    await writeFile(file, '');
    await truncate(file, SIZE);
    const handle = await open(file, 'r+');
    await handle.write('HEAD', 0);
    await handle.close();
    console.log(`${CLIENTS} clients at once on a ${(SIZE / 2 ** 30).toFixed(2)} GiB file (sparse), ${SLOW} of them slow:`);

    const bare = await startBare(file);
    const floor = await measure(bare, `${bare.origin}/`).finally(() => stopServer(bare));
    console.log(`  ${describe('bare node:http, fs.createReadStream piped', floor)}`);

    const startedAt = performance.now();
    const server = await startFeedgen(articles);
    console.log(`  feedgen serve started (the file hashed once) in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    await (await fetch(`${server.origin}/video/rss.xml`)).arrayBuffer();
    const figures = await measure(server, `${server.origin}/media/talk.mp4`).finally(() => stopServer(server));
    console.log(`  ${describe('feedgen serve', figures)}`);
    console.log(`  throughput ${(figures.gibPerSecond / floor.gibPerSecond).toFixed(2)}x the bare server's; memory growth ${((figures.peak - figures.atStart) / MIB).toFixed(1)} MiB (the issue asks under 64 MiB)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMedia();
