/**
 * Last-Modified of every resource, from the site's history alone (Publication): the latest change
 * among the facts its bytes are made from. Each fact carries the instant readers could first see
 * it, so every machine that reads the same committed ledger dates the same bytes the same way,
 * and the date moves whenever the bytes do: an item published, edited, moved or gone, a settings
 * file edited, a tombstone aged out, feedgen's output revised. It may move without the bytes (a
 * body edited where only titles show), never the other way round.
 */
import { AUTHORS_FILE, settingsFileOf } from '../content/settings-files.js';
import type { FeedFormat } from '../feeds/formats.js';
import { ROBOTS_FILE, SITE_SCOPE, sectionKey, type ScopeRef } from '../urls/paths.js';
import type { Resource } from './resources.js';
import { newsSitemap, sitemapPlan, type SitemapContents } from './sitemaps.js';
import { lastModified, type Scope, type SiteSnapshot } from './snapshot.js';

/** Epoch ms, whole seconds; undefined where nothing dates it (a snapshot without history, for stylesheets). */
export function lastModifiedOf(snapshot: SiteSnapshot, resource: Resource): number | undefined {
  // A sitemap is dated by its entries, each dated as its page is, history or not.
  if (resource.kind === 'sitemap') return sitemapModified(snapshot, resource.part);
  const history = snapshot.publication;
  if (!history) return fromDates(snapshot, resource);
  const latest = (...instants: Array<number | undefined>) => seconds(Math.max(history.generatorSince, ...instants.map((t) => t ?? 0)));
  switch (resource.kind) {
    case 'feed':
      return latest(scopeSettings(snapshot, resource.scope.ref), ...feedChanges(snapshot, resource.scope, resource.format, resource.archive));
    case 'scope-page':
      return latest(scopeSettings(snapshot, resource.scope.ref), resource.scope.changed, ...resource.scope.children.map((child) => scopeSettings(snapshot, child.ref)));
    case 'article': {
      const { article } = resource;
      return latest(scopeSettings(snapshot, { kind: 'section', section: article.section }), history.settingsChanged.get(AUTHORS_FILE), snapshot.articleChanged(article));
    }
    case 'media':
      return seconds(history.mediaChanged.get(sectionKey(resource.file.path)) ?? history.latest);
    case 'stylesheet':
      return latest(history.settingsChanged.get(settingsFileOf([])));
    case 'index':
    case 'collection-page':
    case 'opml':
      return latest(history.latest);
    case 'robots':
      // The folder's own file, else feedgen's, which the site's settings (base_url, article_pages) make.
      return latest(snapshot.robots === undefined ? scopeSettings(snapshot, SITE_SCOPE) : history.settingsChanged.get(ROBOTS_FILE));
    case 'news-sitemap':
      // Any article's change (which may bring it in, drop it, or push one past the 1,000), and the latest age-out.
      return latest(scopeSettings(snapshot, SITE_SCOPE), snapshot.root.changed, newsSitemap(snapshot)?.agedOut);
  }
}

/**
 * A sitemap changes with its entries and with the articles that left it (and the few other facts
 * of SitemapContents): a numbered sitemap of articles when one of its own pages' Last-Modified
 * moves, so that one new article changes the newest one and the index, which lists each one's
 * lastmod; /sitemap.xml with any of them.
 */
function sitemapModified(snapshot: SiteSnapshot, part: number | undefined): number | undefined {
  const plan = sitemapPlan(snapshot);
  const site = lastModifiedOf(snapshot, { kind: 'index' }) ?? 0;
  // Reduced, not spread into Math.max: a sitemap has up to 50,000 pages.
  const dated = (contents: SitemapContents) =>
    contents.pages.reduce((newest, page) => Math.max(newest, lastModifiedOf(snapshot, page.resource) ?? 0), Math.max(contents.left, contents.shifted, contents.withSite ? site : 0));
  const parts = plan.kind === 'single' ? [plan] : part === undefined ? [...plan.parts.values()] : [plan.parts.get(part)].filter((found) => found !== undefined);
  const newest = parts.reduce((latest, contents) => Math.max(latest, dated(contents)), 0);
  const since = snapshot.publication?.generatorSince ?? 0;
  return seconds(Math.max(newest, since)) || undefined;
}

/**
 * What a feed shows changes with: its items (or its archive's members), its tombstones, the
 * archives around it; a document with no items is dated by the whole site's (site/feed-document.ts).
 */
function feedChanges(snapshot: SiteSnapshot, scope: Scope, format: FeedFormat, archive: number | undefined): number[] {
  const empty = (archive === undefined ? scope.items : snapshot.archive(scope, archive).items).length === 0;
  const site = empty ? [snapshot.root.changed] : [];
  if (archive === undefined) return [scope.changed, ...site, ...(format === 'atom' && scope.tombstonesAgedOut !== undefined ? [scope.tombstonesAgedOut] : [])];
  // The next archive's members arriving sealed it, which gave this one its next-archive link.
  const next = archive < snapshot.archiveCount(scope) ? snapshot.archiveChanged(scope, archive + 1) : 0;
  return [snapshot.archiveChanged(scope, archive), next, ...site];
}

/** The settings files a scope's feeds and page are made from: the site's, its sections' top-down, the author profiles. */
function scopeSettings(snapshot: SiteSnapshot, ref: ScopeRef): number {
  const changed = (snapshot.publication as NonNullable<SiteSnapshot['publication']>).settingsChanged;
  let latest = changed.get(settingsFileOf([])) ?? 0;
  if (ref.kind === 'section') {
    for (let depth = 1; depth <= ref.section.length; depth++) latest = Math.max(latest, changed.get(settingsFileOf(ref.section.slice(0, depth))) ?? 0);
  }
  if (ref.kind === 'author') latest = Math.max(latest, changed.get(AUTHORS_FILE) ?? 0);
  return latest;
}

/** Without a history: the newest change the body shows, as articles date themselves. */
function fromDates(snapshot: SiteSnapshot, resource: Resource): number | undefined {
  const newest = (scopes: readonly Scope[]) => Math.max(0, ...scopes.map((scope) => lastModified(scope.items)?.epochMs ?? 0));
  switch (resource.kind) {
    case 'feed': {
      const { scope, archive } = resource;
      const items = archive === undefined ? snapshot.currentItems(scope) : snapshot.archive(scope, archive).items;
      return seconds(lastModified(items)?.epochMs ?? 0) || undefined;
    }
    case 'scope-page':
      return seconds(newest([resource.scope])) || undefined;
    case 'article':
      return seconds(snapshot.articleChanged(resource.article));
    case 'index':
    case 'opml':
    case 'collection-page':
      return seconds(newest([snapshot.root])) || undefined;
    case 'news-sitemap':
      return seconds(lastModified(newsSitemap(snapshot)?.articles ?? [])?.epochMs ?? 0) || undefined;
    case 'stylesheet':
    case 'media':
    case 'robots':
      return undefined;
  }
}

function seconds(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}
