/**
 * The URL layout (CONTRACT "URLs"): the path of every scope, feed, article and fixed file. Paths
 * are site-relative and start with "/"; folder and file names may be any UTF-8 and are
 * percent-encoded segment by segment. routes.ts maps request paths back.
 */
import { FEED_FORMATS, FORMATS, type FeedFormat } from '../feeds/formats.js';

/** Kinds of scope that live in a top-level folder of their own: `/tags/<slug>/`. */
export const COLLECTED_KINDS = ['tag', 'author', 'edition'] as const;
export type CollectedKind = (typeof COLLECTED_KINDS)[number];

/** The top-level folder of each collected kind; it also holds the list page and its OPML. */
export const COLLECTION_FOLDERS: Readonly<Record<CollectedKind, string>> = { tag: 'tags', author: 'authors', edition: 'editions' };

/**
 * What a feed covers. Every kind has its own subscription feeds and HTML page; adding a kind means
 * adding it here (its path), in routes.ts (its path back) and in the site snapshot (its items).
 * A tag or an author is named by the slug of its name (`slugOf`), an edition by its key.
 */
export type ScopeRef =
  | { kind: 'site' }
  | { kind: 'section'; section: readonly string[] }
  | { kind: CollectedKind; slug: string };
export type ScopeKind = ScopeRef['kind'];

export const OPML_FILE = 'opml.xml';
export const FEED_STYLESHEET_FILE = 'feed.css';
export const PAGE_STYLESHEET_FILE = 'style.css';
export const ARCHIVE_SEGMENT = 'archive';
export const INDEX_HTML = 'index.html';
/** The top-level folder of the articles folder whose files are served as they are, at `/media/…`. */
export const MEDIA_SEGMENT = 'media';

/** Files at the top of the site for search engines' crawlers (sitemaps.org, Google News, RFC 9309). */
export const SITEMAP_FILE = 'sitemap.xml';
export const NEWS_SITEMAP_FILE = 'news-sitemap.xml';
export const ROBOTS_FILE = 'robots.txt';
/** `sitemap-<n>.xml`: the numbered sitemaps a sitemap index lists (n from 1, no leading zero). */
const SITEMAP_PART_FILE = /^sitemap-(\d+)\.xml$/;
const PART_NUMBER = /^[1-9][0-9]{0,8}$/;

/** Names a section folder or article slug cannot take, at any depth: they would collide with generated URLs. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ARCHIVE_SEGMENT, ...FEED_FORMATS.map((format) => FORMATS[format].file), OPML_FILE, FEED_STYLESHEET_FILE, PAGE_STYLESHEET_FILE, INDEX_HTML,
]);

/** Names a top-level folder or article cannot take: the collections' own folders, and the files for crawlers. */
const RESERVED_TOP_LEVEL_NAMES: ReadonlySet<string> = new Set([...Object.values(COLLECTION_FOLDERS), SITEMAP_FILE, NEWS_SITEMAP_FILE, ROBOTS_FILE]);

/**
 * Whether a top-level folder or article would collide with a generated URL: `/tags/…`, or a file
 * at the top such as `/sitemap.xml` or `/sitemap-3.xml` (a page `/sitemap.xml/` would be the static
 * build's folder of that name).
 */
export function isReservedTopLevelName(name: string): boolean {
  return RESERVED_TOP_LEVEL_NAMES.has(name) || SITEMAP_PART_FILE.test(name);
}

/**
 * `sitemap-3.xml` -> 3; undefined for another name. `sitemap-03.xml` is -1: a sitemap's name, but
 * no sitemap's (numbers are written without leading zeros).
 */
export function sitemapPartOf(file: string): number | undefined {
  const digits = SITEMAP_PART_FILE.exec(file)?.[1];
  if (digits === undefined) return undefined;
  return PART_NUMBER.test(digits) ? Number(digits) : -1;
}

/** `/sitemap.xml` (every page, or the index of the numbered sitemaps), or numbered sitemap `part`. */
export function sitemapPath(part?: number): string {
  return part === undefined ? `/${SITEMAP_FILE}` : `/sitemap-${part}.xml`;
}

export const SITE_SCOPE: ScopeRef = { kind: 'site' };

/** A folder path as one string: `china/world`; "" for the articles folder itself. */
export function sectionKey(section: readonly string[]): string {
  return section.join('/');
}

/** The decoded path segments of a scope's page: [] for the site. */
export function scopeSegments(scope: ScopeRef): readonly string[] {
  switch (scope.kind) {
    case 'site':
      return [];
    case 'section':
      return scope.section;
    case 'tag':
    case 'author':
    case 'edition':
      return [COLLECTION_FOLDERS[scope.kind], scope.slug];
  }
}

/** One key per scope, unique across kinds (the segments of its path). */
export function scopeKey(scope: ScopeRef): string {
  return sectionKey(scopeSegments(scope));
}

