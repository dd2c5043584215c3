/**
 * Rendered resources with their validators, made once per content version and then served from
 * memory. The strong ETag is a hash of the exact bytes, so it is stable across restarts and equal
 * in every runtime that serves the same content. Media files are not rendered: their validators
 * come from what the loader learnt of them, and their bytes are read from where they lie when sent.
 */
import type { MediaFile } from '../content/model.js';
import { contentTag } from '../content/etag.js';
import { chunksToBytes } from '../feeds/chunks.js';
import { EntryCache } from '../feeds/entries.js';
import { servedContentType } from '../feeds/media-types.js';
import { lastModifiedOf } from '../site/modified.js';
import { lookup, type Resource } from '../site/resources.js';
import type { SiteSnapshot } from '../site/snapshot.js';
import { basePathOf } from '../urls/paths.js';
import { routeOf, type RouteError } from '../urls/routes.js';
import { prepareResource, type Rendered } from './render.js';

/** What the header policy (http/headers.ts) decides a response's headers from. */
export interface ResponseFacts {
  contentType: string;
  /** Seconds a cache may keep it without asking again. */
  maxAge: number;
  /** WebSub: the hub and the canonical self URL. */
  hub?: string;
  self?: string;
  /** Hosts whose iframes the site's pages may show (the Content-Security-Policy allows them). */
  embedHosts: readonly string[];
  /** Range requests are answered (RFC 9110 section 14): files served as they are. */
  byteRanges?: true;
  /** Epoch ms: max-age runs no further (Rendered.until), beside the site's next change. */
  until?: number;
}

/**
 * Bytes that are not held in memory (a file on disk, a Worker's asset), read as they are sent, in
 * the range asked for.
 */
export interface StreamedBody {
  readonly byteLength: number;
  /** Bytes `start` (inclusive) to `end` (exclusive); rejects when they cannot be read (the file is gone). */
  open(start: number, end: number): Promise<ReadableStream<Uint8Array>>;
}

export type Body = Uint8Array | StreamedBody;

export interface Representation extends ResponseFacts {
  body: Body;
  /** Strong, quoted: `"…"`. */
  etag: string;
  /** Epoch ms, whole seconds (HTTP dates have no finer resolution). */
  lastModified?: number;
}

/** A representation less its bytes: what its response's head is made of. */
export type RepresentationHead = Omit<Representation, 'body'>;

export function responseFacts(snapshot: SiteSnapshot, rendered: Rendered): ResponseFacts {
  const facts: ResponseFacts = { contentType: rendered.contentType, maxAge: rendered.maxAge ?? snapshot.site.cacheMaxAge, embedHosts: snapshot.site.embedHosts };
  if (rendered.hub) facts.hub = rendered.hub;
  if (rendered.self) facts.self = rendered.self;
  if (rendered.until !== undefined) facts.until = rendered.until;
  return facts;
}

