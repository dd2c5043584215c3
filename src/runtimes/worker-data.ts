/**
 * Prepares what the Worker serves, as Workers Static Assets (see asset-manifest.ts): every
 * representation the Node server would send, rendered here in Node, its bytes in one file and its
 * validators and header facts in its scope's manifest. Unchanged representations give byte-identical
 * files (nothing in them depends on when they were written), so `wrangler deploy`, which uploads
 * only the assets whose hash it has not seen, uploads only what a change touched.
 */
import { writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EntryCache } from '../feeds/entries.js';
import type { ResourceClock } from '../publish/publication.js';
import { renderResource } from '../publish/render.js';
import { represent } from '../publish/store.js';
import { allResources, homeScope } from '../site/resources.js';
import type { SiteSnapshot } from '../site/snapshot.js';
import { basePathOf, scopeKey } from '../urls/paths.js';
import { SITE_MANIFEST_PATH, ScopeManifestBuilder, scopeManifestPath, type SiteManifest } from './asset-manifest.js';
import { fileForPath, makeFolders, replaceFolder } from './static.js';

/** wrangler.toml's `[assets] directory`. */
export const WORKER_ASSETS_DIR = '.generated/worker-assets';

export interface WorkerAssetsResult {
  /** Representations written, and all files (manifests included). */
  representations: number;
  files: number;
  /** Bytes of the representations. */
  bytes: number;
  /** Site paths of every representation written. */
  paths: Set<string>;
}

/**
 * Replaces `outDir` with the site's assets; a failure leaves it as it was. `clock`: where
 * Last-Modified comes from (the publish ledger), as in the other runtimes.
 */
export async function writeWorkerAssets(snapshot: SiteSnapshot, outDir = WORKER_ASSETS_DIR, clock?: ResourceClock): Promise<WorkerAssetsResult> {
  return replaceFolder(outDir, async (staging) => {
    const manifests = new Map<string, ScopeManifestBuilder>();
    for (const scope of snapshot.allScopes()) manifests.set(scope.key, new ScopeManifestBuilder(scope.key, snapshot.archiveCount(scope)));
    // Every entry is kept, as in the static build: each is on up to one feed document per scope it is in, per format.
    const entries = new EntryCache();
    const resources = [...allResources(snapshot)];
    const files = resources.map(({ path: urlPath }) => path.join(staging, fileForPath(urlPath)));
    await makeFolders(files);
    let bytes = 0;
    for (let i = 0; i < resources.length; i++) {
      const { path: urlPath, resource } = resources[i] as (typeof resources)[number];
      const representation = await represent(snapshot, renderResource(snapshot, resource, entries), urlPath, clock);
      writeFileSync(files[i] as string, representation.body);
      bytes += representation.body.byteLength;
      const home = scopeKey(homeScope(resource));
      const manifest = manifests.get(home);
      if (!manifest) throw new Error(`${urlPath} belongs to scope "${home}", which the snapshot does not list`);
      manifest.add(urlPath, representation);
    }
    const manifestFiles = await Promise.all([...manifests.values()].map(async (manifest) => ({ file: await scopeManifestPath(manifest.scopeKey), manifest })));
    await makeFolders(manifestFiles.map(({ file }) => path.join(staging, file)));
    for (const { file, manifest } of manifestFiles) await writeFile(path.join(staging, file), JSON.stringify(manifest));
    const site: SiteManifest = { basePath: basePathOf(snapshot.site.baseUrl), redirects: Object.fromEntries(snapshot.redirects) };
    await mkdir(path.dirname(path.join(staging, SITE_MANIFEST_PATH)), { recursive: true });
    await writeFile(path.join(staging, SITE_MANIFEST_PATH), JSON.stringify(site));
    return { representations: resources.length, files: resources.length + manifestFiles.length + 1, bytes, paths: new Set(resources.map((r) => r.path)) };
  });
}
