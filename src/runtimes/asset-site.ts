/**
 * The site as the Worker serves it: request paths resolved by the same `lookup` as every runtime,
 * over the manifest of the static assets `feedgen worker-data` wrote, and bodies read from those
 * assets. Nothing here depends on how many articles the site has: a request reads the site
 * manifest once per isolate, the manifests of the scopes it concerns, and one asset. Each request
 * sees the version of the site its instant falls in (scheduled changes, see asset-manifest.ts).
 */
import type { ServedSite } from '../http/app.js';
import type { Representation, Resolution, ResponseFacts, StreamedBody } from '../publish/store.js';
import { homeScope, lookup, type ArticleHandle, type MediaHandle, type ScopeHandle, type SiteDirectory } from '../site/resources.js';
import { NEWS_SITEMAP_FILE, SITE_SCOPE, articlePath, collectionPath, mediaPath, opmlPath, scopeKey, sitemapPath, type ScopeRef } from '../urls/paths.js';
import { routeOf, scopeAt } from '../urls/routes.js';
import {
  SITE_MANIFEST_PATH,
  archivesAt,
  entryAt,
  factsOf,
  representationOf,
  scopeManifestPath,
  type ManifestEntry,
  type ScopeManifest,
  type SiteManifest,
} from './asset-manifest.js';

/** The Workers Static Assets binding (`env.ASSETS`), or anything that answers the same way. */
export interface AssetFetcher {
  fetch(request: Request): Promise<Response>;
}

/** The binding ignores the host; a URL needs one. */
const ASSET_ORIGIN = 'https://assets.invalid';
/** Manifest text an isolate keeps parsed, by default at most (oldest scopes go first). */
const MANIFEST_BUDGET = 16 * 1024 * 1024;

export interface AssetSiteOptions {
  /** Bytes of manifest text kept parsed across requests. */
  manifestBudget?: number;
}

interface ManifestScope extends ScopeHandle {
  manifest: ScopeManifest;
  archives: number;
}

/** Manifests one resolution has seen (null: the scope does not exist), so that eviction cannot undo its progress. */
type Seen = Map<string, ScopeManifest | null>;

export class AssetSite implements ServedSite {
  private readonly manifests = new Map<string, { manifest: ScopeManifest | null; size: number }>();
  private readonly loading = new Map<string, Promise<ScopeManifest | null>>();
  private manifestBytes = 0;
  /** The site at each version and next change, made when first asked for (the app caches resolutions per version). */
  private readonly versions = new Map<string, ServedSite>();

  private constructor(
    private readonly assets: AssetFetcher,
    readonly basePath: string,
    private readonly redirects: ReadonlyMap<string, string>,
    private readonly manifestBudget: number,
    /** SiteManifest.changes, those of them at which only the news sitemap changes, and the first instant after them (unrendered). */
    private readonly changes: readonly number[],
    private readonly newsOnly: ReadonlySet<number>,
    private readonly unrendered: number | undefined,
  ) {}

  static async open(assets: AssetFetcher, options: AssetSiteOptions = {}): Promise<AssetSite> {
    const response = await assets.fetch(new Request(`${ASSET_ORIGIN}${SITE_MANIFEST_PATH}`));
    if (!response.ok) throw new Error(`the Worker's assets have no ${SITE_MANIFEST_PATH} (${response.status}): run feedgen worker-data`);
    const site = (await response.json()) as SiteManifest;
    return new AssetSite(assets, site.basePath, new Map(Object.entries(site.redirects)), options.manifestBudget ?? MANIFEST_BUDGET, site.changes ?? [], new Set(site.newsOnly), site.unrendered);
  }

