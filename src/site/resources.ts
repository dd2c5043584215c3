/**
 * Every URL of a site as a resource: what a request path names (or where it redirects, or why it
 * names nothing), and the full list of them for the static build.
 */
import type { ArticleData } from '../content/model.js';
import type { FeedScope, SiteSnapshot } from './snapshot.js';
import {
  FEED_FORMATS,
  FEED_STYLESHEET_FILE,
  OPML_FILE,
  PAGE_SEGMENT,
  PAGE_STYLESHEET_FILE,
  articlePath,
  feedPath,
  formatOfFile,
  sectionKey,
  sectionPath,
  type FeedFormat,
} from './urls.js';

export type StylesheetName = typeof FEED_STYLESHEET_FILE | typeof PAGE_STYLESHEET_FILE;

export type Resource =
  | { kind: 'index' }
  | { kind: 'opml' }
  | { kind: 'stylesheet'; name: StylesheetName }
  | { kind: 'feed'; scope: FeedScope; format: FeedFormat; page: number }
  | { kind: 'section'; scope: FeedScope }
  | { kind: 'article'; article: ArticleData };

export type Lookup =
  | { kind: 'found'; path: string; resource: Resource }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found'; reason: string };

const PAGE_NUMBER = /^[1-9][0-9]{0,8}$/;

/** `segments` are decoded path segments; `trailingSlash` whether the path ended in "/". */
export function lookup(snapshot: SiteSnapshot, segments: string[], trailingSlash: boolean): Lookup {
  const found = (path: string, resource: Resource): Lookup => ({ kind: 'found', path, resource });
  if (segments.length === 0) return found('/', { kind: 'index' });
  const last = segments[segments.length - 1] as string;

  if (!trailingSlash) {
    if (segments.length === 1 && last === OPML_FILE) return found(`/${OPML_FILE}`, { kind: 'opml' });
    if (segments.length === 1 && (last === FEED_STYLESHEET_FILE || last === PAGE_STYLESHEET_FILE)) {
      return found(`/${last}`, { kind: 'stylesheet', name: last });
    }
    const format = formatOfFile(last);
    if (format) return lookupFeed(snapshot, segments.slice(0, -1), format);
  }

  const scope = snapshot.scope(sectionKey(segments));
  const article = scope ? undefined : snapshot.article(segments.slice(0, -1), last);
  const path = scope ? sectionPath(scope.section) : article ? articlePath(article.section, article.slug) : undefined;
  if (path === undefined) return { kind: 'not-found', reason: 'no such page or feed' };
  if (!trailingSlash) return { kind: 'redirect', location: path };
  return scope ? found(path, { kind: 'section', scope }) : found(path, { kind: 'article', article: article as ArticleData });
}

function lookupFeed(snapshot: SiteSnapshot, before: string[], format: FeedFormat): Lookup {
  let section = before;
  let page = 1;
  const pageIndex = before.length - 2;
  if (before.length >= 2 && before[pageIndex] === PAGE_SEGMENT) {
    section = before.slice(0, pageIndex);
    const number = before[pageIndex + 1] as string;
    if (!PAGE_NUMBER.test(number)) return { kind: 'not-found', reason: `page "${number}" is not a page number (2, 3, ...)` };
    page = Number(number);
    if (page === 1) return { kind: 'redirect', location: feedPath(section, format) };
  }
  const scope = snapshot.scope(sectionKey(section));
  if (!scope) return { kind: 'not-found', reason: `no section "${sectionKey(section)}"` };
  const pages = snapshot.pageCount(scope);
  if (page > pages) return { kind: 'not-found', reason: `page ${page} is beyond the last page (${pages})` };
  return { kind: 'found', path: feedPath(scope.section, format, page), resource: { kind: 'feed', scope, format, page } };
}

/** Every resource of the site with its path: the static build writes exactly these. */
export function* allResources(snapshot: SiteSnapshot): Generator<{ path: string; resource: Resource }> {
  yield { path: '/', resource: { kind: 'index' } };
  yield { path: `/${OPML_FILE}`, resource: { kind: 'opml' } };
  yield { path: `/${FEED_STYLESHEET_FILE}`, resource: { kind: 'stylesheet', name: FEED_STYLESHEET_FILE } };
  yield { path: `/${PAGE_STYLESHEET_FILE}`, resource: { kind: 'stylesheet', name: PAGE_STYLESHEET_FILE } };
  for (const scope of snapshot.allScopes()) {
    if (scope.section.length > 0) yield { path: sectionPath(scope.section), resource: { kind: 'section', scope } };
    const pages = snapshot.pageCount(scope);
    for (const format of FEED_FORMATS) {
      for (let page = 1; page <= pages; page++) {
        yield { path: feedPath(scope.section, format, page), resource: { kind: 'feed', scope, format, page } };
      }
    }
  }
  for (const article of snapshot.allArticles()) {
    yield { path: articlePath(article.section, article.slug), resource: { kind: 'article', article } };
  }
}
