/**
 * While serving with --watch, an article that an edit makes invalid keeps its last good version
 * (readers keep seeing it) until it is fixed; its problems are still reported. A deleted article
 * is gone.
 */
import type { InvalidArticle } from './load.js';
import type { ArticleData, SiteData } from './model.js';

/** `invalid`: the files the load left out as invalid (LoadResult.invalid). */
export function keepLastGood(previous: SiteData | undefined, next: SiteData, invalid: readonly InvalidArticle[]): { data: SiteData; kept: ArticleData[] } {
  if (!previous) return { data: next, kept: [] };
  const broken = new Set(invalid.map((article) => article.source));
  const present = new Set(next.articles.map((a) => a.source));
  const ids = new Set(next.articles.map((a) => a.id));
  const kept = previous.articles.filter((a) => broken.has(a.source) && !present.has(a.source) && !ids.has(a.id));
  if (kept.length === 0) return { data: next, kept };
  return { data: { ...next, articles: [...next.articles, ...kept] }, kept };
}
