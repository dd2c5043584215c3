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
import { sectionKey, type ScopeRef } from '../urls/paths.js';
import type { Resource } from './resources.js';
import { lastModified, type Scope, type SiteSnapshot } from './snapshot.js';

/** Epoch ms, whole seconds; undefined where nothing dates it (a snapshot without history, for stylesheets). */
export function lastModifiedOf(snapshot: SiteSnapshot, resource: Resource): number | undefined {
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
  }
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
    case 'stylesheet':
    case 'media':
      return undefined;
  }
}

function seconds(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}
