/**
 * The Worker's static assets, as `feedgen worker-data` writes them and the Worker reads them: every
 * representation's bytes in a file at the path a static host serves it from, and under `/_feedgen/`
 * what HTTP needs to know of each (validators and the facts the header policy works from), one
 * manifest file per scope. The Worker reads only the scopes a request concerns, and a publish
 * rewrites only the manifests of the scopes it touches. No URL of a site starts with `/_` (the
 * loader skips such folders and files), so the manifest never collides with a page, and the Worker
 * never serves it: it serves only what a manifest lists.
 */
import type { Representation, ResponseFacts } from '../publish/store.js';

const MANIFEST_FOLDER = '/_feedgen';

/** What the Worker reads before it resolves any path. */
export const SITE_MANIFEST_PATH = `${MANIFEST_FOLDER}/site.json`;

export interface SiteManifest {
  /** The path part of the site's base URL, without trailing slash: "" or e.g. "/news". */
  basePath: string;
  /** Old page path of a moved article -> its page path now (site-relative), as the publish ledger records them. */
  redirects: Record<string, string>;
}

/** One resource: its strong ETag, its Last-Modified (epoch ms) if it has one, and its index in `facts`. */
export type ManifestEntry = [etag: string, lastModified: number | null, facts: number];

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

  constructor(scopeKey: string, archives: number) {
    this.manifest = { scope: scopeKey, archives, facts: [], resources: {} };
  }

  get scopeKey(): string {
    return this.manifest.scope;
  }

  add(path: string, representation: Representation): void {
    // Whatever is neither the bytes nor a validator is a fact the header policy decides from.
    const { body: _body, etag, lastModified, ...facts } = representation;
    const key = JSON.stringify(facts);
    let index = this.factsIndex.get(key);
    if (index === undefined) {
      index = this.manifest.facts.push(facts) - 1;
      this.factsIndex.set(key, index);
    }
    this.manifest.resources[path] = [etag, lastModified ?? null, index];
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

/** The representation an entry describes, with the bytes read from its asset. */
export function representationOf(facts: ResponseFacts, [etag, lastModified]: ManifestEntry, body: Uint8Array): Representation {
  const representation: Representation = { ...facts, body, etag };
  if (lastModified !== null) representation.lastModified = lastModified;
  return representation;
}
