/**
 * Every feed of a rendered site, validated and parsed back by real feed parsers, field by field
 * against the ArticleData it was made from.
 *
 * Parsers: RSS and Atom by @rowanmanning/feed-parser and by feedsmith, JSON Feed by feedsmith.
 * @rowanmanning/feed-parser trims every text and then decodes HTML entities in it a second time
 * (so a title written as `AT&amp;T` reads back as `AT&T`); its values are compared with the
 * expected text put through the same two steps (`asRowanmanningReads`). feedsmith returns text
 * exactly as the XML says it, but trims HTML content and leaves out empty elements.
 */
import { parseFeed as rowanmanningParse } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import type { ArticleData } from '../../src/content/model.js';
import type { FeedDocument } from '../../src/feeds/document.js';
import type { FeedFormat } from '../../src/feeds/formats.js';
import { mediaTypeOfUrl } from '../../src/feeds/media-types.js';
import { ITUNES_NAMESPACE, PODCAST_NAMESPACE } from '../../src/feeds/rss.js';
import { escapeHtml } from '../../src/feeds/xml.js';
import { buildFeedDocument } from '../../src/site/feed-document.js';
import { formatRfc2822, formatRfc3339, type OffsetInstant } from '../../src/time/index.js';
import type { FeedResource, RenderedSite } from './site.js';
import { atomProblems, jsonFeedProblems, parseRfc3339, parseRfc822, rssProblems, xmlProblems } from './validators.js';
import { childElement, childElements, parseXml, textContent, type XmlElement } from './xml.js';

const DC_NS = 'http://purl.org/dc/elements/1.1/';

/** The parts of feedsmith's parse results these checks read (parsing yields strings, not Dates). */
interface Text {
  value?: string;
}
interface Link {
  href?: string;
  rel?: string;
  hreflang?: string;
  type?: string;
  length?: number;
  title?: string;
}
interface ParsedJson {
  title?: string;
  icon?: string;
  favicon?: string;
  feed_url?: string;
  home_page_url?: string;
  next_url?: string;
  language?: string;
  items?: Array<{
    id?: string;
    url?: string;
    title?: string;
    summary?: string;
    content_html?: string;
    content_text?: string;
    image?: string;
    attachments?: unknown[];
    date_published?: string;
    date_modified?: string;
    authors?: Array<{ name?: string }>;
    tags?: string[];
    language?: string;
  }>;
}
interface ParsedRss {
  title?: string;
  image?: { url?: string; title?: string; link?: string };
  itunes?: unknown;
  podcast?: unknown;
  link?: string;
  description?: string;
  language?: string;
  lastBuildDate?: string;
  atom?: { links?: Link[] };
  items?: Array<{
    title?: string;
    link?: string;
    description?: string;
    guid?: { value?: string; isPermaLink?: boolean };
    pubDate?: string;
    authors?: unknown[];
    dc?: { creators?: string[] };
    categories?: Array<{ name?: string }>;
    content?: { encoded?: string };
    enclosures?: unknown[];
    media?: { contents?: Array<Record<string, unknown>> };
    itunes?: unknown;
    podcast?: unknown;
  }>;
}
interface ParsedAtom {
  id?: string;
  icon?: string;
  logo?: string;
  title?: Text;
  updated?: string;
  xml?: { lang?: string };
  links?: Link[];
  entries?: Array<{
    id?: string;
    title?: Text;
    links?: Link[];
    published?: string;
    updated?: string;
    authors?: Array<{ name?: string; email?: string }>;
    categories?: Array<{ term?: string }>;
    summary?: Text;
    content?: Text;
    xml?: { lang?: string };
    media?: { thumbnails?: Array<{ url?: string }> };
  }>;
}

const textarea = parseFragment('<textarea></textarea>').childNodes[0] as DefaultTreeAdapterTypes.Element;

