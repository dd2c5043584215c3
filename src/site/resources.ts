/**
 * Every URL of a site as a resource: what a route names on this site (or where it redirects, or why
 * it names nothing), and the full list of them for the static build.
 */
import type { ArticleData, MediaFile } from '../content/model.js';
import { FEED_FORMATS, type FeedFormat } from '../feeds/formats.js';
import { FEED_STYLESHEET_FILE, OPML_FILE, PAGE_STYLESHEET_FILE, articlePath, feedPath, mediaPath, scopeKey, scopePath } from '../urls/paths.js';
import { scopeAt, type Route, type RouteError } from '../urls/routes.js';
import type { Scope, SiteSnapshot } from './snapshot.js';

export type StylesheetName = typeof FEED_STYLESHEET_FILE | typeof PAGE_STYLESHEET_FILE;

export type Resource =
  | { kind: 'index' }
  | { kind: 'opml' }
  | { kind: 'stylesheet'; name: StylesheetName }
  /** `archive`: undefined for the subscription document. */
  | { kind: 'feed'; scope: Scope; format: FeedFormat; archive?: number }
  | { kind: 'scope-page'; scope: Scope }
  | { kind: 'article'; article: ArticleData }
  | { kind: 'media'; file: MediaFile };

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
      return {
        kind: 'found',
        path: `/${route.name}`,
        resource: route.name === OPML_FILE ? { kind: 'opml' } : { kind: 'stylesheet', name: route.name },
      };
    case 'feed': {
      const scope = snapshot.scope(route.scope);
      if (!scope) return notFound(`no section "${scopeKey(route.scope)}"`);
      const { format, archive } = route;
      const archives = snapshot.archiveCount(scope);
      if (archive !== undefined && archive > archives) return notFound(`archive ${archive} does not exist (the newest is ${archives})`);
      return { kind: 'found', path: feedPath(scope.ref, format, archive), resource: archive === undefined ? { kind: 'feed', scope, format } : { kind: 'feed', scope, format, archive } };
    }
    case 'media': {
      const file = snapshot.mediaFile(route.path);
      if (!file) return notFound('no such media file');
      return { kind: 'found', path: mediaPath(file.path), resource: { kind: 'media', file } };
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
      const moved = found ? undefined : snapshot.redirects.get(articlePath(segments.slice(0, -1), segments[segments.length - 1] as string));
      if (moved) return { kind: 'redirect', location: moved };
      if (!found) return notFound('no such page or feed');
      return route.trailingSlash ? found : { kind: 'redirect', location: found.path };
    }
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
    const archives = snapshot.archiveCount(scope);
    for (const format of FEED_FORMATS) {
      yield { path: feedPath(scope.ref, format), resource: { kind: 'feed', scope, format } };
      for (let archive = 1; archive <= archives; archive++) {
        yield { path: feedPath(scope.ref, format, archive), resource: { kind: 'feed', scope, format, archive } };
      }
    }
  }
  for (const article of snapshot.allArticles()) {
    yield { path: articlePath(article.section, article.slug), resource: { kind: 'article', article } };
  }
  for (const file of snapshot.allMedia()) {
    yield { path: mediaPath(file.path), resource: { kind: 'media', file } };
  }
}
