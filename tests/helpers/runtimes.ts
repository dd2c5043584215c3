/**
 * The three runtimes over one site, for the cross-runtime identity tests: the Worker (real workerd,
 * through Miniflare, bundled exactly as `wrangler deploy` bundles it, serving the static assets
 * `feedgen worker-data` writes), the Node server over HTTP, and the static build read through its
 * `_headers` and `_redirects`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Miniflare } from 'miniflare';
import { expect } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import type { SiteData } from '../../src/content/model.js';
import { strongEtag } from '../../src/publish/store.js';
import { basePathOf } from '../../src/urls/paths.js';
import { startServer } from './server.js';
import { eachConcurrently } from './concurrently.js';
import { HOST_COMPUTED, StaticHost } from './static-host.js';
import { startWorker } from './worker-bundle.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const ORIGIN = 'http://127.0.0.1:8787';
/** One "now" for every runtime: the ledger each reads is the same. */
const NOW_SECONDS = 1_790_000_000;
/** Requests in flight at once when every URL of a site is compared: a crawler's few connections. */
const CONCURRENT_REQUESTS = 6;
/** Headers of the connection, not of the response. */
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

export interface Runtimes {
  data: SiteData;
  basePath: string;
  /** Every URL the site has, as the static build wrote them. */
  paths: string[];
  worker: Miniflare;
  node: Awaited<ReturnType<typeof startServer>>;
  host: StaticHost;
  close(): Promise<void>;
}

/**
 * The three runtimes over one articles folder (a copy: publishing writes its ledger), each prepared
 * by the CLI as a user would at one SOURCE_DATE_EPOCH: `worker-data` for the Worker's assets,
 * `build` for the static host, the server for Node.
 */
export async function runtimesFor(articles: string): Promise<Runtimes> {
  const work = path.dirname(articles);
  const cli = (args: string[]) =>
    run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args, '--articles', articles], { cwd: work, env: { ...process.env, SOURCE_DATE_EPOCH: String(NOW_SECONDS) } });
  const assets = path.join(work, 'worker-assets');
  await cli(['worker-data', '--out', assets]);
  await cli(['build', '--out', path.join(work, 'dist')]);
  // workerd starts while the site loads here.
  const [worker, { data }] = await Promise.all([startWorker(assets), loadSite(articles)]);
  if (!data) {
    await worker.dispose();
    throw new Error(`${articles} has no usable site`);
  }
  // At the site's own address, as its server behind a proxy would be: the same links as the others.
  const node = await startServer(articles, data.site.baseUrl, { now: () => NOW_SECONDS * 1000 });
  const host = await StaticHost.open(path.join(work, 'dist'));
  return {
    data,
    basePath: basePathOf(data.site.baseUrl),
    paths: host.files(),
    worker,
    node,
    host,
    close: async () => {
      await Promise.all([worker.dispose(), node.close()]);
    },
  };
}

function visibleHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => !HOP_BY_HOP.has(name)).sort(([a], [b]) => a.localeCompare(b)));
}

/** A response as the tests compare it, its body read as soon as it arrives. */
async function received(response: Response) {
  return { status: response.status, headers: visibleHeaders(response), body: Buffer.from(await response.arrayBuffer()) };
}

/**
 * The same request to the Worker and to the Node server at once (identity coding, redirects not
 * followed). Each body is read as its response arrives (a Worker's body left unread while the Node
 * server answered was once found already "read" by undici, under load).
 */
export async function exchange(runtimes: Runtimes, urlPath: string, init: RequestInit = {}) {
  const headers = { 'accept-encoding': 'identity', ...(init.headers as Record<string, string> | undefined) };
  const [worker, node] = await Promise.all([
    runtimes.worker.dispatchFetch(`${ORIGIN}${urlPath}`, { ...init, headers, redirect: 'manual' } as never).then((response) => received(response as unknown as Response)),
    fetch(`${runtimes.node.url}${urlPath}`, { ...init, headers, redirect: 'manual' }).then(received),
  ]);
  return { worker, node };
}

/** One URL of the site: 200 with identical headers and bodies from all three runtimes. */
export async function expectIdenticalEverywhere(runtimes: Runtimes, urlPath: string): Promise<void> {
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
  if (/\/archive\/\d+\//.test(urlPath)) fromNode['cache-control'] = `public, max-age=${runtimes.data.site.cacheMaxAge}`;
  expect(runtimes.host.headers(urlPath), urlPath).toEqual(fromNode);
  expect(runtimes.host.lastModified(urlPath, runtimes.basePath), urlPath).toBe(node.headers['last-modified']);
}

/** Every one of `paths` identical everywhere, a few requests at a time. */
export async function expectEveryPathIdentical(runtimes: Runtimes, paths: readonly string[]): Promise<void> {
  await eachConcurrently(paths, CONCURRENT_REQUESTS, (urlPath) => expectIdenticalEverywhere(runtimes, urlPath));
}
