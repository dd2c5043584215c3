/**
 * The publish ledger meets the site: articles recorded as published (or deleted, or moved) at "now",
 * and the ledger read back as the snapshot's Publication. Both sides of the ledger (articles and
 * resources) are recorded by whoever publishes: build, serve and worker-data.
 */
import type { SiteData } from '../content/model.js';
import type { ArticleChanges, Ledger, PublishedArticle } from '../ledger/ledger.js';
import { allResources } from '../site/resources.js';
import { scheduleOf, stateAt } from '../site/schedule.js';
import { articleKey, type Publication, type SiteSnapshot } from '../site/snapshot.js';

/** The site path of an absolute URL on this site; undefined for URLs elsewhere. */
function sitePathOf(baseUrl: string, url: string): string | undefined {
  if (!url.startsWith(`${baseUrl}/`)) return undefined;
  return url.slice(baseUrl.length);
}

/**
 * Records the articles in the ledger at `now` and returns what changed: the live ones as
 * published, the scheduled ones at their instant to come, the expired ones as deleted at expiry.
 */
export function recordArticles(ledger: Ledger, data: SiteData, now: number): ArticleChanges {
  const live: PublishedArticle[] = [];
  const scheduled: Array<PublishedArticle & { at: number }> = [];
  const expired: Array<{ key: string; at: number }> = [];
  for (const article of data.articles) {
    const record = { key: articleKey(article), id: article.id, url: article.url, contentHash: article.contentHash };
    const schedule = scheduleOf(article);
    const state = stateAt(schedule, now);
    if (state === 'live') live.push(record);
    else if (state === 'scheduled') scheduled.push({ ...record, at: schedule.publishAt });
    else expired.push({ key: record.key, at: schedule.expiresAt ?? now });
  }
  return ledger.recordArticles(live, now, (url) => sitePathOf(data.site.baseUrl, url), { scheduled, expired });
}

/**
 * The ledger as the snapshot at `now` sees it (after recordArticles). New bytes of this version
 * are dated `stampAt`: now, unless articles went out or were taken down on schedule since any
 * run last served new bytes; then the latest such instant, which is when a runtime switching on
 * time (the Node server, the Worker) showed them. So every runtime dates them alike, however late
 * it runs.
 */
export function publicationOf(ledger: Ledger, now: number, data?: SiteData): Publication {
  const publishedAt = new Map<string, number>();
  const departed: Publication['departed'][number][] = [];
  for (const record of ledger.articles.values()) {
    if (record.deleted === undefined) publishedAt.set(record.key, record.published);
    else departed.push({ key: record.key, id: record.id, published: record.published, deleted: record.deleted });
  }
  const lastStamp = ledger.lastStamp() ?? Number.NEGATIVE_INFINITY;
  let stampAt: number | undefined;
  for (const article of data?.articles ?? []) {
    const record = ledger.articles.get(articleKey(article));
    if (!record) continue;
    const { expiresAt } = scheduleOf(article);
    const onSchedule = record.deleted === undefined ? (record.scheduled ? record.published : undefined) : record.deleted === expiresAt ? expiresAt : undefined;
    if (onSchedule !== undefined && onSchedule > lastStamp && onSchedule <= now && (stampAt === undefined || onSchedule > stampAt)) stampAt = onSchedule;
  }
  return { publishedAt, departed, redirects: ledger.redirects, now, stampAt: stampAt ?? now };
}

/** Where a representation's Last-Modified comes from: the instant its bytes first appeared. */
export interface ResourceClock {
  /** `path`: site-relative; `hash`: the representation's strong ETag, unquoted; `at`: when new bytes appear (SiteSnapshot.stampAt). */
  since(path: string, hash: string, at: number): number;
}

/** The ledger as a clock: new bytes are stamped at the snapshot's instant, and `onNewBytes` hears of their path. */
export function ledgerClock(ledger: Ledger, onNewBytes: (path: string) => void): ResourceClock {
  return {
    since(path, hash, at) {
      const before = ledger.resources.get(path);
      const since = ledger.stampResource(path, hash, at);
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
