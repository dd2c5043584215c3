/**
 * A site published ahead of time for a runtime that cannot read the ledger (the Worker): the data,
 * its publication history and the instant each resource's bytes first appeared, as plain JSON.
 */
import type { SiteData } from '../content/model.js';
import type { Ledger } from '../ledger/ledger.js';
import { SiteSnapshot, type Publication } from '../site/snapshot.js';
import type { ResourceClock } from './publication.js';
import { RepresentationStore } from './store.js';

export interface PreparedSite {
  data: SiteData;
  publication: {
    publishedAt: Array<[key: string, epochMs: number]>;
    departed: Publication['departed'];
    redirects: Array<[from: string, to: string]>;
    now: number;
  };
  /** Every resource's path, the instant its bytes first appeared, and their hash. */
  stamps: Array<[path: string, since: number, hash: string]>;
}

export function prepareSite(data: SiteData, publication: Publication, ledger: Ledger): PreparedSite {
  return {
    data,
    publication: {
      publishedAt: [...publication.publishedAt],
      departed: publication.departed,
      redirects: [...publication.redirects],
      now: publication.now,
    },
    stamps: [...ledger.resources.values()].map((r) => [r.path, r.since, r.hash]),
  };
}

/** The store of a prepared site: Last-Modified as recorded; bytes it does not know date from the preparation. */
export function publishPrepared(prepared: PreparedSite): RepresentationStore {
  const { publication } = prepared;
  const stamps = new Map(prepared.stamps.map(([path, since, hash]) => [path, { since, hash }]));
  const clock: ResourceClock = { since: (path, hash) => (stamps.get(path)?.hash === hash ? (stamps.get(path)?.since ?? publication.now) : publication.now) };
  const snapshot = new SiteSnapshot(prepared.data, {
    publishedAt: new Map(publication.publishedAt),
    departed: publication.departed,
    redirects: new Map(publication.redirects),
    now: publication.now,
  });
  return new RepresentationStore(snapshot, { clock });
}
