/**
 * Sitemaps for search engines' crawlers: a sitemaps.org 0.9 `urlset` of pages with their `lastmod`
 * and lead image (Google's image extension 1.1), a `sitemapindex` of numbered sitemaps, and a
 * Google News sitemap (news extension 0.9). What is listed where is the site's business
 * (site/sitemaps.ts); this knows the syntax and the protocol's limits.
 */
import { formatRfc3339, formatUtc, type OffsetInstant } from '../time/index.js';
import { XML_DECLARATION, escapeText } from './xml.js';

export const SITEMAP_MEDIA_TYPE = 'application/xml';
export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const IMAGE_NS = 'http://www.google.com/schemas/sitemap-image/1.1';
export const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

/** sitemaps.org: at most 50,000 URLs and 50 MB (52,428,800 bytes, uncompressed) in one file. */
export const SITEMAP_MAX_URLS = 50_000;
export const SITEMAP_MAX_BYTES = 52_428_800;
/** A `loc` must be under 2,048 characters (sitemaps.org; the schema's maxLength is 2,048). */
export const MAX_LOC_LENGTH = 2047;
/** Google News: articles of the last two days, at most 1,000 in a news sitemap. */
export const NEWS_WINDOW_MS = 2 * 86_400_000;
export const NEWS_SITEMAP_MAX_URLS = 1000;

/** A page: its URL, when it last changed (epoch ms, whole seconds) and its lead image. */
export interface SitemapUrl {
  loc: string;
  lastmod?: number;
  image?: string;
}

/** A numbered sitemap as its index lists it. */
export interface SitemapRef {
  loc: string;
  lastmod?: number;
}

/** An article as a news sitemap lists it. */
export interface NewsUrl {
  loc: string;
  /** The publication it appears in (Google News matches the name), and its language as newsLanguage writes it. */
  publication: { name: string; language: string };
  /** Its `date`, in its own offset. */
  published: OffsetInstant;
  title: string;
}

const URLSET_OPEN = `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}" xmlns:image="${IMAGE_NS}">\n`;
const URLSET_CLOSE = '</urlset>\n';

/** Bytes a urlset takes besides its entries. */
export const URLSET_ENVELOPE_BYTES = URLSET_OPEN.length + URLSET_CLOSE.length;

/**
 * Whether a URL can be a `loc` (or `image:loc`): ASCII, as URL serialization leaves it, and under
 * 2,048 characters as written (`&` counted as `&amp;`), so that every entry has a bounded size.
 */
export function isListable(url: string): boolean {
  return escapeText(url).length <= MAX_LOC_LENGTH && /^[\x21-\x7e]*$/.test(url);
}

function lastmodElement(lastmod: number | undefined): string {
  return lastmod === undefined ? '' : `<lastmod>${formatUtc(lastmod)}</lastmod>`;
}

/** One `url` of a urlset, on a line of its own. Its URLs must be listable (isListable). */
export function urlEntry(url: SitemapUrl): string {
  const image = url.image === undefined ? '' : `<image:image><image:loc>${escapeText(url.image)}</image:loc></image:image>`;
  return `<url><loc>${escapeText(url.loc)}</loc>${lastmodElement(url.lastmod)}${image}</url>\n`;
}

/** The largest entry urlEntry can write: both URLs as long as they may be, a lastmod of four-digit year. */
export const MAX_URL_ENTRY_BYTES = urlEntry({ loc: 'x'.repeat(MAX_LOC_LENGTH), lastmod: Date.UTC(9999, 11, 31, 23, 59, 59), image: 'x'.repeat(MAX_LOC_LENGTH) }).length;

/** A urlset of `entries` (urlEntry's). */
export function renderUrlset(entries: readonly string[]): string {
  return `${URLSET_OPEN}${entries.join('')}${URLSET_CLOSE}`;
}

export function renderSitemapIndex(sitemaps: readonly SitemapRef[]): string {
  const entries = sitemaps.map((sitemap) => `<sitemap><loc>${escapeText(sitemap.loc)}</loc>${lastmodElement(sitemap.lastmod)}</sitemap>\n`);
  return `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n${entries.join('')}</sitemapindex>\n`;
}

/**
 * A Google News sitemap. With no article to list it is a urlset without `url` (the schema asks for
 * one at least): crawlers read it as empty, where a 404 would be an error for a sitemap robots.txt names.
 */
export function renderNewsSitemap(urls: readonly NewsUrl[]): string {
  const entries = urls.map(
    (url) =>
      `<url><loc>${escapeText(url.loc)}</loc><news:news><news:publication><news:name>${escapeText(url.publication.name)}</news:name>` +
      `<news:language>${url.publication.language}</news:language></news:publication>` +
      `<news:publication_date>${formatRfc3339(url.published)}</news:publication_date><news:title>${escapeText(url.title)}</news:title></news:news></url>\n`,
  );
  const body = entries.length > 0 ? entries.join('') : '<!-- no article dated within the last two days -->\n';
  return `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n${body}</urlset>\n`;
}

/**
 * A BCP 47 language tag as Google News writes languages: the ISO 639 code (two or three letters),
 * but `zh-cn` for Simplified and `zh-tw` for Traditional Chinese (`zh` alone is taken as
 * Simplified, the more common); `und` when the tag has no such code (`x-…` private tags).
 */
export function newsLanguage(tag: string): string {
  const subtags = tag.toLowerCase().split('-');
  const [language = ''] = subtags;
  if (language === 'zh') return subtags.includes('hant') || subtags.some((s) => s === 'tw' || s === 'hk' || s === 'mo') ? 'zh-tw' : 'zh-cn';
  return /^[a-z]{2,3}$/.test(language) ? language : 'und';
}
