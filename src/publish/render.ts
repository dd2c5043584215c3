/**
 * A resource -> its bytes and what HTTP needs to know about them. The same function serves the
 * Node server, the Worker and the static build, which is why their bytes are identical.
 */
import type { ArticleData } from '../content/model.js';
import type { Chunk } from '../feeds/chunks.js';
import type { FeedDocument } from '../feeds/document.js';
import { EntryCache } from '../feeds/entries.js';
import { FORMATS, type FeedFormat } from '../feeds/formats.js';
import { OPML_MEDIA_TYPE, renderOpml } from '../feeds/opml.js';
import { ROBOTS_MEDIA_TYPE, renderRobots } from '../feeds/robots.js';
import { SITEMAP_MEDIA_TYPE, renderNewsSitemap, renderSitemapIndex, renderUrlset, urlEntry, type SitemapRef, type SitemapUrl } from '../feeds/sitemap.js';
import { CSS_MEDIA_TYPE, FEED_STYLESHEET, PAGE_STYLESHEET } from '../pages/assets.js';
import { HTML_MEDIA_TYPE, renderArticlePage, renderCollectionPage, renderIndexPage, renderScopePage } from '../pages/pages.js';
import { opmlList, type Resource } from '../site/resources.js';
import { buildFeedDocument } from '../site/feed-document.js';
import { lastModifiedOf } from '../site/modified.js';
import { newsPublication, newsSitemap, sitemapPlan, type ListedPage } from '../site/sitemaps.js';
import { lastModified, type Scope, type SiteSnapshot } from '../site/snapshot.js';
import type { OffsetInstant } from '../time/index.js';
import { FEED_STYLESHEET_FILE, NEWS_SITEMAP_FILE, articlePath, basePathOf, feedPath, scopePath, sitemapPath } from '../urls/paths.js';

export interface Rendered {
  /** Full Content-Type, charset included. */
  contentType: string;
  /** The bytes, in pieces (see feeds/chunks.ts). */
  chunks: readonly Chunk[];
  /** Epoch ms, whole seconds: Last-Modified (site/modified.ts), when something dates it. */
  lastModified?: number;
  /** WebSub: the hub and the canonical self URL, for `Link` headers. */
  hub?: string;
  self?: string;
  /** Seconds caches may keep it, when not the site's cache_max_age. */
  maxAge?: number;
  /** Epoch ms: the bytes are the site's only until then, when that comes before the site's next change (the news sitemap's next age-out). */
  until?: number;
}

/** A full archive's items never change; its bytes do only when one of them is edited. */
export const FULL_ARCHIVE_MAX_AGE = 86_400;

/** Everything the site renders is UTF-8 text (media files are served as they are). */
export function utf8(mediaType: string): string {
  return `${mediaType}; charset=utf-8`;
}

/** What is rendered: every resource but the files served as they are (publish/store.ts mediaHead). */
export type RenderableResource = Exclude<Resource, { kind: 'media' }>;

/** `entries`: entries already rendered, shared across calls (see feeds/entries.ts). */
export function renderResource(snapshot: SiteSnapshot, resource: RenderableResource, entries = new EntryCache(0, 'own')): Rendered {
  const rendered = renderBody(snapshot, resource, entries);
  const modified = lastModifiedOf(snapshot, resource);
  if (modified !== undefined) rendered.lastModified = modified;
  return rendered;
}

