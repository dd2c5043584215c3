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
import { existsSync, linkSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILD_ENTRY_CAPACITY, EntryCache } from '../feeds/entries.js';
import type { Problem, SiteData } from '../content/model.js';
import { FactTable, dependenciesOf, siteFacts } from '../publish/dependencies.js';
import { renderResource } from '../publish/render.js';
import { mediaHead, represent } from '../publish/store.js';
import { allResources, crawlerResources, homeScope, renderOrder, type Resource } from '../site/resources.js';
import { pendingInstants, scheduleOf } from '../site/schedule.js';
import { SiteSnapshot } from '../site/snapshot.js';
import type { KeptAsset, KeptAssets, WrittenFile } from '../state/asset-record.js';
import { recordedFiles } from '../state/build-record.js';
import { sha256Base64url } from '../state/digest.js';
import { publicationOf, recordHistory } from '../state/history.js';
import type { Ledger } from '../state/ledger.js';
import { formatUtc } from '../time/index.js';
import { basePathOf, scopeKey } from '../urls/paths.js';
import { SITE_MANIFEST_PATH, ScopeManifestBuilder, scopeManifestPath, versionedAssetPath, type AssetHead, type SiteManifest } from './asset-manifest.js';
import { copyKeepingHoles, copyMediaFile } from './media.js';
import { fileForPath, folderOf, foldersOf, makeFolders, removeUnproduced, replaceFolder, stampsAfter, stampsOf, throughLinks } from './output-folder.js';
import type { OutputSurvey, RecordedOutput } from './output-survey.js';

/** wrangler.toml's `[assets] directory`. */
export const WORKER_ASSETS_DIR = '.generated/worker-assets';

/** Workers Static Assets takes files up to this size: `wrangler deploy` refuses larger ones. */
export const MAX_ASSET_BYTES = 25 * 1024 * 1024;

/**
 * Scheduled instants the Worker is prepared for, at most: each is a version of the site rendered
 * ahead. A change beyond them goes out only once `worker-data` runs (a deploy) after the last.
 */
export const MAX_SCHEDULED_VERSIONS = 32;

/**
 * Instants an article ages out of the news sitemap that the Worker is prepared for, at most,
 * besides those: each is a version in which only the news sitemap is rendered again (one asset,
 * and a mention in the site's manifest). Past them, the news sitemap keeps articles past their two
 * days until `worker-data` runs again.
 */
export const MAX_AGE_OUT_VERSIONS = 16;

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

/**
 * What scheduled versions are rendered from: every article (live or not) and a copy of the history
 * as of the base version, which nothing saves (made only when a scheduled change is to be recorded).
 */
export interface ScheduledFuture {
  data: SiteData;
  copyLedger: () => Ledger;
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
  /** Files whose bytes this run wrote, and files of the last run's that it no longer produces (counted with its record only). */
  written: number;
  deleted: number;
  /** What the folder holds now, for the next run (state/asset-record.ts). */
  kept: KeptAssets;
}

/** What a run's record says of the folder it wrote, as output-survey.ts compares it with the folder. */
export function recordedOutputOf(kept: KeptAssets): RecordedOutput {
  return { files: recordedFiles(kept.assets), others: recordedFiles(kept.others), stamps: kept.stamps };
}

export interface WorkerAssetsOptions {
  /** The versions of the site scheduled ahead, rendered beside the current one. */
  future?: ScheduledFuture;
  /** Told as each representation of the current version is done. */
  progress?: (done: number, total: number) => void;
  /** What the last run into the folder left (state/asset-record.ts), and the folder surveyed against it. */
  previous?: KeptAssets & { survey: Promise<OutputSurvey> };
  /** Update the folder where it is (the fastest), rather than fill a new one and swap it in. */
  inPlace?: boolean;
  /** Makes `made` a hard link to `existing` (node:fs linkSync); tests pass one that fails, as a file system without links does. */
  link?: (existing: string, made: string) => void;
}

