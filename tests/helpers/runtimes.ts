/**
 * The three runtimes over one site, for the cross-runtime identity tests: the Worker (real workerd,
 * through Miniflare, bundled exactly as `wrangler deploy` bundles it, serving the static assets
 * `feedgen worker-data` writes), the Node server over HTTP, and the static build read through its
 * `_headers` and `_redirects`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Miniflare } from 'miniflare';
import { expect } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import type { SiteData } from '../../src/content/model.js';
import { strongEtag } from '../../src/publish/store.js';
import { buildStatic } from '../../src/runtimes/static.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { basePathOf } from '../../src/urls/paths.js';
import { startServer } from './server.js';
import { HOST_COMPUTED, StaticHost } from './static-host.js';
import { CHECKOUT_ASSETS, startWorker, writeAssetsFor } from './worker-bundle.js';

const ORIGIN = 'http://127.0.0.1:8787';
/** Headers of the connection, not of the response. */
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

export interface Runtimes {
  data: SiteData;
  basePath: string;
  worker: Miniflare;
  node: Awaited<ReturnType<typeof startServer>>;
  host: StaticHost;
  close(): Promise<void>;
}

/** `ownWorkerAssets` false: the Worker serves the checkout's assets, as its build step wrote them. */
export async function runtimesFor(articles: string, ownWorkerAssets: boolean): Promise<Runtimes> {
  const { data } = await loadSite(articles);
  if (!data) throw new Error(`${articles} has no usable site`);
  const dist = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-static-')), 'dist');
  const [worker, node] = await Promise.all([
    (ownWorkerAssets ? writeAssetsFor(data) : Promise.resolve(CHECKOUT_ASSETS)).then(startWorker),
    startServer(articles, data.site.baseUrl),
    buildStatic(new SiteSnapshot(data), dist),
  ]);
  return {
    data,
    basePath: basePathOf(data.site.baseUrl),
    worker,
    node,
    host: await StaticHost.open(dist),
    close: async () => {
      await Promise.all([worker.dispose(), node.close()]);
    },
  };
}

function visibleHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => !HOP_BY_HOP.has(name)).sort(([a], [b]) => a.localeCompare(b)));
}

/** The same request to the Worker and to the Node server (identity coding, redirects not followed). */
export async function exchange(runtimes: Runtimes, urlPath: string, init: RequestInit = {}) {
  const headers = { 'accept-encoding': 'identity', ...(init.headers as Record<string, string> | undefined) };
  const fromWorker = await runtimes.worker.dispatchFetch(`${ORIGIN}${urlPath}`, { ...init, headers, redirect: 'manual' } as never);
  const fromNode = await fetch(`${runtimes.node.url}${urlPath}`, { ...init, headers, redirect: 'manual' });
  return {
    worker: { status: fromWorker.status, headers: visibleHeaders(fromWorker as unknown as Response), body: Buffer.from(await fromWorker.arrayBuffer()) },
    node: { status: fromNode.status, headers: visibleHeaders(fromNode), body: Buffer.from(await fromNode.arrayBuffer()) },
  };
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
  expect(runtimes.host.headers(urlPath), urlPath).toEqual(fromNode);
}