function renderBody(snapshot: SiteSnapshot, resource: RenderableResource, entries: EntryCache): Rendered {
  const { site } = snapshot;
  switch (resource.kind) {
    case 'feed':
      return renderFeed(snapshot, resource, buildFeedDocument(snapshot, resource.scope, resource.format, resource.archive), entries);
    case 'opml': {
      const list = opmlList(snapshot, resource.of);
      if (!list) throw new Error('no such OPML list');
      const outlines = list.scopes.map((scope) => ({
        title: snapshot.feedTitle(scope),
        description: scope.description,
        language: scope.language,
        xmlUrl: `${site.baseUrl}${feedPath(scope.ref, 'rss')}`,
        htmlUrl: `${site.baseUrl}${scopePath(scope.ref)}`,
      }));
      // Deterministic: the newest change among the listed scopes' items, else the site's; never "now".
      const modified = newestIn(list.scopes) ?? lastModified(snapshot.root.items) ?? { epochMs: 0, offsetSeconds: 0 };
      return { contentType: utf8(OPML_MEDIA_TYPE), chunks: [renderOpml({ title: list.title, modified, entries: outlines })] };
    }
    case 'index':
      return { contentType: utf8(HTML_MEDIA_TYPE), chunks: [renderIndexPage(snapshot)] };
    case 'scope-page':
      return { contentType: utf8(HTML_MEDIA_TYPE), chunks: [renderScopePage(snapshot, resource.scope)] };
    case 'collection-page':
      return { contentType: utf8(HTML_MEDIA_TYPE), chunks: [renderCollectionPage(snapshot, resource.collection, snapshot.collection(resource.collection))] };
    case 'article':
      return { contentType: utf8(HTML_MEDIA_TYPE), chunks: [renderArticlePage(snapshot, resource.article)] };
    case 'stylesheet':
      return { contentType: utf8(CSS_MEDIA_TYPE), chunks: [resource.name === FEED_STYLESHEET_FILE ? FEED_STYLESHEET : PAGE_STYLESHEET] };
    case 'sitemap':
      return { contentType: utf8(SITEMAP_MEDIA_TYPE), chunks: [renderSitemap(snapshot, resource.part)] };
    case 'news-sitemap': {
      const urls = (newsSitemap(snapshot)?.articles ?? []).map((article) => ({
        loc: `${site.baseUrl}${articlePath(article.section, article.slug)}`,
        publication: newsPublication(snapshot, article),
        published: article.published,
        title: article.title,
      }));
      const rendered: Rendered = { contentType: utf8(SITEMAP_MEDIA_TYPE), chunks: [renderNewsSitemap(urls)] };
      // It changes as articles age out of it: whatever comes first, that or the site's next change.
      if (snapshot.nextChange !== undefined) rendered.until = snapshot.nextChange;
      return rendered;
    }
    case 'robots': {
      const sitemaps = [sitemapPath(), ...(newsSitemap(snapshot) ? [`/${NEWS_SITEMAP_FILE}`] : [])].map((p) => `${site.baseUrl}${p}`);
      return { contentType: utf8(ROBOTS_MEDIA_TYPE), chunks: [snapshot.robots ?? renderRobots(`${basePathOf(site.baseUrl)}/`, sitemaps)] };
    }
  }
}

/** /sitemap.xml (every page, or the index of the numbered sitemaps), or numbered sitemap `part`. */
function renderSitemap(snapshot: SiteSnapshot, part: number | undefined): string {
  const plan = sitemapPlan(snapshot);
  if (plan.kind === 'index' && part === undefined) {
    return renderSitemapIndex([...plan.parts.keys()].map((number) => dated<SitemapRef>({ loc: `${snapshot.site.baseUrl}${sitemapPath(number)}` }, lastModifiedOf(snapshot, { kind: 'sitemap', part: number }))));
  }
  const contents = plan.kind === 'single' ? plan : plan.parts.get(part as number);
  if (!contents) throw new Error(`the site has no sitemap ${part}`);
  // Each page dated by the facts its own Last-Modified comes from.
  const entry = (page: ListedPage) => urlEntry(dated<SitemapUrl>({ loc: page.loc, ...(page.image === undefined ? {} : { image: page.image }) }, lastModifiedOf(snapshot, page.resource)));
  return renderUrlset(contents.pages.map(entry));
}

function dated<T extends { lastmod?: number }>(entry: T, lastmod: number | undefined): T {
  return lastmod === undefined ? entry : { ...entry, lastmod };
}

export type FeedResource = Extract<Resource, { kind: 'feed' }>;

/** `doc`: the resource's document (buildFeedDocument), passed in by callers that already built it. */
export function renderFeed(snapshot: SiteSnapshot, resource: FeedResource, doc: FeedDocument, entries = new EntryCache(0, 'own')): Rendered {
  const { format, archive } = resource;
  const rendered: Rendered = { contentType: utf8(FORMATS[format].mediaType), chunks: FORMATS[format].render(doc, entries), self: doc.links.self };
  const modified = lastModifiedOf(snapshot, resource);
  if (modified !== undefined) rendered.lastModified = modified;
  if (snapshot.site.hub) rendered.hub = snapshot.site.hub;
  // Every archive is full, and its members never change.
  if (archive !== undefined) rendered.maxAge = FULL_ARCHIVE_MAX_AGE;
  return rendered;
}

