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
  /** Content-coded variants, filled in by whichever runtime compresses. */
  encoded: Map<string, Uint8Array>;
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
    encoded: new Map(),
  };
  if (rendered.lastModified !== undefined) representation.lastModified = Math.floor(rendered.lastModified / 1000) * 1000;
  return representation;
}

/**
 * Memoizes representations by path for one snapshot, up to `maxBytes` of bodies (least recently
 * used first out): a 100k-article site has far more feed pages than are ever hot.
 */
export class RepresentationStore {
  private readonly entries = new Map<string, Promise<Representation>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;
  /** How many representations were rendered: a request for one already in memory renders nothing. */
  renders = 0;

  constructor(
    readonly snapshot: SiteSnapshot,
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  get(path: string, resource: Resource): Promise<Representation> {
    const cached = this.entries.get(path);
    if (cached) {
      this.entries.delete(path);
      this.entries.set(path, cached);
      return cached;
    }
    this.renders++;
    const pending = represent(this.snapshot, resource);
    this.entries.set(path, pending);
    void pending.then(
      (representation) => this.account(path, representation),
      () => this.entries.delete(path),
    );
    return pending;
  }

  private account(path: string, representation: Representation): void {
    const size = representation.body.byteLength;
    this.sizes.set(path, size);
    this.bytes += size;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes || oldest === path) break;
      this.entries.delete(oldest);
      this.bytes -= this.sizes.get(oldest) ?? 0;
      this.sizes.delete(oldest);
    }
  }
}
