/** FeedDocument -> RSS 2.0, with atom:link for self, paging (RFC 5005) and WebSub hub. */
import { formatRfc2822 } from '../time/index.js';
import type { Chunk } from './chunks.js';
import { FEED_HISTORY_NS, GENERATOR, feedLinks, type FeedDocument, type FeedItem } from './document.js';
import { XML_DECLARATION, element, emptyElement, escapeHtml, escapeText, stylesheetInstruction } from './xml.js';

const NAMESPACES =
  'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
  'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/"';

/**
 * One item as parts to be joined, `escapedHtml` (the article's HTML, XML-escaped) among them by
 * reference, so that a cached item shares the article's body instead of copying it.
 */
export function rssItemParts<C extends Chunk>(item: FeedItem, escapedHtml: C): Array<string | C> {
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
  const tail = `</content:encoded>${item.image ? emptyElement('media:content', { url: item.image, medium: 'image' }) : ''}</item>\n`;
  // <description> is HTML to readers: a plain-text summary is escaped so that it stays text.
  if (item.summary !== undefined) {
    return [`${head}${element('description', escapeHtml(item.summary))}<content:encoded>`, escapedHtml, tail];
  }
  return [`${head}<description>`, escapedHtml, '</description><content:encoded>', escapedHtml, tail];
}

export function renderRss(feed: FeedDocument, itemParts: (item: FeedItem) => readonly Chunk[] = (item) => rssItemParts(item, escapeText(item.html))): Chunk[] {
  const { links } = feed;
  const parts: Chunk[] = [
    XML_DECLARATION +
    stylesheetInstruction(links.stylesheet) +
    `<rss version="2.0" ${NAMESPACES}${feed.archive ? ` xmlns:fh="${FEED_HISTORY_NS}"` : ''}>\n<channel>\n` +
    element('title', feed.title) +
    element('link', links.html) +
    element('description', feed.description) +
    element('language', feed.language) +
    element('lastBuildDate', formatRfc2822(feed.updated)) +
    element('generator', GENERATOR) +
    element('docs', 'https://www.rssboard.org/rss-specification') +
    element('ttl', String(feed.ttlMinutes)) +
    feedLinks(links).map(([rel, href]) => emptyElement('atom:link', { href, rel, type: 'application/rss+xml' })).join('') +
    (links.hub ? emptyElement('atom:link', { href: links.hub, rel: 'hub' }) : '') +
    (feed.archive ? '<fh:archive/>' : '') +
    '\n',
  ];
  for (const item of feed.items) parts.push(...itemParts(item));
  parts.push('</channel>\n</rss>\n');
  return parts;
}
