/**
 * A resource -> its bytes and what HTTP needs to know about them. The same function serves the
 * Node server, the Worker and the static build, which is why their bytes are identical.
 */
import { renderAtom } from '../feeds/atom.js';
import { buildFeedDocument, feedTitle, type FeedDocument } from '../feeds/document.js';
import type { Chunk } from '../feeds/chunks.js';
import { EntryCache } from '../feeds/entries.js';
import { renderJsonFeed } from '../feeds/json.js';
import { renderOpml } from '../feeds/opml.js';
import { renderRss } from '../feeds/rss.js';
import { FEED_STYLESHEET, PAGE_STYLESHEET } from '../pages/assets.js';
import { FEED_MEDIA_TYPES, renderArticlePage, renderIndexPage, renderSectionPage } from '../pages/pages.js';
import type { Resource } from './resources.js';
import { lastModified, type SiteSnapshot } from './snapshot.js';
import { FEED_STYLESHEET_FILE, feedPath, sectionPath, type FeedFormat } from './urls.js';

export interface Rendered {
  /** Full Content-Type, charset included. */
  contentType: string;
  /** The bytes, in pieces (see feeds/chunks.ts). */
  chunks: readonly Chunk[];
  /** Epoch ms of the newest change the body shows (Last-Modified), when that is known. */
  lastModified?: number;
  /** WebSub: the hub and the canonical self URL, for `Link` headers. */
  hub?: string;
  self?: string;
}

const UTF8 = '; charset=utf-8';
export const HTML_TYPE = `text/html${UTF8}`;

/** `entries`: entries already rendered, shared across calls (see feeds/entries.ts). */
export function renderResource(snapshot: SiteSnapshot, resource: Resource, entries = new EntryCache(0)): Rendered {
  const { site } = snapshot;
  switch (resource.kind) {
    case 'feed':
      return renderFeed(snapshot, buildFeedDocument(snapshot, resource.scope, resource.format, resource.page), resource.format, entries);
    case 'opml': {
      const entries = snapshot.allScopes().map((scope) => ({
        title: feedTitle(snapshot, scope),
        description: scope.description,
        language: scope.language,
        xmlUrl: `${site.baseUrl}${feedPath(scope.section, 'rss')}`,
        htmlUrl: `${site.baseUrl}${sectionPath(scope.section)}`,
      }));
      const modified = lastModified(snapshot.root.items) ?? { epochMs: 0, offsetSeconds: 0 };
      return {
        contentType: `text/x-opml${UTF8}`,
        chunks: [renderOpml({ title: `${site.title}: all feeds`, modified, entries })],
        lastModified: modified.epochMs,
      };
    }
    case 'index':
      return { contentType: HTML_TYPE, chunks: [renderIndexPage(snapshot)], ...modifiedAt(snapshot.root.items) };
    case 'section':
      return { contentType: HTML_TYPE, chunks: [renderSectionPage(snapshot, resource.scope)], ...modifiedAt(resource.scope.items) };
    case 'article':
      return { contentType: HTML_TYPE, chunks: [renderArticlePage(snapshot, resource.article)], ...modifiedAt([resource.article]) };
    case 'stylesheet':
      return { contentType: `text/css${UTF8}`, chunks: [resource.name === FEED_STYLESHEET_FILE ? FEED_STYLESHEET : PAGE_STYLESHEET] };
  }
}

export function renderFeed(snapshot: SiteSnapshot, doc: FeedDocument, format: FeedFormat, entries = new EntryCache(0)): Rendered {
  const chunks =
    format === 'rss'
      ? renderRss(doc, (item) => entries.rss(item))
      : format === 'atom'
        ? renderAtom(doc, (item) => entries.atom(item, doc.language))
        : renderJsonFeed(doc, (item) => entries.json(item));
  const rendered: Rendered = {
    contentType: `${FEED_MEDIA_TYPES[format]}${UTF8}`,
    chunks,
    lastModified: lastModified(doc.items)?.epochMs ?? doc.updated.epochMs,
    self: doc.links.self,
  };
  if (snapshot.site.hub) rendered.hub = snapshot.site.hub;
  return rendered;
}

/**
 * What a feed's bytes and headers are made from, as one string: equal keys render equal
 * representations, so a reloaded site reuses every feed an edit did not touch. Articles enter by
 * their version (a hash of their file and everything they inherit).
 */
export function feedContentKey(snapshot: SiteSnapshot, doc: FeedDocument, format: FeedFormat): string {
  const { items, ...feed } = doc;
  const { cacheMaxAge, hub } = snapshot.site;
  return `${format}\n${JSON.stringify({ feed, cacheMaxAge, hub })}\n${items.map((item) => item.version).join('\n')}`;
}

function modifiedAt(items: Parameters<typeof lastModified>[0]): { lastModified?: number } {
  const newest = lastModified(items);
  return newest ? { lastModified: newest.epochMs } : {};
}

