/**
 * Prepares what the Worker serves, as Workers Static Assets (see asset-manifest.ts): every
 * representation the Node server would send, rendered here in Node, its bytes in one file and its
 * validators and header facts in its scope's manifest. Unchanged representations give byte-identical
 * files (nothing in them depends on when they were written), so `wrangler deploy`, which uploads
 * only the assets whose hash it has not seen, uploads only what a change touched.
 *
 * The Worker cannot render, so the future is rendered here too: the site as of each scheduled
 * instant to come, up to MAX_SCHEDULED_VERSIONS of them, of which what differs from the version
 * before is kept under `/_feedgen/at/<instant>/` and listed in its scope's manifest (asset-manifest.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILD_ENTRY_CAPACITY, EntryCache } from '../feeds/entries.js';
import type { Problem, SiteData } from '../content/model.js';
import { renderResource } from '../publish/render.js';
import { mediaHead, represent } from '../publish/store.js';
import { allResources, homeScope, renderOrder, type Resource } from '../site/resources.js';
import { pendingInstants, scheduleOf } from '../site/schedule.js';
import { SiteSnapshot } from '../site/snapshot.js';
import { publicationOf, recordHistory } from '../state/history.js';
import type { Ledger } from '../state/ledger.js';
import { formatUtc } from '../time/index.js';
import { basePathOf, scopeKey } from '../urls/paths.js';
import { SITE_MANIFEST_PATH, ScopeManifestBuilder, scopeManifestPath, versionedAssetPath, type AssetHead, type SiteManifest } from './asset-manifest.js';
import { copyMediaFile } from './media.js';
import { fileForPath, makeFolders, replaceFolder } from './output-folder.js';

/** wrangler.toml's `[assets] directory`. */
export const WORKER_ASSETS_DIR = '.generated/worker-assets';

/** Workers Static Assets takes files up to this size: `wrangler deploy` refuses larger ones. */
export const MAX_ASSET_BYTES = 25 * 1024 * 1024;

/**
 * Scheduled instants the Worker is prepared for, at most: each is a version of the site rendered
 * ahead. A change beyond them goes out only once `worker-data` runs (a deploy) after the last.
 */
export const MAX_SCHEDULED_VERSIONS = 32;

/** Warnings for the scheduled changes beyond the Worker's MAX_SCHEDULED_VERSIONS, at the line of the key that makes each. */
export function unrenderedChanges(articles: readonly SiteData['articles'][number][], now: number): Problem[] {
  const beyond = pendingInstants(articles, now)[MAX_SCHEDULED_VERSIONS];
  if (beyond === undefined) return [];
  const problems: Problem[] = [];
  const warn = (article: (typeof articles)[number], line: number, at: number, what: string) =>
    problems.push({
      file: article.source,
      line,
      severity: 'warning',
      message: `${what} at ${formatUtc(at)}, beyond the next ${MAX_SCHEDULED_VERSIONS} scheduled changes that the Cloudflare Worker is prepared for: run worker-data (deploy) again after ${formatUtc(pendingInstants(articles, now)[MAX_SCHEDULED_VERSIONS - 1] as number)}, or the Worker will not switch on time`,
    });
  for (const article of articles) {
    const { publishAt, expiresAt } = scheduleOf(article);
    if (publishAt >= beyond) warn(article, article.lines.date, publishAt, 'published');
    if (expiresAt !== undefined && expiresAt >= beyond) warn(article, article.lines.expires ?? article.lines.date, expiresAt, 'expires');
  }
  return problems;
}

/** What scheduled versions are rendered from: every article (live or not) and a copy of the history as of the base version, which nothing saves. */
export interface ScheduledFuture {
  data: SiteData;
  ledger: Ledger;
}

