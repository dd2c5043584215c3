/**
 * What the sitemaps list, and where. /sitemap.xml lists every page the site serves but its feeds:
 * the index page, every scope's page, the lists of tags, authors and editions, and every article's
 * page with its lead image. Past `sitemap_size` URLs (50,000 at most) or 50 MB it is an index of
 * numbered sitemaps, split as the archives are: articles in the order the site first published
 * them (its full archives, then the others, live or gone), so that a new article comes last and no
 * article ever moves to another file. Each numbered sitemap holds the articles of half a file's
 * positions; the other pages, whose Last-Modified moves with every article, are listed beside the
 * newest articles in the last one (in files of their own after it when they take more than the
 * other half). One new article changes that last sitemap and the index, nothing else.
 *
 * The news sitemap lists the live articles dated within the last two days, newest first, at most
 * 1,000; a site without article pages has none.
 */
import type { ArticleData } from '../content/model.js';
import {
  MAX_URL_ENTRY_BYTES,
  NEWS_SITEMAP_MAX_URLS,
  SITEMAP_MAX_BYTES,
  URLSET_ENVELOPE_BYTES,
  isListable,
  newsLanguage,
  urlEntry,
} from '../feeds/sitemap.js';
import { COLLECTED_KINDS, articlePath, collectionPath, scopePath, sectionKey } from '../urls/paths.js';
import type { Resource } from './resources.js';
import { newsAgeOut } from './schedule.js';
// Types only: the snapshot asks this module which numbered sitemaps it has.
import type { SiteSnapshot } from './snapshot.js';

/** What one sitemap file may hold: `urls` entries, `bytes` in all. */
export interface SitemapLimits {
  urls: number;
  bytes: number;
}

/** A page as a sitemap lists it: the resource (its Last-Modified is the entry's lastmod), its URL, its lead image. */
export interface ListedPage {
  resource: Extract<Resource, { kind: 'index' | 'scope-page' | 'collection-page' | 'article' }>;
  loc: string;
  image?: string;
}

/** A sitemap file's pages, and when the latest of its articles that left the site left (0: none did). */
export interface SitemapContents {
  pages: ListedPage[];
  left: number;
}

/** `single`: /sitemap.xml lists every page; `index`: it lists the numbered sitemaps, by number. */
export type SitemapPlan = ({ kind: 'single' } & SitemapContents) | { kind: 'index'; parts: ReadonlyMap<number, SitemapContents> };

const plans = new WeakMap<SiteSnapshot, SitemapPlan>();

/** The site's sitemaps (made once per snapshot): at most `sitemap_size` URLs and 50 MB a file. */
export function sitemapPlan(snapshot: SiteSnapshot): SitemapPlan {
  let plan = plans.get(snapshot);
  if (!plan) plans.set(snapshot, (plan = planSitemaps(snapshot, { urls: snapshot.site.sitemapSize, bytes: SITEMAP_MAX_BYTES })));
  return plan;
}

/** Whether the site has numbered sitemap `part`. */
export function hasSitemapPart(snapshot: SiteSnapshot, part: number): boolean {
  const plan = sitemapPlan(snapshot);
  return plan.kind === 'index' && plan.parts.has(part);
}

/**
 * Numbered sitemap sizes derive from `limits`: an entry is at most MAX_URL_ENTRY_BYTES (URLs are
 * under 2,048 characters), so `capacity` entries always fit in a file, and the articles of
 * `capacity / 2` positions go in each, leaving the other half for the other pages.
 */
