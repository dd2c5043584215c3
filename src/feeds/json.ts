/** FeedDocument -> JSON Feed 1.1. */
import { formatRfc3339 } from '../time/index.js';
import type { Chunk } from './chunks.js';
import { itemStyle, type Enclosure, type FeedDocument, type FeedItem, type ItemStyle, type Person } from './document.js';

interface JsonAuthor {
  name: string;
  url?: string;
}

function author(p: Person): JsonAuthor {
  // JSON Feed authors have no e-mail field; a mailto: URL carries it when there is no other URL.
  const url = p.url ?? (p.email ? mailtoUrl(p.email) : undefined);
  return url ? { name: p.name, url } : { name: p.name };
}

/** RFC 6068: the address percent-encoded, so that `%`, `?` or `#` in it cannot change the URL. */
function mailtoUrl(email: string): string {
  const at = email.lastIndexOf('@');
  return `mailto:${encodeURIComponent(email.slice(0, at))}@${encodeURIComponent(email.slice(at + 1))}`;
}

function attachment(enclosure: Enclosure): Record<string, unknown> {
  const json: Record<string, unknown> = { url: enclosure.url, mime_type: enclosure.type };
  if (enclosure.title !== undefined) json.title = enclosure.title;
  json.size_in_bytes = enclosure.length;
  if (enclosure.durationSeconds !== undefined) json.duration_in_seconds = enclosure.durationSeconds;
  return json;
}

/**
 * One item as JSON text in parts, `jsonHtml` (JSON.stringify of the article's HTML) among them by
 * reference (see rssItemParts). Keys in the order of the JSON Feed spec. A summary feed's items
 * carry the summary, or the first paragraph as text, as `content_text` (JSON Feed requires
 * `content_text` or `content_html`) and no `content_html`; `jsonHtml` is then not used.
 */
export function jsonItemParts<C extends Chunk>(item: FeedItem, style: ItemStyle, jsonHtml: C): Array<string | C> {
  const rest: Record<string, unknown> = {};
  const summary = item.summary ?? (style.content === 'summary' ? item.excerpt?.text : undefined);
  if (summary) rest.summary = summary;
  if (item.image) rest.image = item.image;
  rest.date_published = formatRfc3339(item.published);
  rest.date_modified = formatRfc3339(item.updated ?? item.published);
  if (item.authors.length > 0) rest.authors = item.authors.map(author);
  if (item.tags.length > 0) rest.tags = item.tags;
  rest.language = item.language;
  if (item.enclosures && item.enclosures.length > 0) rest.attachments = item.enclosures.map(attachment);
  const head = JSON.stringify({ id: item.id, url: item.link, title: item.title }).slice(0, -1);
  if (style.content === 'summary') return [`${head},"content_text":${JSON.stringify(summary ?? '')},${JSON.stringify(rest).slice(1)}`];
  return [`${head},"content_html":`, jsonHtml, `,${JSON.stringify(rest).slice(1)}`];
}

export function renderJsonFeed(
  feed: FeedDocument,
  itemParts: (item: FeedItem) => readonly Chunk[] = (item) => jsonItemParts(item, itemStyle(feed), JSON.stringify(item.html)),
): Chunk[] {
  const { links } = feed;
  const head: Record<string, unknown> = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: links.html,
    feed_url: links.self,
    description: feed.description,
  };
  // JSON Feed's icon is the large image (512 x 512), its favicon the small one.
  if (feed.logo) head.icon = feed.logo;
  if (feed.icon) head.favicon = feed.icon;
  head.language = feed.language;
  // JSON Feed pages backwards in time: from the subscription document along the older archives.
  if (links.prevArchive) head.next_url = links.prevArchive;
  if (feed.authors.length > 0) head.authors = feed.authors.map(author);
  if (links.hub) head.hubs = [{ type: 'WebSub', url: links.hub }];
  // Items are spliced in as JSON text, so that entries rendered once serve every feed they are in.
  const parts: Chunk[] = [`${JSON.stringify(head).slice(0, -1)},"items":[\n`];
  feed.items.forEach((item, i) => parts.push(i === 0 ? '' : ',\n', ...itemParts(item)));
  parts.push('\n]}\n');
  return parts;
}