export interface WorkerAssetsResult {
  /** Representations written, and all files (manifests included). */
  representations: number;
  files: number;
  /** Bytes of the representations. */
  bytes: number;
  /** Site paths of every representation of the current version. */
  paths: Set<string>;
  /** The scheduled instants rendered ahead. */
  changes: number[];
  /** Site paths of media files larger than Workers Static Assets takes (MAX_ASSET_BYTES), with their sizes. */
  oversized: Array<{ path: string; size: number }>;
}

/**
 * Replaces `outDir` with the site's assets; a failure leaves it as it was. `progress`: told as
 * each representation of the current version is written.
 */
export async function writeWorkerAssets(
  snapshot: SiteSnapshot,
  outDir = WORKER_ASSETS_DIR,
  future?: ScheduledFuture,
  progress?: (done: number, total: number) => void,
): Promise<WorkerAssetsResult> {
  return replaceFolder(outDir, async (staging) => {
    const manifests = new Map<string, ScopeManifestBuilder>();
    for (const scope of snapshot.allScopes()) manifests.set(scope.key, new ScopeManifestBuilder(scope.key, snapshot.archiveCount(scope)));
    const versions = new VersionTracker(snapshot);
    const entries = new EntryCache(BUILD_ENTRY_CAPACITY);
    const resources = [...allResources(snapshot)];
    const files = resources.map(({ path: urlPath }) => path.join(staging, fileForPath(urlPath)));
    await makeFolders(files);
    let bytes = 0;
    // Rendered in the order that keeps entries at hand; listed in the manifests in the usual order.
    const listed = new Array<AssetHead>(resources.length);
    let done = 0;
    for (const i of renderOrder(snapshot, resources)) {
      const { path: urlPath, resource } = resources[i] as (typeof resources)[number];
      const asset = await assetOf(snapshot, resource, entries);
      bytes += asset.write(files[i] as string);
      listed[i] = asset.head;
      progress?.(++done, resources.length);
    }
    listed.forEach((representation, i) => {
      const { path: urlPath, resource } = resources[i] as (typeof resources)[number];
      const home = scopeKey(homeScope(resource));
      const manifest = manifests.get(home);
      if (!manifest) throw new Error(`${urlPath} belongs to scope "${home}", which the snapshot does not list`);
      manifest.add(urlPath, representation);
      versions.see(urlPath, home, representation);
    });
    const changes = future ? snapshot.pending.slice(0, MAX_SCHEDULED_VERSIONS) : [];
    // The future is tried on the copy of the history: it records each version as the runtimes will when its instant comes.
    for (const at of changes) {
      if (!future) break;
      recordHistory(future.ledger, future.data, at);
      const version = new SiteSnapshot(future.data, publicationOf(future.ledger, future.data, at));
      const changed = versions.next(version);
      for (const { path: urlPath, resource } of allResources(version)) {
        const asset = await assetOf(version, resource, entries);
        if (!versions.see(urlPath, scopeKey(homeScope(resource)), asset.head)) continue;
        const file = path.join(staging, fileForPath(versionedAssetPath(at, urlPath)));
        mkdirSync(path.dirname(file), { recursive: true });
        bytes += asset.write(file);
      }
      for (const [key, { archives, resources }] of changed()) {
        let manifest = manifests.get(key);
        if (!manifest) manifests.set(key, (manifest = new ScopeManifestBuilder(key, undefined)));
        manifest.addChange(at, archives, resources);
      }
    }
    const manifestFiles = await Promise.all([...manifests.values()].map(async (manifest) => ({ file: await scopeManifestPath(manifest.scopeKey), manifest })));
    await makeFolders(manifestFiles.map(({ file }) => path.join(staging, file)));
    for (const { file, manifest } of manifestFiles) await writeFile(path.join(staging, file), JSON.stringify(manifest));
    const site: SiteManifest = { basePath: basePathOf(snapshot.site.baseUrl), redirects: Object.fromEntries(snapshot.redirects), changes };
    const unrendered = future ? snapshot.pending[MAX_SCHEDULED_VERSIONS] : snapshot.nextChange;
    if (unrendered !== undefined) site.unrendered = unrendered;
    await mkdir(path.dirname(path.join(staging, SITE_MANIFEST_PATH)), { recursive: true });
    await writeFile(path.join(staging, SITE_MANIFEST_PATH), JSON.stringify(site));
    const oversized = resources.flatMap(({ path: urlPath, resource }) => (resource.kind === 'media' && resource.file.size > MAX_ASSET_BYTES ? [{ path: urlPath, size: resource.file.size }] : []));
    return {
      representations: resources.length + versions.written,
      files: resources.length + versions.written + manifestFiles.length + 1,
      bytes,
      paths: new Set(resources.map((r) => r.path)),
      changes,
      oversized,
    };
  });
}

