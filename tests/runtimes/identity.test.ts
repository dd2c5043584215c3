/**
 * The three runtimes over one core: every URL of a site fetched from the Worker (real workerd,
 * through Miniflare, bundled exactly as `wrangler deploy` bundles it), from the Node server over
 * HTTP, and read from the static build through its `_headers` and `_redirects`. Statuses, bodies and
 * every header a client sees must be identical; the static host computes only its own validators.
 * Two sites: the bundled one, and the same articles under a base URL with a path and a WebSub hub.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strongEtag } from '../../src/publish/store.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';
import { HOST_COMPUTED, StaticHost } from '../helpers/static-host.js';
import { startWorker } from '../helpers/worker-bundle.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const ORIGIN = 'http://127.0.0.1:8787';
/** One "now" for every runtime: the ledger each reads is the same. */
const NOW_SECONDS = 1_790_000_000;
/** Headers of the connection, not of the response. */
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Runtimes {
  basePath: string;
  /** Every URL the site has, as the static build wrote them. */
  paths: string[];
  worker: Miniflare;
  node: Awaited<ReturnType<typeof startServer>>;
  host: StaticHost;
}

/**
 * The three runtimes over one copy of the articles, each prepared by the CLI as a user would:
 * `worker-data` for the Worker, `build` for the static host, the server for Node.
 */
async function runtimesFor(articles: string): Promise<Runtimes> {
  const work = path.dirname(articles);
  const cli = (args: string[]) =>
    run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args, '--articles', articles], { cwd: work, env: { ...process.env, SOURCE_DATE_EPOCH: String(NOW_SECONDS) } });
  const siteModule = path.join(work, 'site-data.js');
  await cli(['worker-data', '--out', siteModule]);
  await cli(['build', '--out', path.join(work, 'dist')]);
  const [worker, node] = await Promise.all([startWorker(siteModule), startServer(articles, undefined, { baseUrl: undefined, now: () => NOW_SECONDS * 1000 })]);
  const host = await StaticHost.open(path.join(work, 'dist'));
  const baseUrl = /^base_url: (.+)$/m.exec(await readFile(path.join(articles, '_index.md'), 'utf8'))?.[1] ?? '';
  return { basePath: new URL(baseUrl).pathname.replace(/\/$/, ''), paths: host.files(), worker, node, host };
}

async function copyOfBundled(edit: (index: string) => string = (index) => index): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-identity-')), 'articles');
  await cp(BUNDLED_ARTICLES, dir, { recursive: true });
  const index = await readFile(path.join(dir, '_index.md'), 'utf8');
  await writeFile(path.join(dir, '_index.md'), edit(index));
  return dir;
}

function visibleHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => !HOP_BY_HOP.has(name)).sort(([a], [b]) => a.localeCompare(b)));
}

async function exchange(runtimes: Runtimes, urlPath: string, init: RequestInit = {}) {
  const headers = { 'accept-encoding': 'identity', ...(init.headers as Record<string, string> | undefined) };
  const fromWorker = await runtimes.worker.dispatchFetch(`${ORIGIN}${urlPath}`, { ...init, headers, redirect: 'manual' } as never);
  const fromNode = await fetch(`${runtimes.node.url}${urlPath}`, { ...init, headers, redirect: 'manual' });
  return {
    worker: { status: fromWorker.status, headers: visibleHeaders(fromWorker as unknown as Response), body: Buffer.from(await fromWorker.arrayBuffer()) },
    node: { status: fromNode.status, headers: visibleHeaders(fromNode), body: Buffer.from(await fromNode.arrayBuffer()) },
  };
}

