/** FeedDocument -> Atom 1.0 (RFC 4287), with RFC 5005 paging links and a WebSub hub link. */
import { formatRfc3339 } from '../time/index.js';
import type { Chunk } from './chunks.js';
import { FEED_HISTORY_NS, GENERATOR, TOMBSTONES_NS, feedLinks, type FeedDocument, type FeedItem, type Person } from './document.js';
import { XML_DECLARATION, element, emptyElement, escapeText, stylesheetInstruction } from './xml.js';

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  avif: 'image/avif', svg: 'image/svg+xml',
};

function person(tag: 'author', p: Person): string {
  return `<${tag}>${element('name', p.name)}${element('email', p.email)}${element('uri', p.url)}</${tag}>`;
}

function imageType(url: string): string | undefined {
  const extension = /\.([A-Za-z0-9]+)$/.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return extension ? IMAGE_TYPES[extension] : undefined;
}

/** One entry as parts to be joined, sharing `escapedHtml` by reference (see rssItemParts). */
export function atomEntryParts<C extends Chunk>(item: FeedItem, feedLanguage: string, escapedHtml: C): Array<string | C> {
  const lang = item.language === feedLanguage ? '' : ` xml:lang="${item.language}"`;
  return [
    `<entry${lang}>` +
      element('id', item.id) +
      element('title', item.title, { type: 'text' }) +
      emptyElement('link', { rel: 'alternate', type: 'text/html', href: item.link }) +
      element('published', formatRfc3339(item.published)) +
      element('updated', formatRfc3339(item.updated ?? item.published)) +
      item.authors.map((a) => person('author', a)).join('') +
      item.tags.map((term) => emptyElement('category', { term })).join('') +
      element('summary', item.summary, { type: 'text' }) +
      '<content type="html">',
    escapedHtml,
    `</content>${item.image ? emptyElement('link', { rel: 'enclosure', type: imageType(item.image), href: item.image }) : ''}</entry>\n`,
  ];
}

export function renderAtom(
  feed: FeedDocument,
  entryParts: (item: FeedItem) => readonly Chunk[] = (item) => atomEntryParts(item, feed.language, escapeText(item.html)),
): Chunk[] {
  const { links } = feed;
  // Atom needs an author for every entry: the feed's stands in for entries without one.
  const authors = feed.authors.length > 0 ? feed.authors : [{ name: feed.siteTitle }];
  const parts: Chunk[] = [
    XML_DECLARATION +
    stylesheetInstruction(links.stylesheet) +
    `<feed xmlns="http://www.w3.org/2005/Atom"${feed.archive ? ` xmlns:fh="${FEED_HISTORY_NS}"` : ''}${feed.tombstones.length > 0 ? ` xmlns:at="${TOMBSTONES_NS}"` : ''} xml:lang="${feed.language}">\n` +
    element('id', links.current) +
    element('title', feed.title, { type: 'text' }) +
    element('subtitle', feed.description, { type: 'text' }) +
    element('updated', formatRfc3339(feed.updated)) +
    authors.map((a) => person('author', a)).join('') +
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: links.html }) +
    feedLinks(links).map(([rel, href]) => emptyElement('link', { rel, type: 'application/atom+xml', href })).join('') +
    (links.hub ? emptyElement('link', { rel: 'hub', href: links.hub }) : '') +
    element('generator', GENERATOR) +
    (feed.archive ? '<fh:archive/>' : '') +
    '\n' +
    feed.tombstones.map(({ id, deleted }) => `${emptyElement('at:deleted-entry', { ref: id, when: formatRfc3339(deleted) })}\n`).join(''),
  ];
  for (const item of feed.items) parts.push(...entryParts(item));
  parts.push('</feed>\n');
  return parts;
}