  /** The site as of `now`: the newest version whose instant has passed, until the next one. */
  at(now: number): ServedSite {
    let index = 0;
    while (index < this.changes.length && (this.changes[index] as number) <= now) index++;
    // What bounds max-age is the next change of anything but the news sitemap (which bounds its
    // own, see Rendered.until). After the last change rendered ahead, the next one (if any) is
    // awaited until it has passed: this deployment cannot switch to it, and then max-age is capped no more.
    const unrendered = this.unrendered !== undefined && this.unrendered > now ? this.unrendered : undefined;
    const next = this.changes.slice(index).find((t) => !this.newsOnly.has(t)) ?? unrendered;
    const key = `${index} ${next ?? ''}`;
    let version = this.versions.get(key);
    if (!version) {
      const from = index === 0 ? Number.NEGATIVE_INFINITY : (this.changes[index - 1] as number);
      version = { basePath: this.basePath, nextChange: next, resolve: (sitePath) => this.resolve(sitePath, from) };
      this.versions.set(key, version);
    }
    return version;
  }

  /**
   * `lookup` is synchronous and asks for scopes one at a time: it runs over the manifests at hand,
   * and whatever it asked for that is not at hand is read before it runs again. `at`: the
   * version's instant (-Infinity: the first version).
   */
  async resolve(sitePath: string, at = Number.NEGATIVE_INFINITY): Promise<Resolution> {
    const route = routeOf(sitePath);
    const seen: Seen = new Map();
    for (;;) {
      const wanted = new Set<string>();
      const found = lookup(this.directory(seen, wanted, at), route);
      const home = found.kind === 'found' ? this.scopeManifest(scopeKey(homeScope(found.resource)), seen, wanted) : undefined;
      if (wanted.size > 0) {
        await Promise.all([...wanted].map(async (key) => seen.set(key, await this.load(key))));
        continue;
      }
      if (found.kind !== 'found') return found;
      const listed = home && entryAt(home, found.path, at);
      if (!home || !listed) throw new Error(`the Worker's asset manifest does not list ${found.path}: run feedgen worker-data again`);
      // What the resolution keeps (servers cache it) is small: not the scope's whole manifest.
      const facts = factsOf(home, listed.entry);
      return { kind: 'found', representation: () => this.representation(listed.asset, found.path, facts, listed.entry) };
    }
  }

  private directory(seen: Seen, wanted: Set<string>, at: number): SiteDirectory<ManifestScope, ArticleHandle, MediaHandle> {
    const listed = (key: string, path: string) => {
      const manifest = this.scopeManifest(key, seen, wanted);
      return manifest !== undefined && entryAt(manifest, path, at) !== undefined;
    };
    return {
      scope: (ref: ScopeRef) => {
        const manifest = this.scopeManifest(scopeKey(ref), seen, wanted);
        const archives = manifest && archivesAt(manifest, at);
        return manifest && archives !== undefined ? { ref, manifest, archives } : undefined;
      },
      archiveCount: (scope) => scope.archives,
      articlePage: (section, slug) => (listed(scopeKey(scopeAt(section)), articlePath(section, slug)) ? { section, slug } : undefined),
      // Listed in their home scope's manifest: the site's for media/, the article's section's for a page bundle.
      mediaFile: (path) => (listed(scopeKey(homeScope({ kind: 'media', file: { path } })), mediaPath(path)) ? { path } : undefined),
      // An OPML list is its scope's (the lists of tags and authors: the site's), as homeScope says.
      hasOpml: (ref) => listed(scopeKey(ref.kind === 'scope' ? ref.scope : SITE_SCOPE), opmlPath(ref)),
      hasCollection: (kind) => listed(scopeKey(SITE_SCOPE), collectionPath(kind)),
      // robots.txt and the sitemaps are the site's own, as homeScope says.
      hasSitemapPart: (part) => listed(scopeKey(SITE_SCOPE), sitemapPath(part)),
      hasNewsSitemap: () => listed(scopeKey(SITE_SCOPE), `/${NEWS_SITEMAP_FILE}`),
      redirects: this.redirects,
    };
  }

  /** The manifest if it is at hand; otherwise undefined, and the scope is noted as wanted. */
  private scopeManifest(key: string, seen: Seen, wanted: Set<string>): ScopeManifest | undefined {
    if (!seen.has(key)) {
      const cached = this.manifests.get(key);
      if (!cached) {
        wanted.add(key);
        return undefined;
      }
      seen.set(key, cached.manifest);
    }
    return seen.get(key) ?? undefined;
  }

