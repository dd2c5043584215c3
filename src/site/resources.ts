/**
 * Every URL of a site as a resource: what a route names on this site (or where it redirects, or why
 * it names nothing), and the full list of them for the static build.
 */
import type { ArticleData } from '../content/model.js';
import { FEED_FORMATS, type FeedFormat } from '../feeds/formats.js';
import { FEED_STYLESHEET_FILE, OPML_FILE, PAGE_STYLESHEET_FILE, SITE_SCOPE, articlePath, feedPath, pagedFeedPath, scopeKey, scopePath, type ScopeRef } from '../urls/paths.js';
import { scopeAt, type Route, type RouteError } from '../urls/routes.js';
import type { Scope, SiteSnapshot } from './snapshot.js';

export type StylesheetName = typeof FEED_STYLESHEET_FILE | typeof PAGE_STYLESHEET_FILE;

/** What a resource needs of a scope and of an article to have a path. */
export interface ScopeHandle {
  ref: ScopeRef;
}
export interface ArticleHandle {
  section: readonly string[];
  slug: string;
}

export type Resource<S extends ScopeHandle = Scope, A extends ArticleHandle = ArticleData> =
  | { kind: 'index' }
  | { kind: 'opml' }
  | { kind: 'stylesheet'; name: StylesheetName }
  | { kind: 'feed'; scope: S; format: FeedFormat; page: number }
  | { kind: 'scope-page'; scope: S }
  | { kind: 'article'; article: A };

export type Lookup<S extends ScopeHandle = Scope, A extends ArticleHandle = ArticleData> =
  | { kind: 'found'; path: string; resource: Resource<S, A> }
  | { kind: 'redirect'; location: string }
  | RouteError;

/**
 * What `lookup` asks of a site: which scopes it has, how many pages each, and which article has a
 * page where. A SiteSnapshot answers from its articles; the Worker from its static assets' manifest.
 */
export interface SiteDirectory<S extends ScopeHandle, A extends ArticleHandle> {
  scope(ref: ScopeRef): S | undefined;
  pageCount(scope: S): number;
  /** The article whose HTML page is at this section and slug; none when the site has no article pages. */
  articlePage(section: readonly string[], slug: string): A | undefined;
}

function notFound(reason: string): RouteError {
  return { kind: 'error', status: 404, reason };
}

/** What a route names on this site. */
export function lookup<S extends ScopeHandle, A extends ArticleHandle>(site: SiteDirectory<S, A>, route: Route): Lookup<S, A> {
  switch (route.kind) {
    case 'error':
    case 'redirect':
      return route;
    case 'index':
      return { kind: 'found', path: '/', resource: { kind: 'index' } };
    case 'file':
      return {
        kind: 'found',
        path: `/${route.name}`,
        resource: route.name === OPML_FILE ? { kind: 'opml' } : { kind: 'stylesheet', name: route.name },
      };
    case 'feed': {
      const scope = site.scope(route.scope);
      if (!scope) return notFound(`no section "${scopeKey(route.scope)}"`);
      const pages = site.pageCount(scope);
      if (route.page > pages) return notFound(`page ${route.page} is beyond the last page (${pages})`);
      return { kind: 'found', path: feedPath(scope.ref, route.format, route.page), resource: { kind: 'feed', scope, format: route.format, page: route.page } };
    }
    case 'page': {
      const { segments } = route;
      const scope = site.scope(scopeAt(segments));
      const article = scope ? undefined : site.articlePage(segments.slice(0, -1), segments[segments.length - 1] as string);
      const found: Lookup<S, A> | undefined = scope
        ? { kind: 'found', path: scopePath(scope.ref), resource: { kind: 'scope-page', scope } }
        : article
          ? { kind: 'found', path: articlePath(article.section, article.slug), resource: { kind: 'article', article } }
          : undefined;
      if (!found) return notFound('no such page or feed');
      return route.trailingSlash ? found : { kind: 'redirect', location: found.path };
    }
  }
}

/** The scope a resource belongs to: a feed's or a page's own scope, an article's section, else the site. */
export function homeScope(resource: Resource<ScopeHandle, ArticleHandle>): ScopeRef {
  switch (resource.kind) {
    case 'feed':
    case 'scope-page':
      return resource.scope.ref;
    case 'article':
      return scopeAt(resource.article.section);
    default:
      return SITE_SCOPE;
  }
}

/** Every resource of the site with its path: the static build writes exactly these. */
export function* allResources(snapshot: SiteSnapshot): Generator<{ path: string; resource: Resource }> {
  yield { path: '/', resource: { kind: 'index' } };
  yield { path: `/${OPML_FILE}`, resource: { kind: 'opml' } };
  yield { path: `/${FEED_STYLESHEET_FILE}`, resource: { kind: 'stylesheet', name: FEED_STYLESHEET_FILE } };
  yield { path: `/${PAGE_STYLESHEET_FILE}`, resource: { kind: 'stylesheet', name: PAGE_STYLESHEET_FILE } };
  for (const scope of snapshot.allScopes()) {
    if (scope !== snapshot.root) yield { path: scopePath(scope.ref), resource: { kind: 'scope-page', scope } };
    const pages = snapshot.pageCount(scope);
    for (const format of FEED_FORMATS) {
      for (let page = 1; page <= pages; page++) {
        yield { path: feedPath(scope.ref, format, page), resource: { kind: 'feed', scope, format, page } };
      }
    }
  }
  if (!snapshot.site.articlePages) return;
  for (const article of snapshot.allArticles()) {
    yield { path: articlePath(article.section, article.slug), resource: { kind: 'article', article } };
  }
}

/** Every page-1 feed path with its `/page/1/` alias, which redirects to it. */
export function* firstPageAliases(snapshot: SiteSnapshot): Generator<{ alias: string; path: string }> {
  for (const scope of snapshot.allScopes()) {
    for (const format of FEED_FORMATS) {
      yield { alias: pagedFeedPath(scope.ref, format, 1), path: feedPath(scope.ref, format) };
    }
  }
}
