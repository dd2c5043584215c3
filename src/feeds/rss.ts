/**
 * FeedDocument -> RSS 2.0, with atom:link for self, paging (RFC 5005) and WebSub hub, Media RSS
 * for images and enclosures, and in a podcast's feed the tags Apple Podcasts reads (itunes:) and
 * the main ones of the Podcasting 2.0 namespace (podcast:), whose namespaces only podcast feeds
 * declare.
 */
import { formatRfc2822 } from '../time/index.js';
import type { Chunk } from './chunks.js';
import { FEED_HISTORY_NS, GENERATOR, MEDIA_RSS_NS, feedLinks, itemStyle, type Enclosure, type FeedDocument, type FeedItem, type ItemStyle, type PodcastChannel } from './document.js';
import { mediaTypeOfUrl, mediumOf } from './media-types.js';
import { XML_DECLARATION, element, emptyElement, escapeHtml, escapeText, stylesheetInstruction } from './xml.js';

const NAMESPACES =
  'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
  `xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="${MEDIA_RSS_NS}"`;
export const ITUNES_NAMESPACE = 'http://www.itunes.com/dtds/podcast-1.0.dtd';
export const PODCAST_NAMESPACE = 'https://podcastindex.org/namespace/1.0';
const PODCAST_NAMESPACES = ` xmlns:itunes="${ITUNES_NAMESPACE}" xmlns:podcast="${PODCAST_NAMESPACE}"`;
const CHAPTERS_TYPE = 'application/json+chapters';
/** RSS 2.0: a channel's <image> is a GIF, JPEG or PNG. */
const RSS_IMAGE_TYPES: ReadonlySet<string | undefined> = new Set(['image/gif', 'image/jpeg', 'image/png']);

function mediaContent(enclosure: Enclosure): string {
  const attributes = {
    url: enclosure.url,
    fileSize: String(enclosure.length),
    type: enclosure.type,
    medium: mediumOf(enclosure.type),
    duration: enclosure.durationSeconds === undefined ? undefined : String(enclosure.durationSeconds),
  };
  return enclosure.title === undefined
    ? emptyElement('media:content', attributes)
    : `${emptyElement('media:content', attributes).slice(0, -2)}>${element('media:title', enclosure.title, { type: 'plain' })}</media:content>`;
}

