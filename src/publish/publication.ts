/**
 * The publish ledger meets the site: articles recorded as published (or deleted, or moved) at "now",
 * and the ledger read back as the snapshot's Publication. Both sides of the ledger (articles and
 * resources) are recorded by whoever publishes: build, serve and worker-data.
 */
import type { SiteData } from '../content/model.js';
import type { ArticleChanges, Ledger } from '../ledger/ledger.js';
import { allResources } from '../site/resources.js';
import { articleKey, type Publication, type SiteSnapshot } from '../site/snapshot.js';

/** The site path of an absolute URL on this site; undefined for URLs elsewhere. */
function sitePathOf(baseUrl: string, url: string): string | undefined {
  if (!url.startsWith(`${baseUrl}/`)) return undefined;
  return url.slice(baseUrl.length);
}

/** Records the live articles in the ledger at `now` and returns what changed. */
export function recordArticles(ledger: Ledger, data: SiteData, now: number): ArticleChanges {
  const live = data.articles.map((article) => ({ key: articleKey(article), id: article.id, url: article.url, contentHash: article.contentHash }));
  return ledger.recordArticles(live, now, (url) => sitePathOf(data.site.baseUrl, url));
}

export function publicationOf(ledger: Ledger, now: number): Publication {
  const publishedAt = new Map<string, number>();
  const departed: Publication['departed'][number][] = [];
  for (const record of ledger.articles.values()) {
    if (record.deleted === undefined) publishedAt.set(record.key, record.published);
    else departed.push({ key: record.key, id: record.id, published: record.published, deleted: record.deleted });
  }
  return { publishedAt, departed, redirects: ledger.redirects, now };
}

/** Where a representation's Last-Modified comes from: the instant its bytes first appeared. */
export interface ResourceClock {
  /** `path`: site-relative; `hash`: the representation's strong ETag, unquoted. */
  since(path: string, hash: string): number;
}

/** The ledger as a clock: new bytes are stamped `now()`, and `onNewBytes` hears of their path. */
export function ledgerClock(ledger: Ledger, now: () => number, onNewBytes: (path: string) => void): ResourceClock {
  return {
    since(path, hash) {
      const before = ledger.resources.get(path);
      const since = ledger.stampResource(path, hash, now());
      if (before?.hash !== hash) onNewBytes(path);
      return since;
    },
  };
}


/** WebSub topics among `changed` paths: the subscription documents (archives are no topics), as absolute URLs. */
export function changedTopics(snapshot: SiteSnapshot, changed: ReadonlySet<string>): string[] {
  const topics: string[] = [];
  if (changed.size === 0) return topics;
  for (const { path, resource } of allResources(snapshot)) {
    if (resource.kind === 'feed' && resource.archive === undefined && changed.has(path)) topics.push(`${snapshot.site.baseUrl}${path}`);
  }
  return topics;
}
