/**
 * Every URL of a site as a resource: what a route names on this site (or where it redirects, or why
 * it names nothing), and the full list of them for the static build.
 */
import type { ArticleData, MediaFile } from '../content/model.js';
import { FEED_FORMATS, type FeedFormat } from '../feeds/formats.js';
import {
  COLLECTED_KINDS,
  FEED_STYLESHEET_FILE,
  NEWS_SITEMAP_FILE,
  PAGE_STYLESHEET_FILE,
  ROBOTS_FILE,
  SITE_SCOPE,
  articlePath,
  bundleOwner,
  collectionPath,
  feedPath,
  mediaPath,
  opmlPath,
  scopeKey,
  scopePath,
  sitemapPath,
  type CollectedKind,
  type OpmlRef,
  type ScopeRef,
} from '../urls/paths.js';
import { scopeAt, type Route, type RouteError } from '../urls/routes.js';
import { newsSitemap, sitemapPlan } from './sitemaps.js';
import type { Scope, SiteSnapshot } from './snapshot.js';

export type StylesheetName = typeof FEED_STYLESHEET_FILE | typeof PAGE_STYLESHEET_FILE;

/** What a resource needs of a scope, an article and a media file to have a path. */
export interface ScopeHandle {
  ref: ScopeRef;
}
export interface ArticleHandle {
  section: readonly string[];
  slug: string;
}
export interface MediaHandle {
  path: readonly string[];
}

export type Resource<S extends ScopeHandle = Scope, A extends ArticleHandle = ArticleData, M extends MediaHandle = MediaFile> =
  | { kind: 'index' }
  | { kind: 'stylesheet'; name: StylesheetName }
  /** An OPML list of feeds: the site's, an edition's, or every tag's or author's (opmlList). */
  | { kind: 'opml'; of: OpmlRef }
  /** `archive`: undefined for the subscription document. */
  | { kind: 'feed'; scope: S; format: FeedFormat; archive?: number }
  | { kind: 'scope-page'; scope: S }
  /** `/tags/`: every scope of a collected kind. */
  | { kind: 'collection-page'; collection: CollectedKind }
  | { kind: 'article'; article: A }
  | { kind: 'media'; file: M }
  /** `/sitemap.xml` (`part` undefined: every page, or the index of the numbered sitemaps), or numbered sitemap `part`. */
  | { kind: 'sitemap'; part?: number }
  /** `/news-sitemap.xml`: the articles of the last two days (Google News). */
  | { kind: 'news-sitemap' }
  /** `/robots.txt`: feedgen's, naming the sitemaps, or the articles folder's own. */
  | { kind: 'robots' };

export type Lookup<S extends ScopeHandle = Scope, A extends ArticleHandle = ArticleData, M extends MediaHandle = MediaFile> =
  | { kind: 'found'; path: string; resource: Resource<S, A, M> }
  | { kind: 'redirect'; location: string }
  | RouteError;

/**
 * What `lookup` asks of a site: which scopes it has, how many archives each, which article has a
 * page where, which media files it serves and where moved articles went. A SiteSnapshot answers
 * from its articles and the ledger; the Worker from its static assets' manifests.
 */
export interface SiteDirectory<S extends ScopeHandle, A extends ArticleHandle, M extends MediaHandle> {
  scope(ref: ScopeRef): S | undefined;
  archiveCount(scope: S): number;
  /** The article whose HTML page is at this section and slug; none when the site has no article pages. */
  articlePage(section: readonly string[], slug: string): A | undefined;
  /** The file served as it is at these segments (MediaFile.path), of the media folder or a live article's page bundle. */
  mediaFile(path: readonly string[]): M | undefined;
  /** Whether the site has this OPML list (opmlList). */
  hasOpml(ref: OpmlRef): boolean;
  /** Whether the site has feeds of this kind (tags, authors), and so their list page. */
  hasCollection(kind: CollectedKind): boolean;
  /** Whether /sitemap.xml is an index that lists numbered sitemap `part`. */
  hasSitemapPart(part: number): boolean;
  /** Whether the site has a news sitemap (it has article pages). */
  hasNewsSitemap(): boolean;
  /** Old page path of a moved article -> its page path now (site-relative). */
  readonly redirects: ReadonlyMap<string, string>;
}

function notFound(reason: string): RouteError {
  return { kind: 'error', status: 404, reason };
}

