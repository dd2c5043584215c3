/**
 * What the sitemaps list, and where. /sitemap.xml lists every page the site serves but its feeds:
 * the index page, every scope's page, the lists of tags, authors and editions, and every article's
 * page with its lead image. Past `sitemap_size` URLs (50,000 at most) or 50 MB it is an index of
 * numbered sitemaps, split along the site's archives (planSitemaps), so that a new article lands
 * in the newest one and no article moves to another file; the other pages, whose Last-Modified
 * moves with every article, are listed beside the newest articles (in files of their own after
 * them when they take more than half a file). One new article changes the newest numbered sitemap
 * and the index, nothing else.
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

/**
 * A sitemap file's pages, and the history facts besides its pages' own that its bytes depend on
 * (epoch ms, 0 for none), which its Last-Modified takes in (site/modified.ts).
 */
export interface SitemapContents {
  pages: ListedPage[];
  /** The latest departure of an article it held. */
  left: number;
  /** The latest change of an article in no full archive, when it holds or follows one: their places may shift (see planSitemaps). */
  shifted: number;
  /**
   * Dated by the whole site, as the index page is: it holds the other pages, or is the newest
   * sitemap of articles, where they come back when they fit again. (The other pages leave a
   * sitemap of articles when an article of its own fills it: its own change.)
   */
  withSite: boolean;
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
 * `capacity / 2` places go in each, leaving the other half for the other pages.
 *
 * An article's place is its place in the site's history: a full archive of the site never changes
 * its members, so whole archives go in each numbered sitemap (or parts of one when an archive
 * holds more than half a file), and the articles in no archive yet come last, where a new one
 * joins them. Only those may shift (an article renamed with its old URL as its id keeps its first
 * publication, and a merge joins two histories); a sitemap after them is dated by their changes
 * too. A site whose feed keeps no archives has them all in that last group.
 */
export function planSitemaps(snapshot: SiteSnapshot, limits: SitemapLimits): SitemapPlan {
  const { site } = snapshot;
  const others = otherPages(snapshot);
  const departures = snapshot.siteDepartures();
  const { archives, tail } = snapshot.siteMembers();
  const articles = site.articlePages ? articlePages(snapshot) : new Map<string, ListedPage>();

  const count = others.length + articles.size;
  const contents = (pages: ListedPage[]): SitemapContents => ({ pages, left: 0, shifted: 0, withSite: false });
  const size = () => URLSET_ENVELOPE_BYTES + others.reduce((sum, page) => sum + entryBytes(page), 0) + [...articles.values()].reduce((sum, page) => sum + entryBytes(page), 0);
  if (count <= limits.urls && size() <= limits.bytes) {
    const single = contents([...others, ...[...archives.flat(), ...tail].flatMap((key) => articles.get(key) ?? [])]);
    single.left = [...departures.values()].reduce((latest, at) => Math.max(latest, at), 0);
    return { kind: 'single', ...single };
  }

  const capacity = Math.max(2, Math.min(limits.urls, Math.floor((limits.bytes - URLSET_ENVELOPE_BYTES) / MAX_URL_ENTRY_BYTES)));
  const half = Math.floor(capacity / 2);
  const { archiveSize } = site;
  // Whole archives a sitemap, or pieces of one.
  const archivesEach = archives.length > 0 && archiveSize <= half ? Math.floor(half / archiveSize) : 0;
  const pieces = Math.ceil(archiveSize / half);
  const partAt = (slot: number, index: number) => (archivesEach > 0 ? Math.floor(slot / archivesEach) + 1 : slot * pieces + Math.floor(index / half) + 1);
  const parts = new Map<number, SitemapContents>();
  const part = (number: number) => {
    let found = parts.get(number);
    if (!found) parts.set(number, (found = contents([])));
    return found;
  };
  // Where the next article will go: the newest part, beside which the other pages are listed.
  const newest = site.articlePages ? partAt(archives.length, tail.length) : 0;
  if (site.articlePages) {
    const changeOf = (key: string) => {
      const names = key.split('/');
      const article = snapshot.article(names.slice(0, -1), names[names.length - 1] as string);
      return departures.get(key) ?? (article ? snapshot.articleChanged(article) : 0);
    };
    [...archives, tail].forEach((keys, slot) =>
      keys.forEach((key, index) => {
        const into = part(partAt(slot, index));
        const page = articles.get(key);
        if (page) into.pages.push(page);
        const left = departures.get(key);
        if (left !== undefined) into.left = Math.max(into.left, left);
      }),
    );
    // The others are in publication order, which a rename, a merge or a deletion may reshuffle:
    // every sitemap from the first that holds one of them is dated by all their changes.
    const unsettled = tail.reduce((latest, key) => Math.max(latest, changeOf(key)), 0);
    const from = partAt(archives.length, 0);
    for (let number = from; number <= newest; number++) part(number).shifted = unsettled;
  }
  if (site.articlePages && others.length <= capacity - half) {
    const holder = part(newest);
    holder.pages.push(...others);
    holder.withSite = true;
  } else {
    // In files of their own after the last that holds articles.
    const first = Math.max(0, ...[...parts].filter(([, { pages }]) => pages.length > 0).map(([number]) => number)) + 1;
    for (let i = 0; i < others.length; i += capacity) {
      const holder = part(first + i / capacity);
      holder.pages.push(...others.slice(i, i + capacity));
      holder.withSite = true;
    }
    if (newest > 0) part(newest).withSite = true;
  }
  for (const [number, { pages }] of parts) if (pages.length === 0) parts.delete(number);
  return { kind: 'index', parts: new Map([...parts].sort(([a], [b]) => a - b)) };
}

/** The listable article pages, by article key. */
function articlePages(snapshot: SiteSnapshot): Map<string, ListedPage> {
  const pages = new Map<string, ListedPage>();
  for (const article of snapshot.allArticles()) {
    const loc = `${snapshot.site.baseUrl}${articlePath(article.section, article.slug)}`;
    if (!isListable(loc)) continue;
    const page: ListedPage = { resource: { kind: 'article', article }, loc };
    if (article.image !== undefined && isListable(article.image)) page.image = article.image;
    pages.set(sectionKey([...article.section, article.slug]), page);
  }
  return pages;
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
