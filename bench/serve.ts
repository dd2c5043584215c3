/**
 * Serving a cached 50-item feed: requests/s and p99 latency on the 200 path and the 304 path, for
 * `feedgen serve` and, measured in the same run, a bare node:http server answering the same
 * responses (status, headers and bytes, captured from feedgen) from memory: the floor this machine
 * allows. The ratio is the figure.
 *
 *   npx tsx bench/serve.ts     (50 connections; BENCH_SECONDS=5 per run, BENCH_ROUNDS=3, medians)
 *
 * Both servers are pinned to CPU 0 and the load generator to CPU 1 when `taskset` exists, and the
 * two are measured alternately, so that whatever else the machine does hits both alike.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureCorpus } from './corpus.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
const FEED_PATH = '/world/rss.xml';

const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));

/** A node process on CPU 0 (when taskset exists); the benchmark itself moves to CPU 1. */
export function spawnPinned(args: string[]): ChildProcess {
  const [command, ...rest] = TASKSET ? [TASKSET, '-c', '0', process.execPath, ...args] : [process.execPath, ...args];
  return spawn(command as string, rest, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface Server {
  origin: string;
  child: ChildProcess;
}

export function waitForOrigin(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) resolve(match[1] as string);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

export async function startFeedgen(articles: string, extraArgs: string[] = []): Promise<Server> {
  const child = spawnPinned(['bin/feedgen.js', 'serve', '--articles', articles, '--port', '0', ...extraArgs]);
  return { child, origin: await waitForOrigin(child, /serving \d+ articles at (http:\/\/[^/\s]+)\//) };
}

/** One response of feedgen's, as it went over the wire: status, headers (but those node:http adds itself) and body bytes. */
interface Captured {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Written by node:http itself on every response, so not replayed. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** feedgen's response to `requestHeaders`, its body as sent (compressed if it was). */
function capture(url: string, requestHeaders: Record<string, string>): Promise<Captured> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: requestHeaders }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) if (!TRANSPORT_HEADERS.has(name) && typeof value === 'string') headers[name] = value;
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * node:http answering, from memory, the very responses feedgen gave to each case (status, headers
 * and bytes): a 304 on If-None-Match, gzip when asked for, identity otherwise. Only the work of
 * answering differs.
 */
async function startBare(responses: { identity: Captured; gzip: Captured; notModified: Captured }): Promise<Server> {
  const dir = await mkdtemp(path.join(tmpdir(), 'feedgen-bare-'));
  const file = path.join(dir, 'responses.json');
  const encoded = Object.fromEntries(Object.entries(responses).map(([name, r]) => [name, { status: r.status, headers: r.headers, body: r.body.toString('base64') }]));
  await writeFile(file, JSON.stringify(encoded));
  const source = `
    const http = require('node:http'); const fs = require('node:fs');
    const responses = JSON.parse(fs.readFileSync(${JSON.stringify(file)}, 'utf8'));
    for (const r of Object.values(responses)) { r.body = Buffer.from(r.body, 'base64'); if (r.status === 200) r.headers['content-length'] = r.body.length; }
    const { identity, gzip, notModified } = responses;
    const server = http.createServer((req, res) => {
      const r = req.headers['if-none-match'] === notModified.headers.etag ? notModified : /gzip/.test(req.headers['accept-encoding'] || '') ? gzip : identity;
      res.writeHead(r.status, r.headers);
      res.end(r.status === 304 ? undefined : r.body);
    });
    server.listen(0, '127.0.0.1', () => console.log('bare at http://127.0.0.1:' + server.address().port + '/'));`;
  const child = spawnPinned(['-e', source]);
  try {
    return { child, origin: await waitForOrigin(child, /bare at (http:\/\/[^/\s]+)\//) };
  } finally {
    // The server has read its responses by the time it listens (or has failed): the folder was only for them.
    await rm(dir, { recursive: true, force: true });
  }
}

interface Figures {
  rps: number;
  p99: number;
  errors: number;
  unexpected: number;
}

async function load(url: string, headers: Record<string, string>, expectStatus: number): Promise<Figures> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  const statusCount = (result as unknown as Record<string, number>)[`${Math.floor(expectStatus / 100)}xx`] ?? 0;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    unexpected: result.requests.total - statusCount,
  };
}

/** The run with the median throughput (its p99 with it); errors summed over all runs. */
function median(runs: Figures[]): Figures {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor(sorted.length / 2)] as Figures;
  return { ...middle, errors: runs.reduce((n, r) => n + r.errors, 0), unexpected: runs.reduce((n, r) => n + r.unexpected, 0) };
}

function row(name: string, feedgen: Figures, bare: Figures): string {
  const ratio = feedgen.rps / bare.rps;
  return `${name.padEnd(22)} ${feedgen.rps.toFixed(0).padStart(8)} ${String(feedgen.p99).padStart(7)}  ${bare.rps.toFixed(0).padStart(8)} ${String(bare.p99).padStart(7)}   ${ratio.toFixed(2)}x   ${feedgen.errors + feedgen.unexpected + bare.errors + bare.unexpected}`;
}

export async function benchServe(): Promise<void> {
  const articles = await ensureCorpus(1000);
  const feedgen = await startFeedgen(articles);
  try {
    const url = `${feedgen.origin}${FEED_PATH}`;
    const identity = await capture(url, { 'accept-encoding': 'identity' });
    const etag = identity.headers.etag ?? '';
    const gzip = await capture(url, { 'accept-encoding': 'gzip' });
    const notModified = await capture(url, { 'if-none-match': etag });
    if (identity.status !== 200 || gzip.status !== 200 || notModified.status !== 304) throw new Error(`feedgen answered ${identity.status}, ${gzip.status}, ${notModified.status}`);
    const body = identity.body;
    const items = (body.toString('utf8').match(/<item>/g) ?? []).length;
    const bare = await startBare({ identity, gzip, notModified });
    try {
      console.log(`serve: ${FEED_PATH}, ${items} items, ${body.byteLength} bytes; ${CONNECTIONS} connections; median of ${ROUNDS} alternating runs of ${SECONDS} s${TASKSET ? '; servers on CPU 0, load on CPU 1' : ''}\n`);
      console.log('path                   feedgen rps  p99 ms      bare rps  p99 ms   ratio  errors');
      const cases: Array<[string, Record<string, string>, number]> = [
        ['200 (identity)', { 'accept-encoding': 'identity' }, 200],
        ['200 (gzip)', { 'accept-encoding': 'gzip' }, 200],
        ['304 (If-None-Match)', { 'if-none-match': etag }, 304],
      ];
      for (const [name, requestHeaders, status] of cases) {
        const bareRuns: Figures[] = [];
        const feedgenRuns: Figures[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          bareRuns.push(await load(`${bare.origin}${FEED_PATH}`, requestHeaders, status));
          feedgenRuns.push(await load(`${feedgen.origin}${FEED_PATH}`, requestHeaders, status));
        }
        console.log(row(name, median(feedgenRuns), median(bareRuns)));
      }
    } finally {
      bare.child.kill();
    }
  } finally {
    feedgen.child.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (TASKSET) spawn(TASKSET, ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  await benchServe();
}