export async function strongEtag(bytes: Uint8Array): Promise<string> {
  return etagOfDigest(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/** The strong ETag of bytes whose SHA-256 is `digest`: quoted base64url of its first 18 bytes (content/etag.ts). */
export function etagOfDigest(digest: Uint8Array): string {
  return `"${contentTag(digest)}"`;
}

/** Last-Modified comes with the rendering (site/modified.ts): the history dates it. */
export async function represent(snapshot: SiteSnapshot, rendered: Rendered): Promise<Representation & { body: Uint8Array }> {
  const body = chunksToBytes(rendered.chunks);
  const etag = await strongEtag(body);
  const representation: Representation & { body: Uint8Array } = { ...responseFacts(snapshot, rendered), body, etag };
  if (rendered.lastModified !== undefined) representation.lastModified = Math.floor(rendered.lastModified / 1000) * 1000;
  return representation;
}

/** A file served as it is, less its bytes: its facts and validators, from what the loader learnt of it (its hash is its ETag's). */
export function mediaHead(snapshot: SiteSnapshot, file: MediaFile): RepresentationHead {
  const { cacheMaxAge, embedHosts } = snapshot.site;
  const head: RepresentationHead = { contentType: servedContentType(file.type), maxAge: cacheMaxAge, embedHosts, byteRanges: true, etag: `"${file.hash}"` };
  const lastModified = lastModifiedOf(snapshot, { kind: 'media', file });
  if (lastModified !== undefined) head.lastModified = lastModified;
  return head;
}

/** Bytes a representation holds in memory. */
export function heldBytes(representation: Representation): number {
  return representation.body instanceof Uint8Array ? representation.body.byteLength : 0;
}

/**
 * What a site-relative request path names, ready to answer: the representation (made on demand),
 * a redirect (site-relative) or an error. Pure for one version of a site, so servers cache it.
 */
export type Resolution =
  | { kind: 'found'; representation: () => Representation | Promise<Representation> }
  | { kind: 'redirect'; location: string }
  | RouteError;

export interface StoreOptions {
  /** Bodies kept in memory at most (least recently used go first). */
  maxBytes?: number;
  /** The store of the site's previous version: feeds whose content key is unchanged are reused. */
  previous?: RepresentationStore;
  /** How this runtime reads a media file's bytes; without it, media files cannot be served. */
  openMedia?: (file: MediaFile) => Body;
}

/**
 * Bodies a server keeps by default; their compressed copies come on top (a fifth to a third of
 * them). A body that was let go is rendered again when asked for, a conditional request for it
 * too. Enough for every subscription document of a 10,000-article site (603 of them, 181 MiB), so
 * that pollers' 304s stay lookups. Measured on a crawl of every URL of a 100,000-article site: with
 * this budget an earlier version grew past 1.6 GiB resident in 18 minutes; with 64 MiB
 * (`serve --memory 64`) the whole crawl peaked at 940 MiB (from 859 MiB after start).
 */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * A representation a store holds, and when it was last used. Moving a hit to the end of a Map
 * (delete, then set) cost 1.7 µs with 600 entries held, measured: as much as the rest of a 304.
 */
interface HeldRepresentation {
  representation: Representation;
  used: number;
}

/** Articles whose feed entries a server keeps rendered: the ones on the pages aggregators poll. */
const SERVER_ENTRY_CAPACITY = 5000;

/**
 * Memoizes representations by path for one snapshot, up to `maxBytes` of bodies (least recently
 * used first out): a 100k-article site has far more feed pages than are ever hot.
 */
export class RepresentationStore {
  /** Each with the count of uses at its last use: a hit writes a number, never reorders the map. */
  private readonly ready = new Map<string, HeldRepresentation>();
  private uses = 0;
  private readonly pending = new Map<string, Promise<Representation>>();
  /** Feed representations by content key, and each path's key, for reuse by the next version. */
  private readonly byKey = new Map<string, Representation>();
  private readonly keyOfPath = new Map<string, string>();
  /** The previous version's feeds by key (the map only: holding its store would chain every version). */
  private readonly previousByKey: ReadonlyMap<string, Representation> | undefined;
  private readonly maxBytes: number;
  private readonly openMedia: StoreOptions['openMedia'];
  /** Shared with the next version: unchanged articles are the same objects there. */
  readonly entries: EntryCache;
  private bytes = 0;
  /** How many representations were rendered: a request for one already in memory renders nothing. */
  renders = 0;
  /** The path part of the site's base URL, without trailing slash: "" or e.g. "/news". */
  readonly basePath: string;

  constructor(
    readonly snapshot: SiteSnapshot,
    options: StoreOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.openMedia = options.openMedia;
    this.previousByKey = options.previous?.byKey;
    this.entries = options.previous?.entries ?? new EntryCache(SERVER_ENTRY_CAPACITY, 'own');
    this.basePath = basePathOf(snapshot.site.baseUrl);
  }

  /** See ServedSite.nextChange: an article aging out of the news sitemap bounds only the news sitemap's (its `until`). */
  get nextChange(): number | undefined {
    return this.snapshot.nextSiteChange;
  }

  /** The representations held in memory with their site paths, most recently used first. */
  held(): Array<[string, Representation]> {
    return [...this.ready].sort(([, a], [, b]) => b.used - a.used).map(([path, held]) => [path, held.representation]);
  }

  /** `sitePath`: raw (percent-encoded), relative to the base path. */
  resolve(sitePath: string): Resolution {
    const found = lookup(this.snapshot, routeOf(sitePath));
    if (found.kind !== 'found') return found;
    const { path, resource } = found;
    return { kind: 'found', representation: () => this.peek(path) ?? this.get(path, resource) };
  }

  /** The representation if it is already in memory (the hot path: no promise, no render). */
  peek(path: string): Representation | undefined {
    const held = this.ready.get(path);
    if (!held) return undefined;
    held.used = ++this.uses;
    return held.representation;
  }

  get(path: string, resource: Resource): Promise<Representation> {
    const ready = this.peek(path);
    if (ready) return Promise.resolve(ready);
    let pending = this.pending.get(path);
    if (!pending) {
      pending = this.make(path, resource).finally(() => this.pending.delete(path));
      this.pending.set(path, pending);
      void pending.then((representation) => this.keep(path, representation), () => undefined);
    }
    return pending;
  }

  private async make(path: string, resource: Resource): Promise<Representation> {
    if (resource.kind === 'media') {
      if (!this.openMedia) throw new Error(`${path}: this server cannot read media files`);
      return { ...mediaHead(this.snapshot, resource.file), body: this.openMedia(resource.file) };
    }
    const prepared = prepareResource(this.snapshot, resource, this.entries);
    if (prepared.key !== undefined) {
      // The same bytes at another path are another representation (another Last-Modified).
      const key = `${path}\n${prepared.key}`;
      this.keyOfPath.set(path, key);
      const reused = this.previousByKey?.get(key);
      if (reused) return reused;
    }
    this.renders++;
    return represent(this.snapshot, prepared.render());
  }

  private keep(path: string, representation: Representation): void {
    this.ready.set(path, { representation, used: ++this.uses });
    const key = this.keyOfPath.get(path);
    if (key) this.byKey.set(key, representation);
    this.bytes += heldBytes(representation);
    // Over budget: drop the least recently used until back under it (the newest always stays).
    // A scan for each: this follows a render, which costs far more.
    while (this.bytes > this.maxBytes) {
      const least = this.leastRecentlyUsed(path);
      if (!least) break;
      const [oldest, dropped] = least;
      this.bytes -= heldBytes(dropped.representation);
      this.ready.delete(oldest);
      const oldKey = this.keyOfPath.get(oldest);
      if (oldKey) this.byKey.delete(oldKey);
      this.keyOfPath.delete(oldest);
    }
  }

  private leastRecentlyUsed(except: string): [string, HeldRepresentation] | undefined {
    let oldest: [string, HeldRepresentation] | undefined;
    for (const entry of this.ready) if (entry[0] !== except && (!oldest || entry[1].used < oldest[1].used)) oldest = entry;
    return oldest;
  }
}