/**
 * A resource as an asset: what its manifest entry says, and how its file is written (returning its
 * size). A media file is copied, never read into memory; everything else is rendered.
 */
async function assetOf(snapshot: SiteSnapshot, resource: Resource, entries: EntryCache): Promise<{ head: AssetHead; write: (file: string) => number }> {
  if (resource.kind === 'media') {
    const { file } = resource;
    return {
      head: { ...mediaHead(snapshot, file), size: file.size },
      write: (to) => {
        copyMediaFile(file, to);
        return file.size;
      },
    };
  }
  const { body, ...head } = await represent(snapshot, renderResource(snapshot, resource, entries));
  return {
    head,
    write: (to) => {
      writeFileSync(to, body);
      return body.byteLength;
    },
  };
}

/** What a version of a scope changes: its archives (undefined: it is gone) and its new or removed resources. */
interface ScopeDiff {
  archives: number | undefined;
  resources: Map<string, AssetHead | null>;
}

/**
 * The site's representations as of the version last rendered, to tell what the next one changes:
 * `next` starts a version, `see` takes each of its representations (true when it differs), and the
 * function `next` returned lists, per scope, what changed.
 */
class VersionTracker {
  /** Path -> what identifies its representation (validators and facts) and its scope. */
  private current = new Map<string, { identity: string; scope: string }>();
  private archives = new Map<string, number>();
  private seen = new Map<string, { identity: string; scope: string }>();
  private changed = new Map<string, Map<string, AssetHead | null>>();
  private started = false;
  /** Representations written for versions after the first. */
  written = 0;

  constructor(first: SiteSnapshot) {
    for (const scope of first.allScopes()) this.archives.set(scope.key, first.archiveCount(scope));
  }

  see(path: string, scope: string, representation: AssetHead): boolean {
    const identity = JSON.stringify(representation);
    this.seen.set(path, { identity, scope });
    // The first version is the base, which the manifests list as it is.
    if (!this.started || this.current.get(path)?.identity === identity) return false;
    this.changedIn(scope).set(path, representation);
    this.written++;
    return true;
  }

  next(version: SiteSnapshot): () => Map<string, ScopeDiff> {
    if (!this.started) {
      this.started = true;
      this.current = this.seen;
    }
    this.seen = new Map();
    this.changed = new Map();
    return () => {
      for (const [path, { scope }] of this.current) if (!this.seen.has(path)) this.changedIn(scope).set(path, null);
      const archives = new Map(version.allScopes().map((scope) => [scope.key, version.archiveCount(scope)]));
      const diffs = new Map<string, ScopeDiff>();
      for (const key of new Set([...this.archives.keys(), ...archives.keys()])) {
        const resources = this.changed.get(key) ?? new Map<string, AssetHead | null>();
        if (resources.size === 0 && this.archives.get(key) === archives.get(key)) continue;
        diffs.set(key, { archives: archives.get(key), resources });
      }
      this.current = this.seen;
      this.archives = archives;
      return diffs;
    };
  }

  private changedIn(scope: string): Map<string, AssetHead | null> {
    let changed = this.changed.get(scope);
    if (!changed) this.changed.set(scope, (changed = new Map()));
    return changed;
  }
}
