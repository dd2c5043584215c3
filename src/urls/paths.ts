/**
 * The URL layout (CONTRACT "URLs"): the path of every scope, feed, article and fixed file. Paths
 * are site-relative and start with "/"; folder and file names may be any UTF-8 and are
 * percent-encoded segment by segment. routes.ts maps request paths back.
 */
import { FEED_FORMATS, FORMATS, type FeedFormat } from '../feeds/formats.js';

/**
 * What a feed covers. Every kind has its own subscription feeds and HTML page; adding a kind means
 * adding it here (its path), in routes.ts (its path back) and in the site snapshot (its items).
 */
export type ScopeRef = { kind: 'site' } | { kind: 'section'; section: readonly string[] };
export type ScopeKind = ScopeRef['kind'];

export const OPML_FILE = 'opml.xml';
export const FEED_STYLESHEET_FILE = 'feed.css';
export const PAGE_STYLESHEET_FILE = 'style.css';
export const ARCHIVE_SEGMENT = 'archive';
export const INDEX_HTML = 'index.html';
/** The top-level folder of the articles folder whose files are served as they are, at `/media/…`. */
export const MEDIA_SEGMENT = 'media';

/** Names a section folder or article slug cannot take, at any depth: they would collide with generated URLs. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ARCHIVE_SEGMENT, ...FEED_FORMATS.map((format) => FORMATS[format].file), OPML_FILE, FEED_STYLESHEET_FILE, PAGE_STYLESHEET_FILE, INDEX_HTML,
]);

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

/** `/media/podcast/episode-1.mp3` for the file articles/media/podcast/episode-1.mp3. */
export function mediaPath(path: readonly string[]): string {
  return `/${MEDIA_SEGMENT}/${path.map(encodeURIComponent).join('/')}`;
}

/** `/china/world/` -> `/china/world/index.html`: the file a static host serves for a path (still percent-encoded). */
export function servedFilePath(urlPath: string): string {
  return urlPath.endsWith('/') ? `${urlPath}${INDEX_HTML}` : urlPath;
}

/** The path part of a base URL, without trailing slash: "" or e.g. "/news". */
export function basePathOf(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/$/, '');
}
