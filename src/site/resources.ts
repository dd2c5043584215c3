/**
 * Every URL of a site as a resource: what a route names on this site (or where it redirects, or why
 * it names nothing), and the full list of them for the static build.
 */
import type { ArticleData } from '../content/model.js';
import { FEED_FORMATS, type FeedFormat } from '../feeds/formats.js';
import {
  COLLECTED_KINDS,
  FEED_STYLESHEET_FILE,
  PAGE_STYLESHEET_FILE,
  articlePath,
  collectionPath,
  feedPath,
  opmlPath,
  pagedFeedPath,
  scopeKey,
  scopePath,
  type CollectedKind,
  type OpmlRef,
} from '../urls/paths.js';
import { scopeAt, type Route, type RouteError } from '../urls/routes.js';
import type { Scope, SiteSnapshot } from './snapshot.js';

export type StylesheetName = typeof FEED_STYLESHEET_FILE | typeof PAGE_STYLESHEET_FILE;

export type Resource =
  | { kind: 'index' }
  /** An OPML list of the feeds of `scopes`. */
  | { kind: 'opml'; title: string; scopes: readonly Scope[] }
  | { kind: 'stylesheet'; name: StylesheetName }
  | { kind: 'feed'; scope: Scope; format: FeedFormat; page: number }
  | { kind: 'scope-page'; scope: Scope }
  /** `/tags/`: every scope of a collected kind. */
  | { kind: 'collection-page'; collection: CollectedKind; scopes: readonly Scope[] }
  | { kind: 'article'; article: ArticleData };

export type Lookup =
  | { kind: 'found'; path: string; resource: Resource }
  | { kind: 'redirect'; location: string }
  | RouteError;

function notFound(reason: string): RouteError {
  return { kind: 'error', status: 404, reason };
}

/** What a route names on this site. */
export function lookup(snapshot: SiteSnapshot, route: Route): Lookup {
  switch (route.kind) {
    case 'error':
    case 'redirect':
      return route;
    case 'index':
      return { kind: 'found', path: '/', resource: { kind: 'index' } };
    case 'file':
      return { kind: 'found', path: `/${route.name}`, resource: { kind: 'stylesheet', name: route.name } };
    case 'opml': {
      const found = opmlOf(snapshot, route.of);
      return found ? { kind: 'found', ...found } : notFound('no OPML list here');
    }
    case 'feed': {
      const scope = snapshot.scope(route.scope);
      if (!scope) return notFound(`no ${route.scope.kind === 'site' ? 'site' : route.scope.kind} "${scopeKey(route.scope)}"`);
      const pages = snapshot.pageCount(scope);
      if (route.page > pages) return notFound(`page ${route.page} is beyond the last page (${pages})`);
      return { kind: 'found', path: feedPath(scope.ref, route.format, route.page), resource: { kind: 'feed', scope, format: route.format, page: route.page } };
    }
    case 'collection': {
      const scopes = snapshot.collection(route.collection);
      if (scopes.length === 0) return notFound(`this site has no ${route.collection} feeds`);
      const path = collectionPath(route.collection);
      return route.trailingSlash ? { kind: 'found', path, resource: { kind: 'collection-page', collection: route.collection, scopes } } : { kind: 'redirect', location: path };
    }
    case 'page': {
      const { segments } = route;
      const scope = snapshot.scope(scopeAt(segments));
      const article = scope ? undefined : snapshot.article(segments.slice(0, -1), segments[segments.length - 1] as string);
      const found: Lookup | undefined = scope
        ? { kind: 'found', path: scopePath(scope.ref), resource: { kind: 'scope-page', scope } }
        : article
          ? { kind: 'found', path: articlePath(article.section, article.slug), resource: { kind: 'article', article } }
          : undefined;
      if (!found) return notFound('no such page or feed');
      return route.trailingSlash ? found : { kind: 'redirect', location: found.path };
    }
  }
}

/** The OPML list a reference names, if the site has it: the site's, an edition's, a collection's. */
function opmlOf(snapshot: SiteSnapshot, ref: OpmlRef): { path: string; resource: Resource } | undefined {
  if (ref.kind === 'collection') {
    const scopes = snapshot.collection(ref.collection);
    if (scopes.length === 0) return undefined;
    return { path: opmlPath(ref), resource: { kind: 'opml', title: `${snapshot.site.title}: all ${ref.collection} feeds`, scopes } };
  }
  const scope = snapshot.scope(ref.scope);
  if (!scope?.opml) return undefined;
  return { path: opmlPath({ kind: 'scope', scope: scope.ref }), resource: { kind: 'opml', title: `${snapshot.feedTitle(scope)}: all feeds`, scopes: scope.opml } };
}

/** Every resource of the site with its path: the static build writes exactly these. */
export function* allResources(snapshot: SiteSnapshot): Generator<{ path: string; resource: Resource }> {
  yield { path: '/', resource: { kind: 'index' } };
  yield { path: `/${FEED_STYLESHEET_FILE}`, resource: { kind: 'stylesheet', name: FEED_STYLESHEET_FILE } };
  yield { path: `/${PAGE_STYLESHEET_FILE}`, resource: { kind: 'stylesheet', name: PAGE_STYLESHEET_FILE } };
  for (const scope of snapshot.allScopes()) {
    if (scope !== snapshot.root) yield { path: scopePath(scope.ref), resource: { kind: 'scope-page', scope } };
    const opml = opmlOf(snapshot, { kind: 'scope', scope: scope.ref });
    if (opml) yield opml;
    const pages = snapshot.pageCount(scope);
    for (const format of FEED_FORMATS) {
      for (let page = 1; page <= pages; page++) {
        yield { path: feedPath(scope.ref, format, page), resource: { kind: 'feed', scope, format, page } };
      }
    }
  }
  for (const collection of COLLECTED_KINDS) {
    const scopes = snapshot.collection(collection);
    if (scopes.length === 0) continue;
    yield { path: collectionPath(collection), resource: { kind: 'collection-page', collection, scopes } };
    yield opmlOf(snapshot, { kind: 'collection', collection }) as { path: string; resource: Resource };
  }
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
