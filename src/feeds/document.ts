/**
 * The one model every feed format renders: the items of one feed document plus everything the feed
 * says about itself (links, hub, updated time). The renderers know nothing of the site, its scopes
 * or its URL layout: the site builds this model and hands it over.
 */
import type { OffsetInstant } from '../time/index.js';

export const GENERATOR = 'feedgen';

export interface Person {
  name: string;
  email?: string;
  url?: string;
}

/** What a feed shows of one article. */
export interface FeedItem {
  id: string;
  title: string;
  /** The article's own page on the site. */
  url: string;
  /** Canonical link (the page, unless the article names another). */
  link: string;
  published: OffsetInstant;
  updated?: OffsetInstant;
  authors: Person[];
  summary?: string;
  tags: string[];
  language: string;
  image?: string;
  html: string;
}

export interface FeedLinks {
  self: string;
  /** The subscription document: the feed's identity, which its archives share. */
  current: string;
  /** RFC 5005 archives: the next older and the next newer archive document. */
  prevArchive?: string;
  nextArchive?: string;
  /** The HTML page of the scope. */
  html: string;
  hub?: string;
  /** Site-relative, so it loads from whichever host serves the feed. */
  stylesheet: string;
}

export interface FeedDocument<Item extends FeedItem = FeedItem> {
  title: string;
  description: string;
  language: string;
  updated: OffsetInstant;
  /** Site authors; Atom falls back to the site title so every entry has an author. */
  authors: Person[];
  siteTitle: string;
  ttlMinutes: number;
  links: FeedLinks;
  /** An RFC 5005 archive document (fh:archive), not the subscription document. */
  archive: boolean;
  /** Entries deleted lately (RFC 6721), announced in Atom. */
  tombstones: Array<{ id: string; deleted: OffsetInstant }>;
  items: Item[];
}

/** The feed's links to itself and along its archives (RFC 5005), those that exist, in a fixed order. */
export function feedLinks(links: FeedLinks): Array<[rel: string, href: string]> {
  const all: Array<[string, string | undefined]> = [
    ['self', links.self],
    ['current', links.self === links.current ? undefined : links.current],
    ['prev-archive', links.prevArchive],
    ['next-archive', links.nextArchive],
  ];
  return all.filter((link): link is [string, string] => link[1] !== undefined);
}

export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';
export const TOMBSTONES_NS = 'http://purl.org/atompub/tombstones/1.0';