/**
 * Writes the site's assets into `outDir`. With what the last run into it left (`previous`), a
 * representation none of whose facts changed is not rendered again, and a file whose bytes did
 * not change is not written; files no longer produced go. In place, the folder is updated where it
 * is; otherwise a new folder is filled beside it and swapped in at the end, so that a failure
 * leaves it as it was and `wrangler dev`, which watches it, sees one change (files changed one by
 * one set its watchers rebuilding over and over): the new folder then takes each unchanged file by
 * a hard link (a copy where links cannot be made). Either way the folder ends with the same bytes.
 */
export async function writeWorkerAssets(snapshot: SiteSnapshot, outDir = WORKER_ASSETS_DIR, options: WorkerAssetsOptions = {}): Promise<WorkerAssetsResult> {
  const { previous, inPlace = false } = options;
  const old = previous && existsSync(outDir) ? { root: throughLinks(outDir), kept: previous } : undefined;
  const { folders, touched, ...result } = old && inPlace ? await fillAssets(snapshot, old.root, options, old) : await replaceFolder(outDir, (staging) => fillAssets(snapshot, staging, options, old));
  // Stamped where the folders are now (a folder renamed into place has a new change time).
  const root = throughLinks(outDir);
  const stamps = old && inPlace ? stampsAfter(root, folders, old.kept.stamps, touched) : stampsOf(root, folders);
  return { ...result, kept: { ...result.kept, stamps } };
}