/** What a route names on this site. */
export function lookup<S extends ScopeHandle, A extends ArticleHandle, M extends MediaHandle>(site: SiteDirectory<S, A, M>, route: Route): Lookup<S, A, M> {
  switch (route.kind) {
    case 'error':
    case 'redirect':
      return route;
    case 'index':
      return { kind: 'found', path: '/', resource: { kind: 'index' } };
    case 'file':
      return { kind: 'found', path: `/${route.name}`, resource: { kind: 'stylesheet', name: route.name } };
    case 'opml': {
      if (!site.hasOpml(route.of)) return notFound('no OPML list here');
      return { kind: 'found', path: opmlPath(route.of), resource: { kind: 'opml', of: route.of } };
    }
    case 'feed': {
      const scope = site.scope(route.scope);
      if (!scope) return notFound(`no ${route.scope.kind === 'site' ? 'site' : route.scope.kind} "${scopeKey(route.scope)}"`);
      const { format, archive } = route;
      const archives = site.archiveCount(scope);
      if (archive !== undefined && archive > archives) return notFound(`archive ${archive} does not exist (the newest is ${archives})`);
      return { kind: 'found', path: feedPath(scope.ref, format, archive), resource: archive === undefined ? { kind: 'feed', scope, format } : { kind: 'feed', scope, format, archive } };
    }
    case 'sitemap':
      if (route.part === undefined) return { kind: 'found', path: sitemapPath(), resource: { kind: 'sitemap' } };
      if (!site.hasSitemapPart(route.part)) return notFound(`sitemap ${route.part} does not exist (${sitemapPath()} lists those that do)`);
      return { kind: 'found', path: sitemapPath(route.part), resource: { kind: 'sitemap', part: route.part } };
    case 'news-sitemap':
      if (!site.hasNewsSitemap()) return notFound('a site without article pages has no news sitemap');
      return { kind: 'found', path: `/${NEWS_SITEMAP_FILE}`, resource: { kind: 'news-sitemap' } };
    case 'robots':
      return { kind: 'found', path: `/${ROBOTS_FILE}`, resource: { kind: 'robots' } };
    case 'media': {
      const file = site.mediaFile(route.path);
      if (!file) return notFound('no such media file');
      return { kind: 'found', path: mediaPath(file.path), resource: { kind: 'media', file } };
    }
    case 'collection': {
      if (!site.hasCollection(route.collection)) return notFound(`this site has no ${route.collection} feeds`);
      const path = collectionPath(route.collection);
      return route.trailingSlash ? { kind: 'found', path, resource: { kind: 'collection-page', collection: route.collection } } : { kind: 'redirect', location: path };
    }
    case 'page': {
      const { segments } = route;
      // A file beside an article, `/news/harbour-reopens/harbour.jpg`: no page has a path without its slash.
      const file = route.trailingSlash ? undefined : site.mediaFile(segments);
      if (file) return { kind: 'found', path: mediaPath(file.path), resource: { kind: 'media', file } };
      const scope = site.scope(scopeAt(segments));
      const article = scope ? undefined : site.articlePage(segments.slice(0, -1), segments[segments.length - 1] as string);
      const found: Lookup<S, A, M> | undefined = scope
        ? { kind: 'found', path: scopePath(scope.ref), resource: { kind: 'scope-page', scope } }
        : article
          ? { kind: 'found', path: articlePath(article.section, article.slug), resource: { kind: 'article', article } }
          : undefined;
      const moved = found ? undefined : site.redirects.get(articlePath(segments.slice(0, -1), segments[segments.length - 1] as string));
      if (moved) return { kind: 'redirect', location: moved };
      if (!found) return notFound('no such page or feed');
      return route.trailingSlash ? found : { kind: 'redirect', location: found.path };
    }
  }
}

/** What an OPML list holds, if the site has it: the site's, an edition's, a collection's. */
export function opmlList(snapshot: SiteSnapshot, ref: OpmlRef): { title: string; scopes: readonly Scope[] } | undefined {
  if (ref.kind === 'collection') {
    const scopes = snapshot.collection(ref.collection);
    if (scopes.length === 0) return undefined;
    return { title: `${snapshot.site.title}: all ${ref.collection} feeds`, scopes };
  }
  const scope = snapshot.scope(ref.scope);
  if (!scope?.opml) return undefined;
  return { title: `${snapshot.feedTitle(scope)}: all feeds`, scopes: scope.opml };
}