/** A resource ready to render, and what its bytes and headers are made from, where that is known. */
export interface PreparedResource {
  /**
   * Equal keys render equal representations (for one version of feedgen). Pages gathering many
   * scopes (index, collections, OPML) have none: they are rendered.
   */
  key?: string;
  render: () => Rendered;
}

export function prepareResource(snapshot: SiteSnapshot, resource: RenderableResource, entries = new EntryCache(0, 'own')): PreparedResource {
  const prepared = prepareBody(snapshot, resource, entries);
  // Last-Modified is part of what the key stands for: the headers come with the bytes.
  if (prepared.key !== undefined) prepared.key = `${lastModifiedOf(snapshot, resource) ?? ''}\n${prepared.key}`;
  return prepared;
}

function prepareBody(snapshot: SiteSnapshot, resource: RenderableResource, entries: EntryCache): PreparedResource {
  switch (resource.kind) {
    case 'feed': {
      const doc = buildFeedDocument(snapshot, resource.scope, resource.format, resource.archive);
      return { key: feedContentKey(snapshot, doc, resource.format), render: () => renderFeed(snapshot, resource, doc, entries) };
    }
    case 'article': {
      // An article page shows the article (its version covers its translations), the site and its home section.
      const home = snapshot.homeOf(resource.article);
      const scope = JSON.stringify([home.titles, home.icon, home.logo, home.language]);
      return { key: `article\n${siteKey(snapshot)}\n${scope}\n${resource.article.version}`, render: () => renderResource(snapshot, resource, entries) };
    }
    case 'scope-page': {
      // What renderScopePage shows: the scope, its subscopes, and its current items.
      const { scope } = resource;
      const shown = (s: Scope) => [s.ref, s.titles, s.description, s.image, s.link, s.language, s.timezone, s.icon, s.logo, snapshot.feedTitle(s)];
      const page = JSON.stringify([shown(scope), scope.opml !== undefined, scope.children.map(shown)]);
      const items = snapshot.currentItems(scope).map((item) => item.version);
      return { key: `scope-page\n${siteKey(snapshot)}\n${page}\n${items.join('\n')}`, render: () => renderResource(snapshot, resource, entries) };
    }
    case 'stylesheet':
      // The site's settings decide its headers (the embed hosts of the Content-Security-Policy).
      return { key: `stylesheet\n${siteKey(snapshot)}\n${resource.name}`, render: () => renderResource(snapshot, resource, entries) };
    default:
      return { render: () => renderResource(snapshot, resource, entries) };
  }
}

const siteKeys = new WeakMap<SiteSnapshot, string>();

function siteKey(snapshot: SiteSnapshot): string {
  let key = siteKeys.get(snapshot);
  if (key === undefined) {
    key = JSON.stringify(snapshot.site);
    siteKeys.set(snapshot, key);
  }
  return key;
}

/**
 * What a feed's bytes and headers are made from, as one string: equal keys render equal
 * representations, so a reloaded site reuses every feed an edit did not touch. Articles enter by
 * their version (a hash of their file and everything they inherit).
 */
function feedContentKey(snapshot: SiteSnapshot, doc: FeedDocument<ArticleData>, format: FeedFormat): string {
  const { items, ...feed } = doc;
  const { cacheMaxAge, hub, embedHosts } = snapshot.site;
  return `${format}\n${JSON.stringify({ feed, cacheMaxAge, hub, embedHosts })}\n${items.map((item) => item.version).join('\n')}`;
}

/** The newest change among the items of any of `scopes`. */
function newestIn(scopes: readonly Scope[]): OffsetInstant | undefined {
  let newest: OffsetInstant | undefined;
  for (const scope of scopes) {
    const changed = lastModified(scope.items);
    if (changed && (!newest || changed.epochMs > newest.epochMs)) newest = changed;
  }
  return newest;
}
