/** A scope's subscription document or one of its archives -> the FeedDocument every format renders. */
import type { ArticleData } from '../content/model.js';
import type { FeedDocument, FeedLinks } from '../feeds/document.js';
import type { FeedFormat } from '../feeds/formats.js';
import type { OffsetInstant } from '../time/index.js';
import { FEED_STYLESHEET_FILE, basePathOf, feedPath, scopePath } from '../urls/paths.js';
import { lastModified, type Scope, type SiteSnapshot } from './snapshot.js';

const EPOCH: OffsetInstant = { epochMs: 0, offsetSeconds: 0 };

/** `archive`: undefined for the subscription document, else the archive's number (1 = the oldest). */
export function buildFeedDocument(snapshot: SiteSnapshot, scope: Scope, format: FeedFormat, archive?: number): FeedDocument<ArticleData> {
  const { site } = snapshot;
  const archives = snapshot.archiveCount(scope);
  const archived = archive === undefined ? undefined : snapshot.archive(scope, archive);
  const items = archived ? archived.items : snapshot.currentItems(scope);
  const tombstones = archived ? archived.tombstones : scope.tombstones;
  const absolute = (p: string) => `${site.baseUrl}${p}`;
  const links: FeedLinks = {
    self: absolute(feedPath(scope.ref, format, archive)),
    current: absolute(feedPath(scope.ref, format)),
    html: absolute(scopePath(scope.ref)),
    stylesheet: `${basePathOf(site.baseUrl)}/${FEED_STYLESHEET_FILE}`,
  };
  const older = archive === undefined ? archives : archive - 1;
  if (older >= 1) links.prevArchive = absolute(feedPath(scope.ref, format, older));
  if (archive !== undefined && archive < archives) links.nextArchive = absolute(feedPath(scope.ref, format, archive + 1));
  if (site.hub) links.hub = site.hub;
  const title = snapshot.feedTitle(scope);
  const doc: FeedDocument<ArticleData> = {
    title,
    description: scope.description || site.description || title,
    language: scope.language,
    // Deterministic: the newest change among the document's items, else the site's; never "now".
    updated: lastModified(items) ?? lastModified(snapshot.root.items) ?? EPOCH,
    authors: scope.authors ?? site.authors,
    siteTitle: site.title,
    ttlMinutes: Math.max(1, Math.ceil(site.cacheMaxAge / 60)),
    links,
    archive: archive !== undefined,
    tombstones: tombstones.map(({ id, deleted }) => ({ id, deleted: { epochMs: deleted, offsetSeconds: 0 } })),
    items,
    // Archives carry summaries unless the site says otherwise (archive_content); a summary scope's stay summaries.
    content: archive !== undefined && site.archiveContent === 'summary' ? 'summary' : scope.content,
  };
  // An author's avatar is the image of the author's feeds; a podcast's cover, of the podcast's.
  const icon = scope.image ?? scope.icon;
  const logo = scope.image ?? scope.podcast?.image ?? scope.logo;
  if (icon) doc.icon = icon;
  if (logo) doc.logo = logo;
  // A podcast is its RSS feed; its Atom and JSON feeds list the same episodes with their enclosures.
  if (scope.podcast && format === 'rss') doc.podcast = scope.podcast;
  return doc;
}