/** What @rowanmanning/feed-parser makes of a text: trimmed, then HTML character references decoded. */
export function asRowanmanningReads(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.includes('&')) return trimmed;
  // A textarea's content is RCDATA: character references are decoded, "<" stays text.
  return parseFragment(textarea, trimmed, {})
    .childNodes.map((n) => ('value' in n ? n.value : ''))
    .join('');
}

/** Seconds resolution, as RFC 822 dates have. */
const toSeconds = (ms: number) => Math.floor(ms / 1000) * 1000;
const changed = (a: ArticleData) => a.updated ?? a.published;
const newest = (items: readonly ArticleData[]): OffsetInstant | undefined =>
  items.reduce<OffsetInstant | undefined>((n, a) => (!n || changed(a).epochMs > n.epochMs ? changed(a) : n), undefined);

/** What a summary feed shows of an article: its summary, else its first paragraph. */
const summaryText = (a: ArticleData) => a.summary ?? a.excerpt?.text;

/** The RSS <description>: the summary as HTML-escaped text, else the body (full) or its first paragraph (summary). */
function rssDescription(doc: FeedDocument, a: ArticleData): string | undefined {
  if (a.summary !== undefined) return escapeHtml(a.summary);
  return doc.content === 'full' ? a.html.trim() : a.excerpt?.html;
}

/**
 * Every file an item links as media: its enclosures, then in RSS its image (Media RSS
 * `media:content`). Atom carries the image as a `media:thumbnail`, which readers show as the
 * entry's picture, not as an attachment.
 */
function mediaOf(a: ArticleData, format: FeedFormat = 'rss'): Array<{ url: string; type?: string; length?: number; title?: string; duration?: number }> {
  const enclosures = (a.enclosures ?? []).map((e) => ({ url: e.url, type: e.type, length: e.length, title: e.title, duration: e.durationSeconds }));
  return a.image && format === 'rss' ? [...enclosures, { url: a.image, type: mediaTypeOfUrl(a.image) }] : enclosures;
}

/** RSS 2.0's channel image: the logo, else the icon, whichever is a GIF, JPEG or PNG. */
function rssImage(doc: FeedDocument): string | undefined {
  return [doc.logo, doc.icon].find((url) => url !== undefined && /^image\/(gif|jpeg|png)$/.test(mediaTypeOfUrl(url) ?? ''));
}

/** What feedsmith reads of the itunes: and podcast: item tags of a podcast feed. */
function expectedEpisode(a: ArticleData): { itunes?: object; podcast?: object } {
  const e = a.episode ?? {};
  const itunes = { duration: e.durationSeconds ?? a.enclosures?.[0]?.durationSeconds, explicit: e.explicit, episode: e.episode, season: e.season, episodeType: e.episodeType };
  const podcast = { transcripts: e.transcripts, chapters: e.chapters ? { url: e.chapters, type: 'application/json+chapters' } : undefined };
  const defined = (o: object) => (Object.values(o).some((v) => v !== undefined) ? o : undefined);
  return { itunes: defined(itunes), podcast: defined(podcast) };
}

/** The itunes: and podcast: channel tags as feedsmith reads them. */
function expectedChannel(doc: FeedDocument): { itunes?: object; podcast?: object } {
  const p = doc.podcast;
  if (!p) return {};
  const categories: Array<{ text: string; categories?: Array<{ text: string }> }> = [];
  for (const { text, subcategory } of p.categories) {
    let category = categories.find((c) => c.text === text);
    if (!category) categories.push((category = { text }));
    if (subcategory) (category.categories ??= []).push({ text: subcategory });
  }
  return {
    itunes: { image: p.image, explicit: p.explicit, author: p.author, type: p.type, categories, owner: p.owner },
    podcast: { locked: { value: p.locked, owner: p.owner?.email }, guid: p.guid },
  };
}

