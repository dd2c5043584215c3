/**
 * The route table: a request path -> what it names in the URL layout of paths.ts, before any look at
 * the site's content (whether that section or article exists is the snapshot's business).
 */
import { formatOfFile, type FeedFormat } from '../feeds/formats.js';
import {
  ARCHIVE_SEGMENT,
  COLLECTED_KINDS,
  COLLECTION_FOLDERS,
  FEED_STYLESHEET_FILE,
  MEDIA_SEGMENT,
  NEWS_SITEMAP_FILE,
  OPML_FILE,
  PAGE_STYLESHEET_FILE,
  ROBOTS_FILE,
  SITEMAP_FILE,
  SITE_SCOPE,
  sitemapPartOf,
  type CollectedKind,
  type OpmlRef,
  type ScopeRef,
} from './paths.js';

export type FixedFile = typeof FEED_STYLESHEET_FILE | typeof PAGE_STYLESHEET_FILE;
const FIXED_FILES: ReadonlySet<string> = new Set<FixedFile>([FEED_STYLESHEET_FILE, PAGE_STYLESHEET_FILE]);

export type Route =
  | { kind: 'index' }
  | { kind: 'file'; name: FixedFile }
  /** `archive`: the number of an RFC 5005 archive document; undefined for the subscription document. */
  | { kind: 'feed'; scope: ScopeRef; format: FeedFormat; archive?: number }
  /** A file of the media folder: the segments of its path (`media` first). */
  | { kind: 'media'; path: string[] }
  /** `<scope>/opml.xml` or `/tags/opml.xml`: which scopes have one, the site knows. */
  | { kind: 'opml'; of: OpmlRef }
  /** `/tags/`: the list of every scope of a kind. */
  | { kind: 'collection'; collection: CollectedKind; trailingSlash: boolean }
  /** `/sitemap.xml`, or with `part` the numbered sitemap `/sitemap-<part>.xml`: which exist, the site knows. */
  | { kind: 'sitemap'; part?: number }
  | { kind: 'news-sitemap' }
  | { kind: 'robots' }
  /** A scope's page or an article's page, `/a/b/`, or without the slash a file beside an article: which one, the site knows. */
  | { kind: 'page'; segments: string[]; trailingSlash: boolean }
  | { kind: 'redirect'; location: string }
  | RouteError;

/** 400: the path is not a well-formed path at all; 404: it is, but names nothing. */
export type RouteError = { kind: 'error'; status: 400 | 404; reason: string };

const ARCHIVE_NUMBER = /^[1-9][0-9]{0,8}$/;

/** The collected kind whose folder is this top-level name, if any. */
function collectionNamed(name: string | undefined): CollectedKind | undefined {
  return COLLECTED_KINDS.find((kind) => COLLECTION_FOLDERS[kind] === name);
}

/**
 * The scope whose page is at these decoded segments: `/tags/<slug>/` and the like are collected
 * scopes (no section can have those top-level names: they are reserved), anything else a section.
 */
export function scopeAt(segments: readonly string[]): ScopeRef {
  if (segments.length === 0) return SITE_SCOPE;
  const collected = segments.length === 2 ? collectionNamed(segments[0]) : undefined;
  if (collected) return { kind: collected, slug: segments[1] as string };
  return { kind: 'section', section: segments };
}

/** A raw (percent-encoded, site-relative) request path -> its route. */
export function routeOf(rawPath: string): Route {
  const parsed = parseRequestPath(rawPath);
  if (parsed.kind === 'error') return parsed;
  const { segments, trailingSlash } = parsed;
  if (segments.length === 0) return { kind: 'index' };
  const last = segments[segments.length - 1] as string;
  if (!trailingSlash) {
    if (segments.length === 1) {
      if (FIXED_FILES.has(last)) return { kind: 'file', name: last as FixedFile };
      const crawlerFile = crawlerRoute(last);
      if (crawlerFile) return crawlerFile;
    }
    if (segments.length > 1 && segments[0] === MEDIA_SEGMENT) return { kind: 'media', path: segments };
    const format = formatOfFile(last);
    if (format) return feedRoute(segments.slice(0, -1), format);
    if (last === OPML_FILE) return opmlRoute(segments.slice(0, -1));
  }
  const collection = segments.length === 1 ? collectionNamed(last) : undefined;
  if (collection) return { kind: 'collection', collection, trailingSlash };
  return { kind: 'page', segments, trailingSlash };
}

/** The files at the top of the site that crawlers read: robots.txt and the sitemaps. */
function crawlerRoute(file: string): Route | undefined {
  if (file === SITEMAP_FILE) return { kind: 'sitemap' };
  if (file === NEWS_SITEMAP_FILE) return { kind: 'news-sitemap' };
  if (file === ROBOTS_FILE) return { kind: 'robots' };
  const part = sitemapPartOf(file);
  if (part === undefined) return undefined;
  if (part === -1) return { kind: 'error', status: 404, reason: `"${file}" names no sitemap (they are numbered 1, 2, ...)` };
  return { kind: 'sitemap', part };
}

function opmlRoute(before: string[]): Route {
  const collection = before.length === 1 ? collectionNamed(before[0]) : undefined;
  return { kind: 'opml', of: collection ? { kind: 'collection', collection } : { kind: 'scope', scope: scopeAt(before) } };
}

function feedRoute(before: string[], format: FeedFormat): Route {
  const archiveAt = before.length - 2;
  if (before.length < 2 || before[archiveAt] !== ARCHIVE_SEGMENT) return { kind: 'feed', scope: scopeAt(before), format };
  const number = before[archiveAt + 1] as string;
  if (!ARCHIVE_NUMBER.test(number)) return { kind: 'error', status: 404, reason: `archive "${number}" is not an archive number (1, 2, ...)` };
  return { kind: 'feed', scope: scopeAt(before.slice(0, archiveAt)), format, archive: Number(number) };
}

export type PathParse = { kind: 'path'; segments: string[]; trailingSlash: boolean } | RouteError;

/**
 * Splits a raw (percent-encoded) request path into decoded segments. An encoded slash, a dot
 * segment, an empty segment or bad percent-encoding is refused: no resource has one.
 */
export function parseRequestPath(rawPath: string): PathParse {
  if (!rawPath.startsWith('/')) return { kind: 'error', status: 400, reason: 'path must start with "/"' };
  const trailingSlash = rawPath.endsWith('/');
  const body = rawPath.slice(1, trailingSlash ? -1 : undefined);
  if (body === '') return { kind: 'path', segments: [], trailingSlash: true };
  const segments: string[] = [];
  for (const raw of body.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'error', status: 400, reason: 'malformed percent-encoding in path' };
    }
    if (segment === '' || segment === '.' || segment === '..') return { kind: 'error', status: 404, reason: 'empty or dot segment in path' };
    if (segment.includes('/') || segment.includes('\\') || segment.includes('\0')) {
      return { kind: 'error', status: 404, reason: 'encoded slash or NUL in path' };
    }
    segments.push(segment.normalize('NFC'));
  }
  return { kind: 'path', segments, trailingSlash };
}
