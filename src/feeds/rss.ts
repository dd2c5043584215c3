/** FeedDocument -> RSS 2.0, with atom:link for self, paging (RFC 5005) and WebSub hub. */
import type { ArticleData } from '../content/model.js';
import { escapeHtml } from '../pages/html.js';
import { formatRfc2822 } from '../time/index.js';
import { GENERATOR, type FeedDocument } from './document.js';
import { XML_DECLARATION, element, emptyElement, stylesheetInstruction } from './xml.js';

const NAMESPACES =
  'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
  'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/"';

export function renderRssItem(item: ArticleData): string {
  // RSS <author> is an e-mail address; everyone else is named with dc:creator.
  const withEmail = item.authors.find((a) => a.email);
  const creators = item.authors.filter((a) => a !== withEmail);
  return (
    '<item>' +
    element('title', item.title) +
    element('link', item.link) +
    element('guid', item.id, { isPermaLink: item.id === item.url ? 'true' : 'false' }) +
    element('pubDate', formatRfc2822(item.published)) +
    (withEmail ? element('author', `${withEmail.email} (${withEmail.name})`) : '') +
    creators.map((a) => element('dc:creator', a.name)).join('') +
    item.tags.map((tag) => element('category', tag)).join('') +
    // <description> is HTML to readers: a plain-text summary is escaped so that it stays text.
    element('description', item.summary === undefined ? item.html : escapeHtml(item.summary)) +
    element('content:encoded', item.html) +
    (item.image ? emptyElement('media:content', { url: item.image, medium: 'image' }) : '') +
    '</item>\n'
  );
}

export function renderRss(feed: FeedDocument, renderItem: (item: ArticleData) => string = renderRssItem): string {
  const { links } = feed;
  const atomLink = (rel: string, href: string | undefined, type?: string) =>
    href === undefined ? '' : emptyElement('atom:link', { href, rel, type });
  return (
    XML_DECLARATION +
    stylesheetInstruction(links.stylesheet) +
    `<rss version="2.0" ${NAMESPACES}>\n<channel>\n` +
    element('title', feed.title) +
    element('link', links.html) +
    element('description', feed.description) +
    element('language', feed.language) +
    element('lastBuildDate', formatRfc2822(feed.updated)) +
    element('generator', GENERATOR) +
    element('docs', 'https://www.rssboard.org/rss-specification') +
    element('ttl', String(feed.ttlMinutes)) +
    atomLink('self', links.self, 'application/rss+xml') +
    atomLink('first', links.first, 'application/rss+xml') +
    atomLink('last', links.last, 'application/rss+xml') +
    atomLink('previous', links.previous, 'application/rss+xml') +
    atomLink('next', links.next, 'application/rss+xml') +
    atomLink('hub', links.hub) +
    '\n' +
    feed.items.map(renderItem).join('') +
    '</channel>\n</rss>\n'
  );
}