/** Requests beyond the site's own URLs: errors, redirects, conditional and other methods. */
function edgeCases(basePath: string): Array<[string, RequestInit?]> {
  const b = basePath;
  return [
    [`${b}/no-such-section/`],
    [`${b}/china`],
    [`${b}/page/2/rss.xml`],
    [`${b}/archive/x/atom.xml`],
    [`${b}/archive/99/feed.json`],
    [`${b}/china/world/archive/1/feed.json`],
    [`${b}/%ZZ/rss.xml`],
    [`${b}/china/%2F/rss.xml`],
    [`${b}/rss.xml?${'q=1&'.repeat(600)}`],
    [`${b}/atom.xml?utm_source=reader`],
    [`${b}/rss.xml`, { method: 'HEAD' }],
    [`${b}/rss.xml`, { method: 'POST' }],
    [`${b}/rss.xml`, { headers: { 'if-modified-since': 'Wed, 01 Jan 2031 00:00:00 GMT' } }],
    [`${b}/rss.xml`, { headers: { 'if-none-match': '"stale"' } }],
    [`${b}/rss.xml`, { headers: { 'if-match': '"stale"' } }],
    ...(b ? ([['/rss.xml'], ['/']] as Array<[string]>) : []),
  ];
}

let hub: TestHub;
const sites: Array<{ name: string; runtimes?: Runtimes; articles: () => Promise<string> }> = [
  { name: 'the bundled site', articles: () => copyOfBundled() },
  {
    name: 'a site whose base_url has a path, with a WebSub hub',
    articles: () => copyOfBundled((index) => index.replace(/^base_url: .*$/m, `base_url: ${ORIGIN}/news\nhub: ${hub.url}`)),
  },
];

beforeAll(async () => {
  hub = await startHub();
  await Promise.all(sites.map(async (site) => (site.runtimes = await runtimesFor(await site.articles()))));
}, 180_000);

afterAll(async () => {
  await Promise.all(sites.flatMap((site) => (site.runtimes ? [site.runtimes.worker.dispose(), site.runtimes.node.close()] : [])));
  await hub.close();
});

describe.each(sites)('Worker, Node server and static build on $name', (site) => {
  it('answer every URL with identical statuses, bodies and headers', async () => {
    const runtimes = site.runtimes as Runtimes;
    const paths = runtimes.paths.map((p) => `${runtimes.basePath}${p}`);
    expect(paths.length).toBeGreaterThan(60);
    // The podcast's audio, transcript and chapters, and the site's icon and logo, are URLs of the site too.
    expect(paths).toEqual(expect.arrayContaining(['/media/podcast/night-trains.mp3', '/media/podcast/monsoon.m4a', '/media/podcast/monsoon.vtt', '/media/icon.svg', '/media/logo.png'].map((p) => `${runtimes.basePath}${p}`)));
    for (const urlPath of paths) {
      const { worker, node } = await exchange(runtimes, urlPath);
      expect(node.status, urlPath).toBe(200);
      expect(worker.status, urlPath).toBe(200);
      expect(worker.headers, urlPath).toEqual(node.headers);
      expect(worker.body.equals(node.body), `${urlPath}: Worker and Node bodies differ`).toBe(true);

      const staticBody = await runtimes.host.body(urlPath, runtimes.basePath);
      expect(staticBody.equals(node.body), `${urlPath}: static file and Node body differ`).toBe(true);
      expect(await strongEtag(staticBody), urlPath).toBe(node.headers.etag);
      const fromNode = Object.fromEntries(Object.entries(node.headers).filter(([name]) => !HOST_COMPUTED.has(name)));
      // Static hosts cannot give full archives their longer max-age (see the README).
      if (/\/archive\/\d+\//.test(urlPath)) fromNode['cache-control'] = 'public, max-age=300';
      expect(runtimes.host.headers(urlPath), urlPath).toEqual(fromNode);
      expect(runtimes.host.lastModified(urlPath, runtimes.basePath), urlPath).toBe(node.headers['last-modified']);
    }
  }, 60_000);

  it('answer errors, redirects, conditional requests and other methods alike', async () => {
    const runtimes = site.runtimes as Runtimes;
    for (const [urlPath, init] of edgeCases(runtimes.basePath)) {
      const label = `${init?.method ?? 'GET'} ${urlPath.slice(0, 80)} ${JSON.stringify(init?.headers ?? {})}`;
      const { worker, node } = await exchange(runtimes, urlPath, init);
      expect(node.status, label).not.toBe(500);
      expect(worker.status, label).toBe(node.status);
      expect(worker.headers, label).toEqual(node.headers);
      expect(worker.body.toString(), label).toBe(node.body.toString());
    }
  }, 60_000);
});
