/**
 * The one model every feed format renders: the items of one feed document plus everything the feed
 * says about itself (links, hub, updated time). The renderers know nothing of the site, its scopes
 * or its URL layout: the site builds this model and hands it over.
 */
import type { OffsetInstant } from '../time/index.js';
import type { PodcastCategory } from './apple-categories.js';

export const GENERATOR = 'feedgen';

export interface Person {
  name: string;
  email?: string;
  url?: string;
  /** An image of the person (JSON Feed `avatar`). */
  avatar?: string;
}

/** Another language version of an item (`translation_key`). */
export interface Translation {
  /** BCP 47. */
  language: string;
  /** Its canonical link. */
  url: string;
  title: string;
}

/** A file that goes with an item: an episode's audio, a video, a document. */
export interface Enclosure {
  url: string;
  /** MIME type. */
  type: string;
  /** Bytes. */
  length: number;
  title?: string;
  durationSeconds?: number;
}

export interface Transcript {
  url: string;
  type: string;
  language?: string;
  /** `captions`: the file has time codes (Podcasting 2.0). */
  rel?: string;
}

export const EPISODE_TYPES = ['full', 'trailer', 'bonus'] as const;
export type EpisodeType = (typeof EPISODE_TYPES)[number];

/** What a podcast feed says of an episode (itunes: and podcast: item tags). */
export interface EpisodeInfo {
  durationSeconds?: number;
  episode?: number;
  season?: number;
  episodeType?: EpisodeType;
  explicit?: boolean;
  transcripts?: Transcript[];
  /** Podcasting 2.0 JSON chapters file. */
  chapters?: string;
}

/** What a feed shows of one article. */
export interface FeedItem {
  id: string;
  title: string;
  /** The article's own page: on the site, or its `link` when the site has no article pages. */
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
  /** The item in other languages, by language; never itself. */
  translations?: Translation[];
  /** The body's first paragraph, for summary feeds, when the article has no summary. */
  excerpt?: { html: string; text: string };
  enclosures?: Enclosure[];
  episode?: EpisodeInfo;
}

/** `summary`: items carry the summary (or the first paragraph) and a link, not the body. */
export const CONTENT_MODES = ['full', 'summary'] as const;
export type ContentMode = (typeof CONTENT_MODES)[number];

export const PODCAST_TYPES = ['episodic', 'serial'] as const;
export type PodcastType = (typeof PODCAST_TYPES)[number];

/** A podcast's channel: what Apple Podcasts requires and the main Podcasting 2.0 tags. */
export interface PodcastChannel {
  /** The show's name, when it is not its section's title (which is its feeds' title: site/snapshot.ts). */
  title?: string;
  /** The show's cover: `itunes:image`, and the RSS channel's `<image>`. */
  image: string;
  categories: PodcastCategory[];
  explicit: boolean;
  author: string;
  owner?: { name: string; email: string };
  type: PodcastType;
  /** Podcasting 2.0 `podcast:guid`, a UUID. */
  guid: string;
  locked: boolean;
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
  items: readonly Item[];
  content: ContentMode;
  /** Square, small: Atom icon, JSON Feed favicon. */
  icon?: string;
  /** Larger: Atom logo, JSON Feed icon, RSS image (else the icon). */
  logo?: string;
  /** Only in a podcast's feeds. */
  podcast?: PodcastChannel;
}

/** What an item's entry depends on besides the item: entries are cached by it (entries.ts). */
export interface ItemStyle {
  content: ContentMode;
  /** The feed's language (an Atom entry in another one says so). */
  language: string;
  /** Podcast feeds add the itunes: and podcast: item tags. */
  podcast: boolean;
}

export function itemStyle(feed: FeedDocument): ItemStyle {
  return { content: feed.content, language: feed.language, podcast: feed.podcast !== undefined };
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
/** Media RSS: RSS items' enclosures and images, Atom entries' lead image. */
export const MEDIA_RSS_NS = 'http://search.yahoo.com/mrss/';