/** The first enclosure as RSS <enclosure>, all of them (and the image) as Media RSS. */
function media(item: FeedItem): string {
  const enclosures = item.enclosures ?? [];
  const [first] = enclosures;
  return (
    (first ? emptyElement('enclosure', { url: first.url, length: String(first.length), type: first.type }) : '') +
    enclosures.map(mediaContent).join('') +
    (item.image ? emptyElement('media:content', { url: item.image, type: mediaTypeOfUrl(item.image), medium: 'image' }) : '')
  );
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const number = (value: number | undefined) => (value === undefined ? undefined : String(value));

function episodeTags(item: FeedItem): string {
  const episode = item.episode ?? {};
  const duration = episode.durationSeconds ?? item.enclosures?.[0]?.durationSeconds;
  return (
    element('itunes:duration', number(duration)) +
    element('itunes:episode', number(episode.episode)) +
    element('itunes:season', number(episode.season)) +
    element('itunes:episodeType', episode.episodeType) +
    element('itunes:explicit', episode.explicit === undefined ? undefined : String(episode.explicit)) +
    (episode.transcripts ?? []).map((t) => emptyElement('podcast:transcript', { url: t.url, type: t.type, language: t.language, rel: t.rel })).join('') +
    (episode.chapters ? emptyElement('podcast:chapters', { url: episode.chapters, type: CHAPTERS_TYPE }) : '')
  );
}

function channelPodcastTags(podcast: PodcastChannel): string {
  // Subcategories nest in their category, as Apple's example shows; categories keep their order.
  const nested = new Map<string, string[]>();
  for (const { text, subcategory } of podcast.categories) {
    const subcategories = nested.get(text) ?? [];
    if (subcategory !== undefined) subcategories.push(subcategory);
    nested.set(text, subcategories);
  }
  const categories = [...nested]
    .map(([text, subs]) =>
      subs.length === 0
        ? emptyElement('itunes:category', { text })
        : `${emptyElement('itunes:category', { text }).slice(0, -2)}>${subs.map((sub) => emptyElement('itunes:category', { text: sub })).join('')}</itunes:category>`,
    )
    .join('');
  const owner = podcast.owner;
  return (
    emptyElement('itunes:image', { href: podcast.image }) +
    categories +
    element('itunes:explicit', String(podcast.explicit)) +
    element('itunes:author', podcast.author) +
    (owner ? `<itunes:owner>${element('itunes:name', owner.name)}${element('itunes:email', owner.email)}</itunes:owner>` : '') +
    element('itunes:type', podcast.type) +
    element('podcast:guid', podcast.guid) +
    element('podcast:locked', yesNo(podcast.locked), { owner: owner?.email }) +
    '\n'
  );
}

/**
 * One item as parts to be joined, `escapedHtml` (the article's HTML, XML-escaped) among them by
 * reference, so that a cached item shares the article's body instead of copying it. A summary
 * feed's items carry no body: `escapedHtml` is then not used.
 */
export function rssItemParts<C extends Chunk>(item: FeedItem, style: ItemStyle, escapedHtml: C): Array<string | C> {
  // RSS <author> is an e-mail address; everyone else is named with dc:creator.
  const withEmail = item.authors.find((a) => a.email);
  const creators = item.authors.filter((a) => a !== withEmail);
  const head =
    '<item>' +
    element('title', item.title) +
    element('link', item.link) +
    element('guid', item.id, { isPermaLink: item.id === item.url ? 'true' : 'false' }) +
    element('pubDate', formatRfc2822(item.published)) +
    (withEmail ? element('author', `${withEmail.email} (${withEmail.name})`) : '') +
    creators.map((a) => element('dc:creator', a.name)).join('') +
    item.tags.map((tag) => element('category', tag)).join('');
  const tail = `${media(item)}${style.podcast ? episodeTags(item) : ''}</item>\n`;
  // <description> is HTML to readers: a plain-text summary is escaped so that it stays text.
  const summary = item.summary === undefined ? undefined : escapeHtml(item.summary);
  if (style.content === 'summary') return [`${head}${element('description', summary ?? item.excerpt?.html)}${tail}`];
  if (summary !== undefined) return [`${head}${element('description', summary)}<content:encoded>`, escapedHtml, `</content:encoded>${tail}`];
  return [`${head}<description>`, escapedHtml, '</description><content:encoded>', escapedHtml, `</content:encoded>${tail}`];
}

export function renderRss(
  feed: FeedDocument,
  itemParts: (item: FeedItem) => readonly Chunk[] = (item) => rssItemParts(item, itemStyle(feed), escapeText(item.html)),
): Chunk[] {
  const { links } = feed;
  const image = [feed.logo, feed.icon].find((url) => url !== undefined && RSS_IMAGE_TYPES.has(mediaTypeOfUrl(url)));
  const parts: Chunk[] = [
    XML_DECLARATION +
    stylesheetInstruction(links.stylesheet) +
    `<rss version="2.0" ${NAMESPACES}${feed.podcast ? PODCAST_NAMESPACES : ''}${feed.archive ? ` xmlns:fh="${FEED_HISTORY_NS}"` : ''}>\n<channel>\n` +
    element('title', feed.title) +
    element('link', links.html) +
    element('description', feed.description) +
    element('language', feed.language) +
    element('lastBuildDate', formatRfc2822(feed.updated)) +
    element('generator', GENERATOR) +
    element('docs', 'https://www.rssboard.org/rss-specification') +
    element('ttl', String(feed.ttlMinutes)) +
    // RSS 2.0: the image's title and link are the channel's.
    (image ? `<image>${element('url', image)}${element('title', feed.title)}${element('link', links.html)}</image>` : '') +
    feedLinks(links).map(([rel, href]) => emptyElement('atom:link', { href, rel, type: 'application/rss+xml' })).join('') +
    (links.hub ? emptyElement('atom:link', { href: links.hub, rel: 'hub' }) : '') +
    (feed.archive ? '<fh:archive/>' : '') +
    '\n' +
    (feed.podcast ? channelPodcastTags(feed.podcast) : ''),
  ];
  for (const item of feed.items) parts.push(...itemParts(item));
  parts.push('</channel>\n</rss>\n');
  return parts;
}