function encodeSegments(segments: readonly string[]): string {
  return segments.map((s) => `${encodeURIComponent(s)}/`).join('');
}

/** `/china/world/`, or `/` for the whole site. */
export function scopePath(scope: ScopeRef): string {
  return `/${encodeSegments(scopeSegments(scope))}`;
}

/** The collected kind of a scope, if it is one (a tag, an author, an edition). */
export function collectedKindOf(scope: ScopeRef): CollectedKind | undefined {
  return scope.kind === 'site' || scope.kind === 'section' ? undefined : scope.kind;
}

/** `/tags/`: the page listing every scope of a collected kind. */
export function collectionPath(kind: CollectedKind): string {
  return `/${encodeSegments([COLLECTION_FOLDERS[kind]])}`;
}

/** What an OPML document lists: the feeds of a scope (the site, an edition) or of a whole collection. */
export type OpmlRef = { kind: 'scope'; scope: ScopeRef } | { kind: 'collection'; collection: CollectedKind };

/** `/opml.xml`, `/editions/<key>/opml.xml`, `/tags/opml.xml`. */
export function opmlPath(ref: OpmlRef): string {
  return `${ref.kind === 'scope' ? scopePath(ref.scope) : collectionPath(ref.collection)}${OPML_FILE}`;
}

export function articlePath(section: readonly string[], slug: string): string {
  return `/${encodeSegments(section)}${encodeURIComponent(slug)}/`;
}

/**
 * The subscription document `<scope>/<file>`, or with `archive` the RFC 5005 archive document
 * `<scope>/archive/<K>/<file>` (1 = the oldest).
 */
export function feedPath(scope: ScopeRef, format: FeedFormat, archive?: number): string {
  const archiveSegments = archive === undefined ? '' : `${ARCHIVE_SEGMENT}/${archive}/`;
  return `${scopePath(scope)}${archiveSegments}${FORMATS[format].file}`;
}

/**
 * The URL path of a file served as it is, from its segments: `/media/podcast/episode-1.mp3` for
 * articles/media/podcast/episode-1.mp3, `/news/harbour-reopens/harbour.jpg` for the file beside
 * news/harbour-reopens.md (its page bundle).
 */
export function mediaPath(path: readonly string[]): string {
  return `/${path.map(encodeURIComponent).join('/')}`;
}

/**
 * The article whose page bundle holds the file at these segments: the folder beside the article
 * named by its slug holds it, directly (`<section…>/<slug>/<name>`). Undefined for the files of
 * the media folder, which are the site's.
 */
export function bundleOwner(path: readonly string[]): { section: readonly string[]; slug: string } | undefined {
  if (path.length < 2 || path[0] === MEDIA_SEGMENT) return undefined;
  return { section: path.slice(0, -2), slug: path[path.length - 2] as string };
}

/** `/china/world/` -> `/china/world/index.html`: the file a static host serves for a path (still percent-encoded). */
export function servedFilePath(urlPath: string): string {
  return urlPath.endsWith('/') ? `${urlPath}${INDEX_HTML}` : urlPath;
}

/** The path part of a base URL, without trailing slash: "" or e.g. "/news". */
export function basePathOf(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/$/, '');
}

/** Letters, combining marks and digits of any script: what a slug keeps. */
const SLUG_WORD = /[\p{L}\p{M}\p{N}]+/gu;
/** A slug is one path segment, and a folder name in a static build: file systems allow 255 bytes. */
const MAX_SLUG_BYTES = 200;

/**
 * The URL segment of a tag or an author: the name in Unicode NFC (so that `Café` typed composed or
 * decomposed is one tag; not NFKC, which would also fold `²` into `2` and full-width letters into
 * ASCII), lower-cased by the Unicode rules with no regard to any locale (`toLowerCase`, never
 * `toLocaleLowerCase`: a Turkish host must not make `I` into `ı`), and every run of anything but
 * letters, marks and digits (spaces, punctuation, symbols) made one `-`, none at either end. Any
 * script is kept: `中国` stays `中国` (percent-encoded in URLs), `Café` becomes `café`,
 * `Daylight  Saving-Time!` becomes `daylight-saving-time`. At most 200 bytes of UTF-8, cut at a
 * character. "" when nothing is left (a tag of only punctuation or emoji has no feed).
 */
export function slugOf(name: string): string {
  const words = name.normalize('NFC').toLowerCase().normalize('NFC').match(SLUG_WORD);
  if (!words) return '';
  let slug = words.join('-');
  if (utf8Length(slug) > MAX_SLUG_BYTES) {
    let bytes = 0;
    let cut = 0;
    for (const character of slug) {
      bytes += utf8Length(character);
      if (bytes > MAX_SLUG_BYTES) break;
      cut += character.length;
    }
    slug = slug.slice(0, cut).replace(/-+$/, '');
  }
  return slug;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
