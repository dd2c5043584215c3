/**
 * Scheduled and expiring articles: an article is published at its `date` and taken down at its
 * `expires`. Parsing knows nothing of the clock (content/ reads both keys); what is live is decided
 * here, for one "now", where a snapshot of the site is made. Instants are kept in whole seconds,
 * as the publish ledger and HTTP dates keep them.
 */
import type { ArticleData, Problem, SiteData } from '../content/model.js';
import { NEWS_WINDOW_MS } from '../feeds/sitemap.js';
import { formatUtc } from '../time/index.js';

/** An article's schedule, in epoch ms (whole seconds). */
export interface ArticleSchedule {
  publishAt: number;
  expiresAt?: number;
}

export type ScheduleState = 'live' | 'scheduled' | 'expired';

function wholeSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

export function scheduleOf(article: Pick<ArticleData, 'published' | 'expires'>): ArticleSchedule {
  const schedule: ArticleSchedule = { publishAt: wholeSeconds(article.published.epochMs) };
  if (article.expires) schedule.expiresAt = wholeSeconds(article.expires.epochMs);
  return schedule;
}

export function stateAt(schedule: ArticleSchedule, now: number): ScheduleState {
  if (schedule.expiresAt !== undefined && schedule.expiresAt <= now) return 'expired';
  return schedule.publishAt > now ? 'scheduled' : 'live';
}

/** Every instant after `now` at which an article is published or taken down, oldest first. */
export function pendingInstants(articles: readonly ArticleData[], now: number): number[] {
  const instants = new Set<number>();
  for (const article of articles) {
    const { publishAt, expiresAt } = scheduleOf(article);
    if (publishAt > now) instants.add(publishAt);
    if (expiresAt !== undefined && expiresAt > now) instants.add(expiresAt);
  }
  return [...instants].sort((a, b) => a - b);
}

/** When an article leaves the news sitemap: two days after its `date` (Google News lists no older article). */
export function newsAgeOut(article: Pick<ArticleData, 'published'>): number {
  return wholeSeconds(article.published.epochMs) + NEWS_WINDOW_MS;
}

/**
 * Every instant after `now` at which an article leaves the news sitemap, oldest first: articles
 * live or scheduled whose two days are not over, unless they expire first (their expiry is the change).
 */
export function newsAgeOuts(articles: readonly ArticleData[], now: number): number[] {
  const instants = new Set<number>();
  for (const article of articles) {
    const leaves = newsAgeOut(article);
    const { expiresAt } = scheduleOf(article);
    if (leaves > now && (expiresAt === undefined || expiresAt > leaves)) instants.add(leaves);
  }
  return [...instants].sort((a, b) => a - b);
}

/**
 * The site as readers see it at `now`: its live articles only. A live article's links to
 * translations that are not live are dropped (they would show a scheduled title before its time),
 * and its version changes with them, so that its entries are rendered again.
 */
export function liveSiteAt(data: SiteData, now: number): SiteData {
  const hidden = new Set<string>();
  const live: ArticleData[] = [];
  for (const article of data.articles) {
    if (stateAt(scheduleOf(article), now) === 'live') live.push(article);
    else hidden.add(article.link);
  }
  if (hidden.size === 0) return data;
  const articles = live.map((article) => {
    const translations = article.translations?.filter((t) => !hidden.has(t.url));
    if (!translations || translations.length === article.translations?.length) return article;
    const { translations: _all, ...rest } = article;
    // Distinct from every other version of the article: the links it keeps are part of it.
    const kept: ArticleData = { ...rest, version: `${article.version}~${translations.map((t) => t.language).join(',')}` };
    if (translations.length > 0) kept.translations = translations;
    return kept;
  });
  return { ...data, articles };
}

/** `check`'s information about articles not live at `now`, at the line of the key that says so. */
export function scheduleNotes(articles: readonly ArticleData[], now: number): Problem[] {
  const notes: Problem[] = [];
  for (const article of articles) {
    const schedule = scheduleOf(article);
    const state = stateAt(schedule, now);
    if (state === 'scheduled') {
      const until = schedule.expiresAt === undefined ? '' : `, until ${formatUtc(schedule.expiresAt)}`;
      notes.push({ file: article.source, line: article.lines.date, severity: 'info', message: `scheduled: published at ${formatUtc(schedule.publishAt)}${until}; left out until then` });
    } else if (state === 'expired' && schedule.expiresAt !== undefined) {
      notes.push({ file: article.source, line: article.lines.expires ?? article.lines.date, severity: 'info', message: `expired at ${formatUtc(schedule.expiresAt)}: left out` });
    }
  }
  return notes;
}
