/**
 * The three runtimes over one core: every URL of a site fetched from the Worker (real workerd,
 * through Miniflare, bundled exactly as `wrangler deploy` bundles it), from the Node server over
 * HTTP, and read from the static build through its `_headers` and `_redirects`. Statuses, bodies and
 * every header a client sees must be identical; the static host computes only its own validators.
 * Two sites: the bundled one, and the same articles under a base URL with a path and a WebSub hub.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import type { SiteData } from '../../src/content/model.js';
import { strongEtag } from '../../src/publish/store.js';
import { buildStatic } from '../../src/runtimes/static.js';
import { allResources, firstPageAliases } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { sendRequest } from '../helpers/raw-http.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';
import { HOST_COMPUTED, StaticHost } from '../helpers/static-host.js';
import { startWorker } from '../helpers/worker-bundle.js';

const ORIGIN = 'http://127.0.0.1:8787';
/** Headers of the connection, not of the response. */
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Runtimes {
  data: SiteData;
  basePath: string;
  worker: Miniflare;
  node: Awaited<ReturnType<typeof startServer>>;
  host: StaticHost;
}

async function runtimesFor(articles: string, ownWorkerBundle: boolean): Promise<Runtimes> {
  const { data } = await loadSite(articles);
  if (!data) throw new Error(`${articles} has no usable site`);
  const [worker, node] = await Promise.all([startWorker(ownWorkerBundle ? data : undefined), startServer(articles, data.site.baseUrl)]);
  const dist = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-static-')), 'dist');
  await buildStatic(new SiteSnapshot(data), dist);
  return { data, basePath: new URL(data.site.baseUrl).pathname.replace(/\/$/, ''), worker, node, host: await StaticHost.open(dist) };
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
    [`${b}/page/1/rss.xml`],
    [`${b}/page/x/atom.xml`],
    [`${b}/page/99/feed.json`],
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

const sites: Array<{ name: string; runtimes?: Runtimes; articles: () => Promise<string>; ownWorkerBundle: boolean }> = [
  { name: 'the bundled site', articles: async () => BUNDLED_ARTICLES, ownWorkerBundle: false },
  {
    name: 'a site whose base_url has a path, with a WebSub hub',
    ownWorkerBundle: true,
    articles: async () => {
      const dir = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-prefixed-')), 'articles');
      await cp(BUNDLED_ARTICLES, dir, { recursive: true });
      const index = await readFile(path.join(dir, '_index.md'), 'utf8');
      await writeFile(path.join(dir, '_index.md'), index.replace(/^base_url: .*$/m, `base_url: ${ORIGIN}/news\nhub: https://hub.example.com/`));
      return dir;
    },
  },
];

beforeAll(async () => {
  await Promise.all(sites.map(async (site) => (site.runtimes = await runtimesFor(await site.articles(), site.ownWorkerBundle))));
}, 180_000);

afterAll(async () => {
  await Promise.all(sites.flatMap((site) => (site.runtimes ? [site.runtimes.worker.dispose(), site.runtimes.node.close()] : [])));
});

describe.each(sites)('Worker, Node server and static build on $name', (site) => {
  it('answer every URL with identical statuses, bodies and headers', async () => {
    const runtimes = site.runtimes as Runtimes;
    const paths = [...allResources(new SiteSnapshot(runtimes.data))].map((r) => `${runtimes.basePath}${r.path}`);
    expect(paths.length).toBeGreaterThan(40);
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
      expect(runtimes.host.headers(urlPath), urlPath).toEqual(fromNode);
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

  it('answer a browser navigation to every feed alike: the browser view, and 304 on either validator', async () => {
    const runtimes = site.runtimes as Runtimes;
    const workerOrigin = String(await runtimes.worker.ready).replace(/\/$/, '');
    const navigation = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'accept-encoding': 'identity' };
    const feeds = [...allResources(new SiteSnapshot(runtimes.data))].filter((r) => r.resource.kind === 'feed').map((r) => `${runtimes.basePath}${r.path}`);
    const answer = async (origin: string, urlPath: string, headers: Record<string, string>) => {
      const response = await sendRequest(`${origin}${urlPath}`, headers);
      const visible = Object.fromEntries([...response.headers].filter(([name]) => !HOP_BY_HOP.has(name)).sort(([a], [b]) => a.localeCompare(b)));
      return { status: response.status, headers: visible, body: response.body.toString('utf8') };
    };
    for (const urlPath of feeds) {
      // Twice: the Worker's second answer comes from its edge cache.
      for (let round = 0; round < 2; round++) {
        const node = await answer(runtimes.node.url, urlPath, navigation);
        expect(node.headers['content-type'], urlPath).toMatch(/^application\/(xml|json); charset=utf-8$/);
        expect(await answer(workerOrigin, urlPath, navigation), `${urlPath}, round ${round}`).toEqual(node);
        const reader = await answer(runtimes.node.url, urlPath, { 'accept-encoding': 'identity' });
        for (const etag of [node.headers.etag as string, reader.headers.etag as string]) {
          const conditional = { ...navigation, 'if-none-match': etag };
          const fromNode = await answer(runtimes.node.url, urlPath, conditional);
          expect(fromNode.status, urlPath).toBe(304);
          expect(await answer(workerOrigin, urlPath, conditional), `${urlPath} If-None-Match: ${etag}`).toEqual(fromNode);
        }
      }
    }
  }, 120_000);

  it('redirect the first page of every feed to its plain URL, on the static host too', async () => {
    const runtimes = site.runtimes as Runtimes;
    for (const { alias, path: plain } of firstPageAliases(new SiteSnapshot(runtimes.data))) {
      const { node } = await exchange(runtimes, `${runtimes.basePath}${alias}`);
      expect(node.status).toBe(301);
      expect(node.headers.location).toBe(`${runtimes.basePath}${plain}`);
      expect(runtimes.host.redirect(`${runtimes.basePath}${alias}`)).toBe(node.headers.location);
    }
  });
});