/**
 * The scope a resource belongs to: a feed's or a page's own scope, an article's section, a scope's
 * OPML list's scope, else the site (the lists of tags and authors and their OPML included).
 */
export function homeScope(resource: Resource<ScopeHandle, ArticleHandle, MediaHandle>): ScopeRef {
  switch (resource.kind) {
    case 'feed':
    case 'scope-page':
      return resource.scope.ref;
    case 'article':
      return scopeAt(resource.article.section);
    case 'opml':
      return resource.of.kind === 'scope' ? resource.of.scope : SITE_SCOPE;
    case 'media': {
      // A page bundle's files are their article's, as its page is.
      const owner = bundleOwner(resource.file.path);
      return owner ? scopeAt(owner.section) : SITE_SCOPE;
    }
    default:
      return SITE_SCOPE;
  }
}

/** Every resource of the site with its path: the static build writes exactly these. */
export function* allResources(snapshot: SiteSnapshot): Generator<{ path: string; resource: Resource }> {
  yield { path: '/', resource: { kind: 'index' } };
  yield { path: `/${FEED_STYLESHEET_FILE}`, resource: { kind: 'stylesheet', name: FEED_STYLESHEET_FILE } };
  yield { path: `/${PAGE_STYLESHEET_FILE}`, resource: { kind: 'stylesheet', name: PAGE_STYLESHEET_FILE } };
  yield* crawlerResources(snapshot);
  for (const scope of snapshot.allScopes()) {
    if (scope !== snapshot.root) yield { path: scopePath(scope.ref), resource: { kind: 'scope-page', scope } };
    if (scope.opml) {
      const of: OpmlRef = { kind: 'scope', scope: scope.ref };
      yield { path: opmlPath(of), resource: { kind: 'opml', of } };
    }
    const archives = snapshot.archiveCount(scope);
    for (const format of FEED_FORMATS) {
      yield { path: feedPath(scope.ref, format), resource: { kind: 'feed', scope, format } };
      for (let archive = 1; archive <= archives; archive++) {
        yield { path: feedPath(scope.ref, format, archive), resource: { kind: 'feed', scope, format, archive } };
      }
    }
  }
  for (const collection of COLLECTED_KINDS) {
    if (snapshot.collection(collection).length === 0) continue;
    yield { path: collectionPath(collection), resource: { kind: 'collection-page', collection } };
    const of: OpmlRef = { kind: 'collection', collection };
    yield { path: opmlPath(of), resource: { kind: 'opml', of } };
  }
  if (snapshot.site.articlePages) {
    for (const article of snapshot.allArticles()) {
      yield { path: articlePath(article.section, article.slug), resource: { kind: 'article', article } };
    }
  }
  for (const file of snapshot.allMedia()) {
    yield { path: mediaPath(file.path), resource: { kind: 'media', file } };
  }
}

/** robots.txt and the sitemaps: what every version of the site has at its top for crawlers. */
export function* crawlerResources(snapshot: SiteSnapshot): Generator<{ path: string; resource: Extract<Resource, { kind: 'robots' | 'sitemap' | 'news-sitemap' }> }> {
  yield { path: `/${ROBOTS_FILE}`, resource: { kind: 'robots' } };
  yield { path: sitemapPath(), resource: { kind: 'sitemap' } };
  const plan = sitemapPlan(snapshot);
  if (plan.kind === 'index') for (const part of plan.parts.keys()) yield { path: sitemapPath(part), resource: { kind: 'sitemap', part } };
  if (newsSitemap(snapshot)) yield { path: `/${NEWS_SITEMAP_FILE}`, resource: { kind: 'news-sitemap' } };
}

/**
 * The order to render `resources` in (indices into it) so that an article's feed entries are made
 * once and used again while still kept (feeds/entries.ts): archives by where they end in the site's
 * publication order, so that the archives of every scope holding an article come one after the
 * other, the three formats of one archive together; then everything else, as listed.
 */
export function renderOrder(snapshot: SiteSnapshot, resources: ReadonlyArray<{ resource: Resource }>): number[] {
  const ends = resources.map(({ resource }) => (resource.kind === 'feed' && resource.archive !== undefined ? snapshot.archiveEnd(resource.scope, resource.archive) : Number.MAX_SAFE_INTEGER));
  // Array.prototype.sort is stable: equal ends keep the listed order.
  return resources.map((_, i) => i).sort((a, b) => (ends[a] as number) - (ends[b] as number));
}