/** `old`: the folder as the last run left it, and its record. */
async function fillAssets(
  snapshot: SiteSnapshot,
  root: string,
  { future, progress, link = linkSync }: WorkerAssetsOptions,
  old: { root: string; kept: KeptAssets & { survey: Promise<OutputSurvey> } } | undefined,
): Promise<WorkerAssetsResult & { folders: string[]; touched: Set<string> }> {
  const previous = old?.kept;
  const inPlace = old?.root === root;
  const survey = await previous?.survey;
  // Folders where someone added or removed a name since the last run, looked through at the end.
  const moved = inPlace && survey ? survey.moved : [];
  /** Folders whose names this run may change (see stampsAfter). */
  const touched = new Set(moved);
  /**
   * The last run's file at `file`'s place (`name` in its record), still as it was: kept where it
   * is, or taken into a new folder by a link, or else by a copy. Its stamp where it lies now (a
   * copy's time is the original's as closely as the system sets it, not always to the nanosecond),
   * or undefined when it is not as it was.
   */
  const reuse = (file: string, name: string, before: WrittenFile): WrittenFile | undefined => {
    if (!old || !survey || survey.changed.has(name)) return undefined;
    const from = path.join(old.root, path.relative(root, file));
    if (from === file) return before;
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      link(from, file);
      return before;
    } catch {
      copyKeepingHoles(from, file, before.size);
      utimesSync(file, statSync(from).atime, before.mtimeMs / 1000);
      const { size, mtimeMs } = statSync(file);
      return { size, mtimeMs };
    }
  };
  const manifests = new Map<string, ScopeManifestBuilder>();
  for (const scope of snapshot.allScopes()) manifests.set(scope.key, new ScopeManifestBuilder(scope.key, snapshot.archiveCount(scope)));
  const versions = new VersionTracker(snapshot);
  const entries = new EntryCache(BUILD_ENTRY_CAPACITY);
  const resources = [...allResources(snapshot)];
  const relatives = resources.map(({ path: urlPath }) => fileForPath(urlPath));
  const files = relatives.map((relative) => path.join(root, relative));
  // In place, the folders are there but for those of the files written (made as each is).
  if (!inPlace) await makeFolders(files);
  const facts = new FactTable(siteFacts(snapshot));
  // The last run's representations none of whose facts changed, with their facts as this run's table reads them.
  const carry = previous ? facts.carryFrom(previous.facts) : undefined;
  const kept: KeptAssets = { assets: new Map(), others: new Map(), facts: { ids: facts.ids, values: facts.values }, stamps: new Map() };
  let bytes = 0;
  let written = 0;
  // Rendered in the order that keeps entries at hand; listed in the manifests in the usual order.
  const listed = new Array<KeptAsset>(resources.length);
  let done = 0;
  for (const i of renderOrder(snapshot, resources)) {
    const { path: urlPath, resource } = resources[i] as (typeof resources)[number];
    const file = files[i] as string;
    const before = previous?.assets.get(urlPath);
    const carried = before?.deps ? carry?.(before.deps) : undefined;
    let asset: KeptAsset;
    const unchanged = before && carried ? reuse(file, urlPath, before) : undefined;
    if (before && carried && unchanged) asset = { ...before, ...unchanged, deps: carried };
    else {
      const made = await assetOf(snapshot, resource, entries);
      // Equal ETags are equal bytes (the head may say something else: a later Last-Modified).
      const same = before && before.head.etag === made.head.etag ? reuse(file, urlPath, before) : undefined;
      if (before && same) asset = { ...before, ...same, head: made.head };
      else {
        asset = { head: made.head, ...writeFile(file, made.write, inPlace) };
        touched.add(folderOf(relatives[i] as string));
        written++;
      }
      const deps = dependenciesOf(snapshot, resource);
      if (deps) asset.deps = facts.indices(deps);
      else delete asset.deps;
    }
    bytes += asset.size;
    listed[i] = asset;
    progress?.(++done, resources.length);
  }
  listed.forEach((asset, i) => {
    const { path: urlPath, resource } = resources[i] as (typeof resources)[number];
    const home = scopeKey(homeScope(resource));
    const manifest = manifests.get(home);
    if (!manifest) throw new Error(`${urlPath} belongs to scope "${home}", which the snapshot does not list`);
    manifest.add(urlPath, asset.head);
    versions.see(urlPath, home, asset.head);
    kept.assets.set(urlPath, asset);
  });
  /** Writes one of the other files unless the last run left it with these bytes (`hash`). */
  const writeOther = (relative: string, hash: string, write: (file: string) => number): number => {
    const file = path.join(root, relative);
    const before = previous?.others.get(relative);
    const same = before && before.hash === hash ? reuse(file, relative, before) : undefined;
    if (before && same) {
      kept.others.set(relative, { ...before, ...same });
      return same.size;
    }
    const stamp = writeFile(file, write, true);
    touched.add(folderOf(relative));
    kept.others.set(relative, { ...stamp, hash });
    written++;
    return stamp.size;
  };
  // The future is tried on the copy of the history: it records each version as the runtimes will when its instant comes.
  const changes: number[] = [];
  const newsOnly: number[] = [];
  let unrendered = snapshot.nextSiteChange;
  let last = snapshot;
  let ledger: Ledger | undefined;
  for (let next = future && nextAhead(snapshot, newsOnly.length); future && next; next = nextAhead(last, newsOnly.length)) {
    const { at } = next;
    if (!next.newsOnly && changes.length - newsOnly.length === MAX_SCHEDULED_VERSIONS) break;
    changes.push(at);
    // At an age-out nothing else changes, and there is nothing to record: the version before, its clock moved on.
    let version: SiteSnapshot;
    if (next.newsOnly) {
      newsOnly.push(at);
      version = last.at(at);
    } else {
      ledger ??= future.copyLedger();
      recordHistory(ledger, future.data, at);
      version = new SiteSnapshot(future.data, publicationOf(ledger, future.data, at));
    }
    last = version;
    unrendered = version.nextSiteChange;
    const rerendered = next.newsOnly ? [...crawlerResources(version)].filter(({ resource }) => resource.kind === 'news-sitemap') : [...allResources(version)];
    const changed = versions.next(version, next.newsOnly ? new Set(rerendered.map(({ path: urlPath }) => urlPath)) : undefined);
    for (const { path: urlPath, resource } of rerendered) {
      const asset = await assetOf(version, resource, entries);
      if (!versions.see(urlPath, scopeKey(homeScope(resource)), asset.head)) continue;
      bytes += writeOther(fileForPath(versionedAssetPath(at, urlPath)), asset.head.etag, asset.write);
    }
    for (const [key, { archives, resources }] of changed()) {
      let manifest = manifests.get(key);
      if (!manifest) manifests.set(key, (manifest = new ScopeManifestBuilder(key, undefined)));
      manifest.addChange(at, archives, resources);
    }
  }
  const writeText = (relative: string, text: string) => writeOther(relative, sha256Base64url(text), (file) => {
    writeFileSync(file, text);
    return Buffer.byteLength(text);
  });
  const manifestFiles = await Promise.all([...manifests.values()].map(async (manifest) => ({ file: await scopeManifestPath(manifest.scopeKey), manifest })));
  for (const { file, manifest } of manifestFiles) writeText(stripSlash(file), JSON.stringify(manifest));
  const site: SiteManifest = { basePath: basePathOf(snapshot.site.baseUrl), redirects: Object.fromEntries(snapshot.redirects), changes };
  if (newsOnly.length > 0) site.newsOnly = newsOnly;
  if (unrendered !== undefined) site.unrendered = unrendered;
  writeText(stripSlash(SITE_MANIFEST_PATH), JSON.stringify(site));
  // What the last run wrote that this one does not produce (the folder it leaves goes whole); what it produced again is not looked at.
  const filesOf = (record: KeptAssets) => [
    ...[...record.assets.keys()].filter((urlPath) => !kept.assets.has(urlPath)).map(fileForPath),
    ...[...record.others.keys()].filter((relative) => !kept.others.has(relative)),
  ];
  const others = [...kept.others.keys()];
  const produced = new Set([...files, ...others.map((file) => path.join(root, file))]);
  const folders = foldersOf([...relatives, ...others]);
  const deleted = inPlace
    ? removeUnproduced(root, { files: filesOf(old.kept), stamps: old.kept.stamps }, produced, folders, moved, touched)
    : previous
      ? filesOf(previous).filter((file) => !produced.has(path.join(root, file))).length
      : 0;
  const oversized = resources.flatMap(({ path: urlPath, resource }) => (resource.kind === 'media' && resource.file.size > MAX_ASSET_BYTES ? [{ path: urlPath, size: resource.file.size }] : []));
  return {
    representations: resources.length + versions.written,
    files: resources.length + versions.written + manifestFiles.length + 1,
    bytes,
    written,
    deleted,
    paths: new Set(resources.map((r) => r.path)),
    changes,
    oversized,
    kept,
    folders,
    touched,
  };
}