export function planSitemaps(snapshot: SiteSnapshot, limits: SitemapLimits): SitemapPlan {
  const { site } = snapshot;
  const others = otherPages(snapshot);
  const order = snapshot.publicationOrder();
  const positions = new Map(order.map((key, i) => [key, i]));
  const articles: Array<{ position: number; page: ListedPage }> = [];
  if (site.articlePages) {
    for (const article of snapshot.allArticles()) {
      const loc = `${site.baseUrl}${articlePath(article.section, article.slug)}`;
      if (!isListable(loc)) continue;
      const page: ListedPage = { resource: { kind: 'article', article }, loc };
      if (article.image !== undefined && isListable(article.image)) page.image = article.image;
      articles.push({ position: positions.get(sectionKey([...article.section, article.slug])) ?? order.length, page });
    }
  }
  articles.sort((a, b) => a.position - b.position);
  const departures = snapshot.siteDepartures();

  const count = others.length + articles.length;
  const size = () => URLSET_ENVELOPE_BYTES + [...others, ...articles.map((a) => a.page)].reduce((sum, page) => sum + entryBytes(page), 0);
  if (count <= limits.urls && size() <= limits.bytes) {
    return { kind: 'single', pages: [...others, ...articles.map((a) => a.page)], left: [...departures.values()].reduce((latest, at) => Math.max(latest, at), 0) };
  }
  const capacity = Math.max(2, Math.min(limits.urls, Math.floor((limits.bytes - URLSET_ENVELOPE_BYTES) / MAX_URL_ENTRY_BYTES)));
  const half = Math.floor(capacity / 2);
  const parts = new Map<number, SitemapContents>();
  const part = (number: number) => {
    let contents = parts.get(number);
    if (!contents) parts.set(number, (contents = { pages: [], left: 0 }));
    return contents;
  };
  const partOf = (position: number) => Math.floor(position / half) + 1;
  for (const { position, page } of articles) part(partOf(position)).pages.push(page);
  if (site.articlePages) {
    for (const [key, at] of departures) {
      const position = positions.get(key);
      if (position !== undefined) part(partOf(position)).left = Math.max(part(partOf(position)).left, at);
    }
  }
  const articleParts = site.articlePages ? Math.ceil(order.length / half) : 0;
  if (articleParts > 0 && others.length <= capacity - half) part(articleParts).pages.push(...others);
  else for (let i = 0; i < others.length; i += capacity) part(articleParts + 1 + i / capacity).pages.push(...others.slice(i, i + capacity));
  for (const [number, contents] of parts) if (contents.pages.length === 0) parts.delete(number);
  return { kind: 'index', parts: new Map([...parts].sort(([a], [b]) => a - b)) };
}

/** The pages besides the articles': the index, each scope's page, the lists of tags, authors and editions. */
function otherPages(snapshot: SiteSnapshot): ListedPage[] {
  const { baseUrl } = snapshot.site;
  const pages: ListedPage[] = [{ resource: { kind: 'index' }, loc: `${baseUrl}/` }];
  for (const scope of snapshot.allScopes()) if (scope !== snapshot.root) pages.push({ resource: { kind: 'scope-page', scope }, loc: `${baseUrl}${scopePath(scope.ref)}` });
  for (const collection of COLLECTED_KINDS) {
    if (snapshot.hasCollection(collection)) pages.push({ resource: { kind: 'collection-page', collection }, loc: `${baseUrl}${collectionPath(collection)}` });
  }
  return pages.filter((page) => isListable(page.loc));
}

/** An entry's size as written, counting a lastmod whether it will have one or not. */
function entryBytes(page: ListedPage): number {
  return urlEntry({ loc: page.loc, lastmod: 0, ...(page.image === undefined ? {} : { image: page.image }) }).length;
}

/** The news sitemap: its articles, and the latest instant one of the site's articles aged out of it (0: none yet). */
export interface NewsSitemap {
  articles: ArticleData[];
  agedOut: number;
}

const news = new WeakMap<SiteSnapshot, NewsSitemap>();

/**
 * Undefined when the site has no article pages (Google News lists pages of the site itself). A
 * snapshot without history has no "now" (every article counts as published long ago): none is recent.
 */
export function newsSitemap(snapshot: SiteSnapshot): NewsSitemap | undefined {
  if (!snapshot.site.articlePages) return undefined;
  let listed = news.get(snapshot);
  if (!listed) {
    const articles: ArticleData[] = [];
    let agedOut = 0;
    for (const article of snapshot.publication ? snapshot.root.items : []) {
      const leaves = newsAgeOut(article);
      if (leaves <= snapshot.now) agedOut = Math.max(agedOut, leaves);
      else if (articles.length < NEWS_SITEMAP_MAX_URLS && isListable(`${snapshot.site.baseUrl}${articlePath(article.section, article.slug)}`)) articles.push(article);
    }
    news.set(snapshot, (listed = { articles, agedOut }));
  }
  return listed;
}

/**
 * The publication a news sitemap names for an article: the first of its editions (as the site
 * declares them) in the article's language, else the site; in the article's language.
 */
export function newsPublication(snapshot: SiteSnapshot, article: ArticleData): { name: string; language: string } {
  const language = newsLanguage(article.language);
  const edition = snapshot.site.editions.find((e) => article.editions.includes(e.key) && newsLanguage(e.language) === language);
  const scope = edition && snapshot.scope({ kind: 'edition', slug: edition.key });
  return { name: scope ? snapshot.feedTitle(scope) : snapshot.site.title, language };
}
