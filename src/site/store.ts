/**
 * Rendered resources with their validators, made once per content version and then served from
 * memory. The strong ETag is a hash of the exact bytes, so it is stable across restarts and equal
 * in every runtime that serves the same content.
 */
import type { Resource } from './resources.js';
import { renderResource } from './render.js';
import type { SiteSnapshot } from './snapshot.js';

export interface Representation {
  body: Uint8Array;
  contentType: string;
  /** Strong, quoted: `"…"`. */
  etag: string;
  /** Epoch ms, whole seconds (HTTP dates have no finer resolution). */
  lastModified?: number;
  cacheControl: string;
  /** `Link` header values (WebSub hub and self). */
  links: string[];
}

const encoder = new TextEncoder();

export async function strongEtag(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let binary = '';
  for (const byte of digest.subarray(0, 18)) binary += String.fromCharCode(byte);
  return `"${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_')}"`;
}

export async function represent(snapshot: SiteSnapshot, resource: Resource): Promise<Representation> {
  const rendered = renderResource(snapshot, resource);
  const body = encoder.encode(rendered.body);
  const links: string[] = [];
  if (rendered.hub) links.push(`<${rendered.hub}>; rel="hub"`);
  if (rendered.hub && rendered.self) links.push(`<${rendered.self}>; rel="self"`);
  const representation: Representation = {
    body,
    contentType: rendered.contentType,
    etag: await strongEtag(body),
    cacheControl: `public, max-age=${snapshot.site.cacheMaxAge}`,
    links,
  };
  if (rendered.lastModified !== undefined) representation.lastModified = Math.floor(rendered.lastModified / 1000) * 1000;
  return representation;
}

/**
 * Memoizes representations by path for one snapshot, up to `maxBytes` of bodies (least recently
 * used first out): a 100k-article site has far more feed pages than are ever hot.
 */
export class RepresentationStore {
  private readonly ready = new Map<string, Representation>();
  private readonly pending = new Map<string, Promise<Representation>>();
  private readonly lastUse = new Map<string, number>();
  private clock = 0;
  private bytes = 0;
  /** How many representations were rendered: a request for one already in memory renders nothing. */
  renders = 0;
  /** The path part of the site's base URL, without trailing slash: "" or e.g. "/news". */
  readonly basePath: string;

  constructor(
    readonly snapshot: SiteSnapshot,
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {
    this.basePath = new URL(snapshot.site.baseUrl).pathname.replace(/\/$/, '');
  }

  /** The representation if it is already in memory (the hot path: no promise, no render). */
  peek(path: string): Representation | undefined {
    const representation = this.ready.get(path);
    if (representation) this.lastUse.set(path, ++this.clock);
    return representation;
  }

  get(path: string, resource: Resource): Promise<Representation> {
    const ready = this.peek(path);
    if (ready) return Promise.resolve(ready);
    let pending = this.pending.get(path);
    if (!pending) {
      this.renders++;
      pending = represent(this.snapshot, resource).finally(() => this.pending.delete(path));
      this.pending.set(path, pending);
      void pending.then((representation) => this.keep(path, representation), () => undefined);
    }
    return pending;
  }

  private keep(path: string, representation: Representation): void {
    this.ready.set(path, representation);
    this.lastUse.set(path, ++this.clock);
    this.bytes += representation.body.byteLength;
    if (this.bytes <= this.maxBytes) return;
    // Over budget: drop the least recently used until back under it (the newest always stays).
    const byAge = [...this.lastUse].sort((a, b) => a[1] - b[1]);
    for (const [oldest] of byAge) {
      if (this.bytes <= this.maxBytes || oldest === path) break;
      this.bytes -= this.ready.get(oldest)?.body.byteLength ?? 0;
      this.ready.delete(oldest);
      this.lastUse.delete(oldest);
    }
  }
}
