/**
 * FeedDocument -> Atom 1.0 (RFC 4287), with RFC 5005 paging links, a WebSub hub link, each
 * enclosure as a link rel="enclosure" and the lead image as a Media RSS thumbnail.
 */
import { formatRfc3339 } from '../time/index.js';
import type { Chunk } from './chunks.js';
import { FEED_HISTORY_NS, GENERATOR, MEDIA_RSS_NS, TOMBSTONES_NS, feedLinks, itemStyle, type FeedDocument, type FeedItem, type ItemStyle, type Person } from './document.js';
import { XML_DECLARATION, element, emptyElement, escapeText, stylesheetInstruction } from './xml.js';

function person(tag: 'author', p: Person): string {
  return `<${tag}>${element('name', p.name)}${element('email', p.email)}${element('uri', p.url)}</${tag}>`;
}

/**
 * Enclosures as `link rel="enclosure"` (files to download); the lead image as Media RSS's
 * `media:thumbnail`, the picture readers show with an entry, not an attachment.
 */
function enclosureLinks(item: FeedItem): string {
  return (
    (item.enclosures ?? []).map((e) => emptyElement('link', { rel: 'enclosure', type: e.type, length: String(e.length), title: e.title, href: e.url })).join('') +
    (item.image ? emptyElement('media:thumbnail', { url: item.image }) : '')
  );
}

/**
 * A summary feed's entry: the summary as text, or the first paragraph as HTML; no content (the
 * alternate link is what RFC 4287 then requires).
 */
function summaryOnly(item: FeedItem): string {
  if (item.summary !== undefined) return element('summary', item.summary, { type: 'text' });
  return element('summary', item.excerpt?.html, { type: 'html' });
}

/**
 * One entry as parts to be joined, sharing `escapedHtml` by reference (see rssItemParts); a
 * summary feed's entries do not use it. Its translations are further `alternate` links, each with
 * its `hreflang` (RFC 4287 4.2.7.4).
 */
export function atomEntryParts<C extends Chunk>(item: FeedItem, style: ItemStyle, escapedHtml: C): Array<string | C> {
  const lang = item.language === style.language ? '' : ` xml:lang="${item.language}"`;
  const head =
    `<entry${lang}>` +
      element('id', item.id) +
      element('title', item.title, { type: 'text' }) +
      emptyElement('link', { rel: 'alternate', type: 'text/html', href: item.link }) +
      (item.translations ?? []).map((t) => emptyElement('link', { rel: 'alternate', type: 'text/html', hreflang: t.language, title: t.title, href: t.url })).join('') +
      element('published', formatRfc3339(item.published)) +
      element('updated', formatRfc3339(item.updated ?? item.published)) +
      item.authors.map((a) => person('author', a)).join('') +
      item.tags.map((term) => emptyElement('category', { term })).join('');
  const tail = `${enclosureLinks(item)}</entry>\n`;
  if (style.content === 'summary') return [`${head}${summaryOnly(item)}${tail}`];
  return [`${head}${element('summary', item.summary, { type: 'text' })}<content type="html">`, escapedHtml, `</content>${tail}`];
}

export function renderAtom(
  feed: FeedDocument,
  entryParts: (item: FeedItem) => readonly Chunk[] = (item) => atomEntryParts(item, itemStyle(feed), escapeText(item.html)),
): Chunk[] {
  const { links } = feed;
  // Atom needs an author for every entry: the feed's stands in for entries without one.
  const authors = feed.authors.length > 0 ? feed.authors : [{ name: feed.siteTitle }];
  const parts: Chunk[] = [
    XML_DECLARATION +
    stylesheetInstruction(links.stylesheet) +
    `<feed xmlns="http://www.w3.org/2005/Atom"${feed.archive ? ` xmlns:fh="${FEED_HISTORY_NS}"` : ''}${feed.tombstones.length > 0 ? ` xmlns:at="${TOMBSTONES_NS}"` : ''}` +
    `${feed.items.some((item) => item.image !== undefined) ? ` xmlns:media="${MEDIA_RSS_NS}"` : ''} xml:lang="${feed.language}">\n` +
    element('id', links.current) +
    element('title', feed.title, { type: 'text' }) +
    element('subtitle', feed.description, { type: 'text' }) +
    element('updated', formatRfc3339(feed.updated)) +
    authors.map((a) => person('author', a)).join('') +
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: links.html }) +
    feedLinks(links).map(([rel, href]) => emptyElement('link', { rel, type: 'application/atom+xml', href })).join('') +
    (links.hub ? emptyElement('link', { rel: 'hub', href: links.hub }) : '') +
    element('generator', GENERATOR) +
    element('icon', feed.icon) +
    element('logo', feed.logo) +
    (feed.archive ? '<fh:archive/>' : '') +
    '\n' +
    feed.tombstones.map(({ id, deleted }) => `${emptyElement('at:deleted-entry', { ref: id, when: formatRfc3339(deleted) })}\n`).join(''),
  ];
  for (const item of feed.items) parts.push(...entryParts(item));
  parts.push('</feed>\n');
  return parts;
}
