/** FeedDocument -> JSON Feed 1.1. */
import type { ArticleData, Person } from '../content/model.js';
import { formatRfc3339 } from '../time/index.js';
import type { FeedDocument } from './document.js';

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

export function jsonFeedItem(item: ArticleData): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: item.id,
    url: item.link,
    title: item.title,
    content_html: item.html,
  };
  if (item.summary) out.summary = item.summary;
  if (item.image) out.image = item.image;
  out.date_published = formatRfc3339(item.published);
  out.date_modified = formatRfc3339(item.updated ?? item.published);
  if (item.authors.length > 0) out.authors = item.authors.map(author);
  if (item.tags.length > 0) out.tags = item.tags;
  out.language = item.language;
  return out;
}

export function renderJsonFeedItem(item: ArticleData): string {
  return JSON.stringify(jsonFeedItem(item));
}

export function renderJsonFeed(feed: FeedDocument, renderItem: (item: ArticleData) => string = renderJsonFeedItem): string {
  const { links } = feed;
  const head: Record<string, unknown> = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: links.html,
    feed_url: links.self,
    description: feed.description,
    language: feed.language,
  };
  if (links.next) head.next_url = links.next;
  if (feed.authors.length > 0) head.authors = feed.authors.map(author);
  if (links.hub) head.hubs = [{ type: 'WebSub', url: links.hub }];
  // The items are spliced in as already-rendered JSON so that a cached rendering can be reused.
  const opening = JSON.stringify(head).slice(0, -1);
  return `${opening},"items":[\n${feed.items.map(renderItem).join(',\n')}\n]}\n`;
}
