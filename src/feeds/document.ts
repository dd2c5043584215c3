/**
 * The one model every feed format renders: a page of one scope's items plus everything the feed
 * says about itself (links for paging, hub, self, updated time). Built from the snapshot; the
 * renderers never look at the snapshot or the URL layout themselves.
 */
import type { ArticleData, Person } from '../content/model.js';
import type { OffsetInstant } from '../time/index.js';
import { lastModified, type FeedScope, type SiteSnapshot } from '../site/snapshot.js';
import { FEED_STYLESHEET_FILE, feedPath, sectionPath, type FeedFormat } from '../site/urls.js';

export const GENERATOR = 'feedgen';

export interface FeedLinks {
  self: string;
  /** The feed's identity: its first page. */
  first: string;
  last: string;
  previous?: string;
  next?: string;
  /** The HTML page of the scope. */
  html: string;
  hub?: string;
  /** Site-relative, so it loads from whichever host serves the feed. */
  stylesheet: string;
}

export interface FeedDocument {
  title: string;
  description: string;
  language: string;
  updated: OffsetInstant;
  /** Site authors; Atom falls back to the site title so every entry has an author. */
  authors: Person[];
  siteTitle: string;
  ttlMinutes: number;
  links: FeedLinks;
  items: ArticleData[];
}

/** The feed's links to itself and to its pages (RFC 5005), those that exist, in a fixed order. */
export function pageLinks(links: FeedLinks): Array<[rel: string, href: string]> {
  const all: Array<[string, string | undefined]> = [
    ['self', links.self],
    ['first', links.first],
    ['last', links.last],
    ['previous', links.previous],
    ['next', links.next],
  ];
  return all.filter((link): link is [string, string] => link[1] !== undefined);
}

const EPOCH: OffsetInstant = { epochMs: 0, offsetSeconds: 0 };

export function feedTitle(snapshot: SiteSnapshot, scope: FeedScope): string {
  return scope.titles.length === 0 ? snapshot.site.title : `${scope.titles.join(' / ')} | ${snapshot.site.title}`;
}

export function buildFeedDocument(snapshot: SiteSnapshot, scope: FeedScope, format: FeedFormat, page: number): FeedDocument {
  const { site } = snapshot;
  const pages = snapshot.pageCount(scope);
  const items = snapshot.pageItems(scope, page);
  const absolute = (p: string) => `${site.baseUrl}${p}`;
  const links: FeedLinks = {
    self: absolute(feedPath(scope.section, format, page)),
    first: absolute(feedPath(scope.section, format, 1)),
    last: absolute(feedPath(scope.section, format, pages)),
    html: absolute(sectionPath(scope.section)),
    stylesheet: `${new URL(site.baseUrl).pathname.replace(/\/$/, '')}/${FEED_STYLESHEET_FILE}`,
  };
  if (page > 1) links.previous = absolute(feedPath(scope.section, format, page - 1));
  if (page < pages) links.next = absolute(feedPath(scope.section, format, page + 1));
  if (site.hub) links.hub = site.hub;
  return {
    title: feedTitle(snapshot, scope),
    description: scope.description || site.description || feedTitle(snapshot, scope),
    language: scope.language,
    // Deterministic: the newest change among the page's items, else the site's; never "now".
    updated: lastModified(items) ?? lastModified(snapshot.root.items) ?? EPOCH,
    authors: site.authors,
    siteTitle: site.title,
    ttlMinutes: Math.max(1, Math.ceil(site.cacheMaxAge / 60)),
    links,
    items,
  };
}