  /** null: no such scope. Concurrent requests for one scope share one read. */
  private load(key: string): Promise<ScopeManifest | null> {
    const cached = this.manifests.get(key);
    if (cached) return Promise.resolve(cached.manifest);
    let loading = this.loading.get(key);
    if (!loading) {
      loading = this.read(key).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  private async read(key: string): Promise<ScopeManifest | null> {
    const response = await this.assets.fetch(new Request(`${ASSET_ORIGIN}${await scopeManifestPath(key)}`));
    if (response.status === 404) {
      await response.body?.cancel();
      // Counted too: a flood of paths naming no scope must not grow memory.
      this.keep(key, null, key.length + 64);
      return null;
    }
    if (!response.ok) throw new Error(`reading the manifest of scope "${key}" failed: ${response.status}`);
    const text = await response.text();
    const manifest = JSON.parse(text) as ScopeManifest;
    this.keep(key, manifest, text.length);
    return manifest;
  }

  private keep(key: string, manifest: ScopeManifest | null, size: number): void {
    this.manifests.set(key, { manifest, size });
    this.manifestBytes += size;
    for (const [oldest, { size: oldSize }] of this.manifests) {
      if (this.manifestBytes <= this.manifestBudget || oldest === key) break;
      this.manifests.delete(oldest);
      this.manifestBytes -= oldSize;
    }
  }

  private async representation(asset: string, path: string, facts: ResponseFacts, entry: ManifestEntry): Promise<Representation> {
    // A file served as it is: read as it is sent, in the range asked for.
    const size = entry[3];
    if (size !== undefined) return representationOf(facts, entry, new AssetBody(this.assets, asset, path, size));
    const response = await this.assets.fetch(new Request(`${ASSET_ORIGIN}${asset}`));
    if (!response.ok) throw new Error(missingAsset(path, response.status));
    return representationOf(facts, entry, new Uint8Array(await response.arrayBuffer()));
  }
}

function missingAsset(path: string, status: number): string {
  return `the Worker's asset for ${path} is missing (${status}): run feedgen worker-data again`;
}

/**
 * An asset streamed as it is sent. Workers Static Assets answers a `Range` with the whole file
 * (checked in workerd: tests/worker), so a range is cut from the stream here.
 */
class AssetBody implements StreamedBody {
  constructor(
    private readonly assets: AssetFetcher,
    private readonly asset: string,
    private readonly path: string,
    readonly byteLength: number,
  ) {}

  async open(start: number, end: number): Promise<ReadableStream<Uint8Array>> {
    const response = await this.assets.fetch(new Request(`${ASSET_ORIGIN}${this.asset}`));
    if (!response.ok || !response.body) throw new Error(missingAsset(this.path, response.status));
    return start === 0 && end === this.byteLength ? response.body : bytesOf(response.body, start, end);
  }
}

/** workerd's stream of a stated length: a response whose body is one keeps its Content-Length (else it is sent chunked). */
type FixedLengthStreamClass = new (length: number) => TransformStream<Uint8Array, Uint8Array>;

/** Bytes `start` to `end` of a stream, as a stream of that length; what lies after them is not read. */
function bytesOf(stream: ReadableStream<Uint8Array>, start: number, end: number): ReadableStream<Uint8Array> {
  const part = slice(stream, start, end);
  const Fixed = (globalThis as { FixedLengthStream?: FixedLengthStreamClass }).FixedLengthStream;
  if (!Fixed) return part;
  const fixed = new Fixed(end - start);
  // A failure shows in the response's stream, which ends short of its length.
  part.pipeTo(fixed.writable).catch(() => undefined);
  return fixed.readable;
}

function slice(stream: ReadableStream<Uint8Array>, start: number, end: number): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  let position = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          controller.error(new Error('the asset is shorter than its manifest says'));
          return;
        }
        const from = position;
        position += value.byteLength;
        if (position <= start) continue;
        controller.enqueue(value.subarray(Math.max(0, start - from), Math.min(value.byteLength, end - from)));
        if (position >= end) {
          controller.close();
          await reader.cancel();
        }
        return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
