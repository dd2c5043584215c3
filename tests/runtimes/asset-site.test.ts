/**
 * The Worker's view of a site (runtimes/asset-site.ts) against the Node server's: every path of the
 * bundled site, and paths that name nothing or redirect, resolve to the same representations,
 * redirects and errors from the assets `feedgen worker-data` writes, with the manifests kept across
 * requests or none kept at all. The assets are read from disk here, as the binding reads them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { RepresentationStore, type Representation, type Resolution } from '../../src/publish/store.js';
import { AssetSite, type AssetFetcher } from '../../src/runtimes/asset-site.js';
import { nodeMediaBody } from '../../src/runtimes/media.js';
import { allResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';
import { writeAssetsFor } from '../helpers/worker-bundle.js';

/** The static assets binding, over a folder: the file at the decoded path, or 404. */
function folderFetcher(dir: string): AssetFetcher & { requests: number } {
  const fetcher = {
    requests: 0,
    async fetch(request: Request): Promise<Response> {
      fetcher.requests++;
      const file = path.join(dir, ...new URL(request.url).pathname.split('/').map(decodeURIComponent));
      return readFile(file).then(
        (bytes) => new Response(bytes),
        () => new Response('not found', { status: 404 }),
      );
    },
  };
  return fetcher;
}

/** What a resolution answers, its bytes read (a media file's are streamed, from disk or from the asset). */
async function settle(resolution: Resolution): Promise<Omit<Resolution, 'representation'> | Representation> {
  if (resolution.kind !== 'found') return resolution;
  const { body, ...head } = await resolution.representation();
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(await new Response(await body.open(0, body.byteLength)).arrayBuffer());
  return { ...head, body: bytes };
}

const OTHER_PATHS = [
  '/china', '/%E4%B8%AD%E6%96%87', '/china/world/huawei-ceo-proposes-negotiations-with-washington', '/no-such/', '/no-such/rss.xml',
  '/page/2/rss.xml', '/page/1/atom.xml', '/page/x/feed.json', '/%ZZ/', '/china/%2F/', '/china/world/index.html', '/_feedgen/site.json',
  '/us/no-such-article/', '/asia/south/page/3/rss.xml',
];

let store: RepresentationStore;
let assets: string;

beforeAll(async () => {
  const { data } = await loadSite(BUNDLED_ARTICLES);
  store = new RepresentationStore(new SiteSnapshot(data!), { openMedia: nodeMediaBody });
  assets = await writeAssetsFor(data!);
});

describe('the Worker resolving paths from its assets', () => {
  it.each([
    ['keeping manifests across requests', undefined],
    ['keeping no manifest at all', 0],
  ])('answers every path as the Node server does, %s', async (_label, manifestBudget) => {
    const fetcher = folderFetcher(assets);
    const site = await AssetSite.open(fetcher, { manifestBudget });
    expect(site.basePath).toBe('');
    const paths = [...[...allResources(store.snapshot)].map((r) => r.path), ...OTHER_PATHS];
    for (const sitePath of paths) {
      expect(await settle(await site.resolve(sitePath)), sitePath).toEqual(await settle(store.resolve(sitePath)));
    }
    // Each request reads its one asset; manifests come on top only when none is kept.
    const perRequest = fetcher.requests / paths.length;
    if (manifestBudget === 0) expect(perRequest).toBeGreaterThan(1.3);
    else expect(perRequest).toBeLessThan(1.3);
  });

  it('says what to do when the assets lack their manifest', async () => {
    await expect(AssetSite.open(folderFetcher(path.join(assets, 'nowhere')))).rejects.toThrow(/run feedgen worker-data/);
  });
});