function stripSlash(file: string): string {
  return file.replace(/^\/+/, '');
}

/**
 * Writes a file (its folder made first when `makeFolder`) and returns its size and modification
 * time as written. A file already there is removed first: it may share its inode with another
 * name (a folder an earlier run filled by hard links), which must keep its bytes.
 */
function writeFile(file: string, write: (file: string) => number, makeFolder: boolean): WrittenFile {
  if (makeFolder) mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  const size = write(file);
  return { size, mtimeMs: statSync(file).mtimeMs };
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

/**
 * The next instant to render ahead after `version`: its next change, or once MAX_AGE_OUT_VERSIONS
 * age-outs of the news sitemap are rendered, its next change of anything else. Each version is
 * asked in turn, since one can bring changes of its own (a story that expires then leaves a
 * tombstone, whose age-out comes later).
 */
function nextAhead(version: SiteSnapshot, ageOutsRendered: number): { at: number; newsOnly: boolean } | undefined {
  const at = ageOutsRendered < MAX_AGE_OUT_VERSIONS ? version.nextChange : version.nextSiteChange;
  return at === undefined ? undefined : { at, newsOnly: version.newsOnly.has(at) };
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

  /** `only`: the paths rendered again for this version; every other one is as in the version before. */
  next(version: SiteSnapshot, only?: ReadonlySet<string>): () => Map<string, ScopeDiff> {
    if (!this.started) {
      this.started = true;
      this.current = this.seen;
    }
    this.seen = only ? new Map([...this.current].filter(([path]) => !only.has(path))) : new Map();
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
