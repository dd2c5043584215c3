/**
 * The Worker's static assets, as `feedgen worker-data` writes them and the Worker reads them: every
 * representation's bytes in a file at the path a static host serves it from, and under `/_feedgen/`
 * what HTTP needs to know of each (validators and the facts the header policy works from), one
 * manifest file per scope. The Worker reads only the scopes a request concerns, and a publish
 * rewrites only the manifests of the scopes it touches. No URL of a site starts with `/_` (the
 * loader skips such folders and files), so the manifest never collides with a page, and the Worker
 * never serves it: it serves only what a manifest lists.
 *
 * Scheduled articles: `worker-data` renders the site as of each scheduled instant to come (up to
 * MAX_SCHEDULED_VERSIONS) and keeps what differs under `/_feedgen/at/<instant>/`, each scope's
 * manifest listing its changes with the instant they apply `from`. The Worker serves, per request,
 * the newest version whose instant has passed, so nothing is served before its time and nothing
 * needs a redeploy to go out or be taken down.
 */
import type { Body, Representation, RepresentationHead, ResponseFacts } from '../publish/store.js';
import { servedFilePath } from '../urls/paths.js';

const MANIFEST_FOLDER = '/_feedgen';

/** What the Worker reads before it resolves any path. */
export const SITE_MANIFEST_PATH = `${MANIFEST_FOLDER}/site.json`;

export interface SiteManifest {
  /** The path part of the site's base URL, without trailing slash: "" or e.g. "/news". */
  basePath: string;
  /** Old page path of a moved article -> its page path now (site-relative), as the publish ledger records them. */
  redirects: Record<string, string>;
  /** The scheduled instants (epoch ms) rendered ahead, oldest first: the site changes at each. */
  changes: number[];
  /** Those of `changes` at which only the news sitemap changes (an article ages out of it): they bound no other response's max-age. */
  newsOnly?: number[];
  /** The first scheduled instant (not an age-out of the news sitemap) not rendered ahead: worker-data must run (a deploy) before it. */
  unrendered?: number;
}

/**
 * One resource: its strong ETag, its Last-Modified (epoch ms) if it has one, its index in `facts`,
 * and for a file served as it is its size, which the Worker answers HEAD and ranges from before it
 * reads any byte.
 */
export type ManifestEntry = [etag: string, lastModified: number | null, facts: number, size?: number];

/** What a manifest entry is made from: a representation's head, and a media file's size. */
export type AssetHead = RepresentationHead & { size?: number };

/** The resources whose home is one scope (site/resources.ts `homeScope`), and what lookup asks of it. */
export interface ScopeManifest {
  /** The scope's key, for whoever opens the file. */
  scope: string;
  /** Its number of RFC 5005 archive documents. */
  archives: number;
  /** Each distinct set of response facts once; entries refer to them by index. */
  facts: ResponseFacts[];
  /** Site-relative path (percent-encoded, as served) -> entry. */
  resources: Record<string, ManifestEntry>;
  /** false: the scope has no articles yet; it comes with one of its changes. */
  exists?: false;
  /** What changes at scheduled instants, oldest first. */
  changes?: ScopeChange[];
}

/** A scope from a scheduled instant on. */
export interface ScopeChange {
  /** Epoch ms: one of SiteManifest.changes. */
  from: number;
  exists: boolean;
  archives: number;
  /** Resources whose representation is new from then on (bytes at versionedAssetPath), and null for those gone. */
  resources: Record<string, ManifestEntry | null>;
}

/** Where the bytes of a representation that a scheduled change brings are kept. */
export function versionedAssetPath(from: number, path: string): string {
  return `${MANIFEST_FOLDER}/at/${from}${servedFilePath(path)}`;
}

/** The scope's changes that have come by version `at` (an instant of SiteManifest.changes; -Infinity: none), newest first. */
function changesBy(manifest: ScopeManifest, at: number): ScopeChange[] {
  return (manifest.changes ?? []).filter((change) => change.from <= at).reverse();
}

/** Whether the scope exists at version `at`, and its number of archives then; undefined when it does not exist. */
export function archivesAt(manifest: ScopeManifest, at: number): number | undefined {
  const latest = changesBy(manifest, at)[0];
  if (latest) return latest.exists ? latest.archives : undefined;
  return manifest.exists === false ? undefined : manifest.archives;
}

/** A resource at version `at`: its entry and where its bytes are; undefined when the scope has none then. */
export function entryAt(manifest: ScopeManifest, path: string, at: number): { entry: ManifestEntry; asset: string } | undefined {
  for (const change of changesBy(manifest, at)) {
    if (!Object.hasOwn(change.resources, path)) continue;
    const entry = change.resources[path];
    return entry ? { entry, asset: versionedAssetPath(change.from, path) } : undefined;
  }
  const entry = Object.hasOwn(manifest.resources, path) ? manifest.resources[path] : undefined;
  return entry ? { entry, asset: servedFilePath(path) } : undefined;
}

/** Where a scope's manifest lives: named by a hash of its key, so that no folder name needs encoding. */
export async function scopeManifestPath(scopeKey: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(scopeKey)));
  const hex = [...digest.subarray(0, 16)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${MANIFEST_FOLDER}/scopes/${hex}.json`;
}

/** Collects a scope's manifest from the representations the other runtimes serve. */
export class ScopeManifestBuilder {
  private readonly manifest: ScopeManifest;
  private readonly factsIndex = new Map<string, number>();

  /** `archives`: undefined when the scope does not exist (yet). */
  constructor(scopeKey: string, archives: number | undefined) {
    this.manifest = { scope: scopeKey, archives: archives ?? 0, facts: [], resources: {} };
    if (archives === undefined) this.manifest.exists = false;
  }

  get scopeKey(): string {
    return this.manifest.scope;
  }

  add(path: string, representation: AssetHead): void {
    this.manifest.resources[path] = this.entryOf(representation);
  }

  /** What changes at `from` (see ScopeChange); `archives` undefined: the scope is gone then. */
  addChange(from: number, archives: number | undefined, resources: ReadonlyMap<string, AssetHead | null>): void {
    const change: ScopeChange = { from, exists: archives !== undefined, archives: archives ?? 0, resources: {} };
    for (const [path, representation] of resources) change.resources[path] = representation && this.entryOf(representation);
    (this.manifest.changes ??= []).push(change);
  }

  private entryOf(representation: AssetHead): ManifestEntry {
    // Whatever is not a validator or a size is a fact the header policy decides from.
    const { etag, lastModified, size, ...facts } = representation;
    const key = JSON.stringify(facts);
    let index = this.factsIndex.get(key);
    if (index === undefined) {
      index = this.manifest.facts.push(facts) - 1;
      this.factsIndex.set(key, index);
    }
    return size === undefined ? [etag, lastModified ?? null, index] : [etag, lastModified ?? null, index, size];
  }

  toJSON(): ScopeManifest {
    return this.manifest;
  }
}

/** The facts an entry refers to. */
export function factsOf(manifest: ScopeManifest, entry: ManifestEntry): ResponseFacts {
  const facts = manifest.facts[entry[2]];
  if (!facts) throw new Error(`the manifest of scope "${manifest.scope}" has no facts #${entry[2]}`);
  return facts;
}

/** The representation an entry describes, with its bytes (read from its asset, or to be read as they are sent). */
export function representationOf(facts: ResponseFacts, [etag, lastModified]: ManifestEntry, body: Body): Representation {
  const representation: Representation = { ...facts, body, etag };
  if (lastModified !== null) representation.lastModified = lastModified;
  return representation;
}
