/** A page of a scope's feed -> the FeedDocument every format renders. */
import type { ArticleData } from '../content/model.js';
import type { FeedDocument, FeedLinks } from '../feeds/document.js';
import type { FeedFormat } from '../feeds/formats.js';
import type { OffsetInstant } from '../time/index.js';
import { FEED_STYLESHEET_FILE, basePathOf, feedPath, scopePath } from '../urls/paths.js';
import { lastModified, type Scope, type SiteSnapshot } from './snapshot.js';

const EPOCH: OffsetInstant = { epochMs: 0, offsetSeconds: 0 };

export function buildFeedDocument(snapshot: SiteSnapshot, scope: Scope, format: FeedFormat, page: number): FeedDocument<ArticleData> {
  const { site } = snapshot;
  const pages = snapshot.pageCount(scope);
  const items = snapshot.pageItems(scope, page);
  const absolute = (p: string) => `${site.baseUrl}${p}`;
  const links: FeedLinks = {
    self: absolute(feedPath(scope.ref, format, page)),
    first: absolute(feedPath(scope.ref, format, 1)),
    last: absolute(feedPath(scope.ref, format, pages)),
    html: absolute(scopePath(scope.ref)),
    stylesheet: `${basePathOf(site.baseUrl)}/${FEED_STYLESHEET_FILE}`,
  };
  if (page > 1) links.previous = absolute(feedPath(scope.ref, format, page - 1));
  if (page < pages) links.next = absolute(feedPath(scope.ref, format, page + 1));
  if (site.hub) links.hub = site.hub;
  const title = snapshot.feedTitle(scope);
  const doc: FeedDocument<ArticleData> = {
    title,
    description: scope.description || site.description || title,
    language: scope.language,
    // Deterministic: the newest change among the page's items, else the site's; never "now".
    updated: lastModified(items) ?? lastModified(snapshot.root.items) ?? EPOCH,
    authors: site.authors,
    siteTitle: site.title,
    ttlMinutes: Math.max(1, Math.ceil(site.cacheMaxAge / 60)),
    links,
    items,
    content: scope.content,
  };
  if (scope.icon) doc.icon = scope.icon;
  if (scope.logo) doc.logo = scope.logo;
  // A podcast is its RSS feed; its Atom and JSON feeds list the same episodes with their enclosures.
  if (scope.podcast && format === 'rss') doc.podcast = scope.podcast;
  return doc;
}
