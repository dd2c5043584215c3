/**
 * The URL layout (CONTRACT "URLs"), in one place: how sections, articles and feeds map to paths,
 * and how a request path maps back. Paths here are site-relative and start with "/"; folder and
 * file names may be any UTF-8 and are percent-encoded segment by segment.
 */

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_FILES: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
export const OPML_FILE = 'opml.xml';
export const FEED_STYLESHEET_FILE = 'feed.css';
export const PAGE_STYLESHEET_FILE = 'style.css';
export const PAGE_SEGMENT = 'page';

/** Names a section folder or article slug cannot take: they would collide with generated URLs. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  PAGE_SEGMENT, ...Object.values(FEED_FILES), OPML_FILE, FEED_STYLESHEET_FILE, PAGE_STYLESHEET_FILE, 'index.html',
]);

export function sectionKey(section: readonly string[]): string {
  return section.join('/');
}

function encodeSegments(segments: readonly string[]): string {
  return segments.map((s) => `${encodeURIComponent(s)}/`).join('');
}

/** `/china/world/`, or `/` for the whole site. */
export function sectionPath(section: readonly string[]): string {
  return `/${encodeSegments(section)}`;
}

export function articlePath(section: readonly string[], slug: string): string {
  return `${sectionPath(section)}${encodeURIComponent(slug)}/`;
}

/** Page 1 is the plain feed URL; older items live at `<section>/page/<n>/<file>`. */
export function feedPath(section: readonly string[], format: FeedFormat, page = 1): string {
  const paging = page === 1 ? '' : `${PAGE_SEGMENT}/${page}/`;
  return `${sectionPath(section)}${paging}${FEED_FILES[format]}`;
}

export function formatOfFile(file: string): FeedFormat | undefined {
  return FEED_FORMATS.find((format) => FEED_FILES[format] === file);
}

export type PathParse = { ok: true; segments: string[]; trailingSlash: boolean } | { ok: false; reason: string };

/**
 * Splits a raw (percent-encoded) request path into decoded segments. An encoded slash, a dot
 * segment, an empty segment or bad percent-encoding is refused: no resource has one.
 */
export function parseRequestPath(rawPath: string): PathParse {
  if (!rawPath.startsWith('/')) return { ok: false, reason: 'path must start with "/"' };
  const trailingSlash = rawPath.endsWith('/');
  const body = rawPath.slice(1, trailingSlash ? -1 : undefined);
  if (body === '') return { ok: true, segments: [], trailingSlash: true };
  const segments: string[] = [];
  for (const raw of body.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'malformed percent-encoding in path' };
    }
    if (segment === '' || segment === '.' || segment === '..') return { ok: false, reason: 'empty or dot segment in path' };
    if (segment.includes('/') || segment.includes('\\') || segment.includes('\0')) {
      return { ok: false, reason: 'encoded slash or NUL in path' };
    }
    segments.push(segment.normalize('NFC'));
  }
  return { ok: true, segments, trailingSlash };
}