/** Keys in a fixed order, so that objects compare by content. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]));
}

interface Mismatch {
  (what: string, actual: unknown, expected: unknown): void;
}

function comparer(problems: string[], where: string): Mismatch {
  return (what, actual, expected) => {
    const same = JSON.stringify(actual) === JSON.stringify(expected);
    if (!same) problems.push(`${where}: ${what} is ${short(actual)}, expected ${short(expected)}`);
  };
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

export interface RoundTripOptions {
  /**
   * Also compare RSS authors as both parsers split `e-mail (name)` and dc:creator apart. Off for
   * generated names: both guess e-mail addresses, URLs and brackets from the words of a name (and
   * feedsmith decodes entities in it once more); the element text itself is always compared.
   */
  parsedRssAuthors?: boolean;
}

/** Validates one feed and compares what both parsers read with the snapshot's items. */
export function feedRoundTripProblems(site: RenderedSite, feed: FeedResource, options: RoundTripOptions = {}): string[] {
  const { scope, format, archive } = feed.resource;
  const doc = buildFeedDocument(site.snapshot, scope, format, archive);
  const expected = doc.items;
  const body = feed.rendered.body;
  const problems: string[] = [];
  const at = (where: string) => comparer(problems, `${feed.path} ${where}`);

  // Newest first by date, ties by id (the snapshot's documented order).
  for (let i = 1; i < expected.length; i++) {
    const [a, b] = [expected[i - 1] as ArticleData, expected[i] as ArticleData];
    if (a.published.epochMs < b.published.epochMs) problems.push(`${feed.path}: item ${i + 1} is newer than item ${i}`);
  }
  const title = site.snapshot.feedTitle(scope);
  // The newest change among the document's items; an empty one shows the site's newest.
  const updated = newest(expected) ?? newest(site.snapshot.root.items) ?? { epochMs: 0, offsetSeconds: 0 };
  if (updated.epochMs !== doc.updated.epochMs) problems.push(`${feed.path}: feed updated ${formatRfc3339(doc.updated)} is not the newest change ${formatRfc3339(updated)}`);

  if (format === 'json') {
    problems.push(...jsonFeedProblems(body, doc.links.self).map((p) => `${feed.path}: ${p}`));
    let parsed: ParsedJson;
    try {
      parsed = parseJsonFeed(JSON.parse(body)) as unknown as ParsedJson;
    } catch (error) {
      return [...problems, `${feed.path}: feedsmith cannot parse it: ${String(error)}`];
    }
    const check = at('(feedsmith)');
    check('title', parsed.title, title);
    check('feed_url', parsed.feed_url, doc.links.self);
    check('home_page_url', parsed.home_page_url, doc.links.html);
    check('language', parsed.language, scope.language);
    check('next_url', parsed.next_url, doc.links.prevArchive);
    check('icon', parsed.icon, doc.logo);
    check('favicon', parsed.favicon, doc.icon);
    const items = parsed.items ?? [];
    check('item count', items.length, expected.length);
    // The translations extension, as the JSON says it (feedsmith keeps only what the spec names).
    const raw = (JSON.parse(body) as { items: Array<{ _translations?: unknown }> }).items;
    expected.forEach((a, i) => {
      const item = items[i];
      const c = at(`item ${i + 1} (feedsmith)`);
      c('_translations', raw[i]?._translations, a.translations ? Object.fromEntries(a.translations.map((t) => [t.language, { url: t.url, title: t.title }])) : undefined);
      c('id', item?.id, a.id);
      c('title', item?.title, a.title);
      c('url', item?.url, a.link);
      c('date_published', parseRfc3339(item?.date_published ?? ''), a.published.epochMs);
      c('date_published text', item?.date_published, formatRfc3339(a.published));
      c('date_modified', parseRfc3339(item?.date_modified ?? ''), changed(a).epochMs);
      c('authors', (item?.authors ?? []).map((p) => p.name), a.authors.map((p) => p.name));
      c('tags', item?.tags ?? [], a.tags);
      if (doc.content === 'full') {
        c('summary', item?.summary, a.summary);
        c('content_html', item?.content_html ?? '', a.html.trim());
        c('content_text', item?.content_text, undefined);
      } else {
        c('summary', item?.summary, summaryText(a) || undefined);
        c('content_html (none in a summary feed)', item?.content_html, undefined);
        c('content_text', item?.content_text ?? '', summaryText(a) ?? '');
      }
      const attachments = (a.enclosures ?? []).map((e) => ({ url: e.url, mime_type: e.type, title: e.title, size_in_bytes: e.length, duration_in_seconds: e.durationSeconds }));
      c('attachments', sorted(item?.attachments ?? []), sorted(attachments));
      c('image', item?.image, a.image);
      c('language', item?.language, a.language);
    });
    return problems;
  }

  problems.push(...xmlProblems(body).map((p) => `${feed.path}: ${p}`));
  if (problems.length > 0) return problems;
  const validity = format === 'rss' ? rssProblems(body, doc.links.self) : atomProblems(body, doc.links.self);
  problems.push(...validity.map((p) => `${feed.path}: ${p}`));

  // @rowanmanning/feed-parser
  let rm: ReturnType<typeof rowanmanningParse>;
  try {
    rm = rowanmanningParse(body);
  } catch (error) {
    return [...problems, `${feed.path}: @rowanmanning/feed-parser cannot parse it: ${String(error)}`];
  }
  const rmCheck = at('(@rowanmanning/feed-parser)');
  rmCheck('title', rm.title, asRowanmanningReads(title));
  rmCheck('self', rm.self, doc.links.self);
  rmCheck('url', rm.url, doc.links.html);
  rmCheck('language', rm.language, scope.language);
  rmCheck('updated', rm.updated?.getTime(), format === 'rss' ? toSeconds(updated.epochMs) : updated.epochMs);
  rmCheck('item count', rm.items.length, expected.length);
  rmCheck('image', rm.image?.url, format === 'rss' ? (rssImage(doc) ?? doc.podcast?.image) : (doc.logo ?? doc.icon));
  expected.forEach((a, i) => {
    const item = rm.items[i];
    const c = at(`item ${i + 1} (@rowanmanning/feed-parser)`);
    c('id', item?.id, asRowanmanningReads(a.id));
    c('title', item?.title, asRowanmanningReads(a.title));
    c('url', item?.url, a.link);
    c('published', item?.published?.getTime(), format === 'rss' ? toSeconds(a.published.epochMs) : a.published.epochMs);
    if (format === 'atom') c('updated', item?.updated?.getTime(), changed(a).epochMs);
    // Atom terms are attributes, which it does not decode a second time.
    // An RSS item without categories gets the feed's from this parser, the podcast's itunes:category among them.
    const itunesCategories = (doc.podcast?.categories ?? []).map((cat) => (cat.subcategory ? `${cat.text}/${cat.subcategory}` : cat.text));
    const tags = format === 'rss' && a.tags.length === 0 ? itunesCategories : a.tags;
    c('categories', item?.categories.map((t) => t.term), format === 'atom' ? tags : tags.map(asRowanmanningReads));
    if (doc.content === 'full' && a.html.trim() !== '' && !item?.content) problems.push(`${feed.path} item ${i + 1} (@rowanmanning/feed-parser): content missing`);
    if (doc.content === 'summary') c('content (none in a summary feed)', item?.content, null);
    // RSS lists the first enclosure once, as <enclosure> and as media:content; the parser keeps one.
    c('media urls', item?.media.map((m) => m.url), mediaOf(a, format).map((m) => m.url));
    c('media types', item?.media.map((m) => m.mimeType), mediaOf(a, format).map((m) => m.type ?? null));
    c('media lengths', item?.media.map((m) => m.length), mediaOf(a, format).map((m) => m.length ?? null));
    if (format === 'atom') {
      c('media titles', item?.media.map((m) => m.title), mediaOf(a, format).map((m) => m.title ?? null));
      // The entry's picture: an image enclosure if it has one, else its image.
      const imageEnclosure = a.enclosures?.find((e) => e.type.startsWith('image/'))?.url;
      c('image', item?.image?.url ?? null, imageEnclosure ?? a.image ?? null);
    }
    if (format === 'atom') {
      // An entry without authors has the feed's: the site's, or the site title when it has none.
      const settings = site.data.site;
      const authors = a.authors.length > 0 ? a.authors : settings.authors.length > 0 ? settings.authors : [{ name: settings.title }];
      c('authors', item?.authors.map((p) => p.name), authors.map((p) => asRowanmanningReads(p.name)));
    } else if (options.parsedRssAuthors) c('authors', item?.authors.map((p) => p.name), a.authors.map((p) => p.name));
  });

  // feedsmith
  if (format === 'rss') {
    let fs: ParsedRss;
    try {
      fs = parseRssFeed(body) as unknown as ParsedRss;
    } catch (error) {
      return [...problems, `${feed.path}: feedsmith cannot parse it: ${String(error)}`];
    }
    const check = at('(feedsmith)');
    check('title', fs.title, title);
    check('link', fs.link, doc.links.html);
    check('description', fs.description, doc.description);
    check('language', fs.language, scope.language);
    check('lastBuildDate', fs.lastBuildDate, formatRfc2822(updated));
    check('self', fs.atom?.links?.find((l) => l.rel === 'self')?.href, doc.links.self);
    check('prev-archive', fs.atom?.links?.find((l) => l.rel === 'prev-archive')?.href, doc.links.prevArchive);
    const image = rssImage(doc);
    check('image', fs.image, image === undefined ? undefined : { url: image, title, link: doc.links.html });
    const channel = expectedChannel(doc);
    check('itunes: channel tags', sorted(fs.itunes), sorted(channel.itunes));
    check('podcast: channel tags', sorted(fs.podcast), sorted(channel.podcast));
    const root = parseXml(body);
    check('xmlns:itunes', root.attributes.get('xmlns:itunes'), doc.podcast ? ITUNES_NAMESPACE : undefined);
    check('xmlns:podcast', root.attributes.get('xmlns:podcast'), doc.podcast ? PODCAST_NAMESPACE : undefined);
    const items = fs.items ?? [];
    check('item count', items.length, expected.length);
    const elements = childElements(childElement(parseXml(body), '', 'channel') as XmlElement, '', 'item');
    expected.forEach((a, i) => {
      const item = items[i];
      const element = elements[i];
      const c = at(`item ${i + 1} (feedsmith)`);
      const withEmail = a.authors.find((p) => p.email);
      const authorElement = element && childElement(element, '', 'author');
      c('<author> text', authorElement && textContent(authorElement), withEmail ? `${withEmail.email} (${withEmail.name})` : undefined);
      c('<dc:creator> texts', element ? childElements(element, DC_NS, 'creator').map(textContent) : [], a.authors.filter((p) => p !== withEmail).map((p) => p.name));
      c('guid', item?.guid?.value, a.id);
      c('guid isPermaLink', item?.guid?.isPermaLink, a.id === a.url);
      c('title', item?.title, a.title);
      c('link', item?.link, a.link);
      c('pubDate', parseRfc822(item?.pubDate ?? ''), toSeconds(a.published.epochMs));
      c('pubDate text', item?.pubDate, formatRfc2822(a.published));
      if (options.parsedRssAuthors) {
        c('author', item?.authors ?? [], withEmail ? [{ email: withEmail.email, name: withEmail.name }] : []);
        c('dc:creator', item?.dc?.creators ?? [], a.authors.filter((p) => p !== withEmail).map((p) => p.name));
      }
      c('categories', (item?.categories ?? []).map((t) => t.name), a.tags);
      c('description', item?.description ?? '', rssDescription(doc, a) ?? '');
      c('content:encoded', item?.content?.encoded, doc.content === 'full' ? a.html.trim() || undefined : undefined);
      const [first] = a.enclosures ?? [];
      c('enclosure', item?.enclosures ?? [], first ? [{ url: first.url, length: first.length, type: first.type }] : []);
      const media = mediaOf(a).map((m) => (m.length === undefined ? { url: m.url, type: m.type, medium: 'image' } : { url: m.url, fileSize: m.length, type: m.type, medium: m.type?.split('/')[0], duration: m.duration }));
      c('media:content', sorted((item?.media?.contents ?? []).map(({ url, fileSize, type, medium, duration }) => ({ url, fileSize, type, medium, duration }))), sorted(media));
      const episode = doc.podcast ? expectedEpisode(a) : {};
      c('itunes: item tags', sorted(item?.itunes), sorted(episode.itunes));
      c('podcast: item tags', sorted(item?.podcast), sorted(episode.podcast));
    });
  } else {
    let fs: ParsedAtom;
    try {
      fs = parseAtomFeed(body) as unknown as ParsedAtom;
    } catch (error) {
      return [...problems, `${feed.path}: feedsmith cannot parse it: ${String(error)}`];
    }
    const check = at('(feedsmith)');
    check('title', fs.title?.value, title);
    check('id', fs.id, doc.links.current);
    check('updated', fs.updated, formatRfc3339(updated));
    check('xml:lang', fs.xml?.lang, scope.language);
    check('self', fs.links?.find((l) => l.rel === 'self')?.href, doc.links.self);
    check('prev-archive', fs.links?.find((l) => l.rel === 'prev-archive')?.href, doc.links.prevArchive);
    check('icon', fs.icon, doc.icon);
    check('logo', fs.logo, doc.logo);
    const entries = fs.entries ?? [];
    check('entry count', entries.length, expected.length);
    expected.forEach((a, i) => {
      const entry = entries[i];
      const c = at(`entry ${i + 1} (feedsmith)`);
      c('id', entry?.id, a.id);
      c('title', entry?.title?.value, a.title);
      c('alternate', entry?.links?.find((l) => l.rel === 'alternate')?.href, a.link);
      c(
        'translations (alternate links with hreflang)',
        (entry?.links ?? []).filter((l) => l.rel === 'alternate' && l.hreflang !== undefined).map((l) => [l.hreflang, l.href, l.title]),
        (a.translations ?? []).map((t) => [t.language, t.url, t.title]),
      );
      c('published', entry?.published, formatRfc3339(a.published));
      c('published instant', parseRfc3339(entry?.published ?? ''), a.published.epochMs);
      c('updated', entry?.updated, formatRfc3339(changed(a)));
      c('authors', (entry?.authors ?? []).map((p) => p.name), a.authors.map((p) => p.name));
      c('author emails', (entry?.authors ?? []).map((p) => p.email), a.authors.map((p) => p.email));
      c('categories', (entry?.categories ?? []).map((t) => t.term), a.tags);
      c('summary', entry?.summary?.value, doc.content === 'full' ? a.summary : (a.summary ?? a.excerpt?.html));
      c('content', entry?.content?.value, doc.content === 'full' ? a.html.trim() || undefined : undefined);
      const enclosures = (entry?.links ?? []).filter((l) => l.rel === 'enclosure').map(({ href, type, length, title: t }) => ({ href, type, length, title: t }));
      c('enclosure links', sorted(enclosures), sorted(mediaOf(a, 'atom').map((m) => ({ href: m.url, type: m.type, length: m.length, title: m.title }))));
      c('thumbnails', entry?.media?.thumbnails?.map((t) => t.url), a.image ? [a.image] : undefined);
      c('xml:lang', entry?.xml?.lang, a.language === scope.language ? undefined : a.language);
    });
  }
  return problems;
}
