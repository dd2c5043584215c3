/**
 * SiteData + its history -> an immutable snapshot of the site: every feed scope with its items
 * newest first for the subscription document, and the RFC 5005 archives the history sealed. The
 * scopes: the whole site; each section with its subsections; each edition the site declares (its
 * articles: those that name it or whose section does); each tag (unless `tag_feeds: false`) and
 * each author, by slug, so that `5G` and `5g` are one tag (membership.ts). Items are shared by
 * reference between scopes; nothing is copied per feed.
 */
import type { ArticleData, AuthorProfile, MediaFile, SectionData, SiteData, SiteSettings } from '../content/model.js';
import type { NameGroup, NameGroups } from '../content/names.js';
import type { ContentMode, FeedItem, Person, PodcastChannel } from '../feeds/document.js';
import type { OffsetInstant } from '../time/index.js';
import { membershipsOf } from './membership.js';
import { liveSiteAt, newsAgeOuts, pendingInstants } from './schedule.js';
import { hasSitemapPart } from './sitemaps.js';
import { SITE_SCOPE, bundleOwner, scopeKey, sectionKey, slugOf, type CollectedKind, type OpmlRef, type ScopeRef } from '../urls/paths.js';

/**
 * What the publish ledger says of the site's history (state/history.ts works it out): which
 * archives each scope has sealed, who left which scope when, and when everything last changed.
 * Every instant is one at which readers could first see the change (a merge of two histories
 * dates what it joined), in whole seconds, never after `now`.
 */
export interface Publication {
  /** "Now" for this snapshot: the clock, or SOURCE_DATE_EPOCH (or --now). */
  now: number;
  /** By article key (articleKey), each live article's latest change as its entries and page show it: its text, its translations. */
  articleChanged: ReadonlyMap<string, number>;
  /** By scope key (scopeKey), each scope's history. */
  scopes: ReadonlyMap<string, ScopeHistory>;
  /** By settings file (content/load.ts settingsFileOf, `_authors.yml`): when it last changed. */
  settingsChanged: ReadonlyMap<string, number>;
  /** By path below media/ (sectionKey of MediaFile.path): when its bytes last changed. */
  mediaChanged: ReadonlyMap<string, number>;
  /** Since when this feedgen's output revision is the site's (state/history.ts OUTPUT_REVISION). */
  generatorSince: number;
  /** Site paths of moved articles -> where they are now. */
  redirects: ReadonlyMap<string, string>;
  /** The latest change of anything: what the pages that list the whole site show. */
  latest: number;
  /**
   * Whether it would read otherwise at a later now with nothing recorded meanwhile, besides its
   * scheduled changes: `at-changes` (a merge not recorded yet is dated after the latest change the
   * site made on its own before now, age-outs of the news sitemap included), `always` (an article
   * dated gone as of now, neither live nor recorded gone: a clock set back behind the ledger).
   */
  movesWithClock?: 'at-changes' | 'always';
}

export interface ScopeHistory {
  /** Its full RFC 5005 archives, oldest first, each its members in publication order (live or departed). */
  archives: ReadonlyArray<readonly ArchiveMember[]>;
  /** Members in no archive yet, in publication order (live or departed): the subscription document holds the live ones. */
  tail: readonly string[];
  /** Members that left it (deleted, expired, moved out, no longer tagged so), when they left. */
  departures: readonly Departure[];
  /** The latest change among its members and departures. */
  changed: number;
}

export interface ArchiveMember {
  key: string;
  /** Its entry id, for a tombstone once it has left. */
  id: string;
}

export interface Departure extends ArchiveMember {
  at: number;
}

/** An RFC 6721 tombstone: an entry removed from a feed at `deleted` (epoch ms). */
export interface Tombstone {
  id: string;
  deleted: number;
}

/** An article's identity within the articles folder: its folder path and file name without ".md". */
export function articleKey(article: Pick<ArticleData, 'section' | 'slug'>): string {
  // sectionKey of the section and the slug, without copying the section (called millions of times at 100k articles).
  const { section, slug } = article;
  return section.length === 0 ? slug : `${sectionKey(section)}/${slug}`;
}

/** One full archive as feeds show it: its live items newest first, and tombstones for those that left. */
export interface Archive {
  items: readonly ArticleData[];
  tombstones: readonly Tombstone[];
  /** The latest change among its members. */
  changed: number;
}

/** What a scope's feeds say besides their items: inherited from the site unless a section sets it. */
export interface ScopeFeedSettings {
  content: ContentMode;
  icon?: string;
  logo?: string;
  podcast?: PodcastChannel;
}

export interface Scope extends ScopeFeedSettings {
  ref: ScopeRef;
  /** scopeKey(ref). */
  key: string;
  /** Title chain from the top, e.g. ["China", "World"], ["Tags", "5G"]; [] for the whole site. */
  titles: string[];
  /**
   * What its feeds are called: `China / World | World Desk`, `Tags / 5G | World Desk`; an edition
   * is named as newspapers name theirs, `World Desk US`; the whole site, by its title.
   */
  feedTitle: string;
  description: string;
  language: string;
  /** Its live articles, newest first by `date` (ties: by id). */
  items: ArticleData[];
  /** Its full archives, oldest first (see ScopeHistory); [] when its kind keeps none (`archives`). */
  archives: ReadonlyArray<readonly ArchiveMember[]>;
  /** Keys of the members in no archive yet: the subscription document holds every live one. */
  tail: ReadonlySet<string>;
  /** Departures within the last `tombstone_days`, newest first: its Atom subscription document announces them. */
  tombstones: Tombstone[];
  /** The latest change among its members and departures (see Publication). */
  changed: number;
  /** The latest instant a tombstone aged out of its Atom subscription document, if one did. */
  tombstonesAgedOut?: number;
  /** Scopes listed under this one on its page (subsections; an edition's sections), sorted by key. */
  children: Scope[];
  /** The scopes its own OPML (`<scope>/opml.xml`) lists, itself first; only the site and editions have one. */
  opml?: Scope[];
  /** Who the feed is by, when not the site's authors (an author's own feed). */
  authors?: Person[];
  /** A square image of it (an author's avatar): on its page and in its feeds. */
  image?: string;
  /** A page about it elsewhere (an author's own site). */
  link?: string;
  /** The zone its page shows times in (an edition's); otherwise each article's own offset. */
  timezone?: string;
}

/** What the list page of each collected kind is called, and the first title of a tag's or author's scope. */
export const COLLECTION_TITLES: Readonly<Record<CollectedKind, string>> = { tag: 'Tags', author: 'Authors', edition: 'Editions' };

export class SiteSnapshot {
  readonly site: SiteSettings;
  readonly root: Scope;
  private readonly scopes = new Map<string, Scope>();
  private readonly articles = new Map<string, ArticleData>();
  private readonly collections: Record<CollectedKind, Scope[]> = { tag: [], author: [], edition: [] };
  private readonly media = new Map<string, MediaFile>();

  readonly now: number;
  /** The history this snapshot was made with; undefined: every article counts as first published at its `date`. */
  readonly publication: Publication | undefined;
  /**
   * Instants after `now` at which the site changes, oldest first: an article is published or
   * taken down, a tombstone ages out of its feeds, an article ages out of the news sitemap. This
   * snapshot is the site until the first of them.
   */
  readonly pending: number[];
  /** The instants of `pending` at which nothing changes but the news sitemap: they bound no other response's max-age. */
  readonly newsOnly: ReadonlySet<number>;
  /** The articles folder's own robots.txt, if it has one. */
  readonly robots: string | undefined;
  /** Old site paths of moved articles -> their current paths. */
  readonly redirects: ReadonlyMap<string, string>;
  private lastArchive: { scope: Scope; archive: number; value: Archive } | undefined;
  /** Each scope's archives' latest changes, once asked for (see archiveChanged). */
  private readonly archiveChanges = new Map<Scope, number[]>();
  /** Each article's position in the whole site's publication order (see archiveEnd), made when first asked for. */
  private sitePositions: Map<string, number> | undefined;

  /**
   * Only the articles live at the publication's `now` are on the site (site/schedule.ts). Without a
   * publication, every article counts as live and first published at its `date`, all at once (as
   * a first run records them), and nothing as deleted.
   */
  constructor(all: SiteData, publication?: Publication) {
    const data = publication ? liveSiteAt(all, publication.now) : all;
    this.site = data.site;
    this.now = publication?.now ?? 0;
    this.publication = publication;
    this.robots = data.robots;
    this.redirects = publication?.redirects ?? new Map();
    this.root = this.addScope(SITE_SCOPE, [], data.site.description, data.site.language);
    for (const edition of data.site.editions) {
      const scope = this.addScope({ kind: 'edition', slug: edition.key }, [edition.title], edition.description ?? '', edition.language, undefined, `${data.site.title} ${edition.title}`);
      if (edition.timezone) scope.timezone = edition.timezone;
      this.collections.edition.push(scope);
    }
    const sections = [...data.sections].sort((a, b) => compareKeys(sectionKey(a.path), sectionKey(b.path)));
    for (const section of sections) this.addSection(section);

    const newestFirst = sortedNewestFirst(data.articles);
    const memberships = membershipsOf(data, newestFirst);
    if (memberships.tags) for (const group of sortedGroups(memberships.tags)) this.addTag(group);
    const profiles = new Map(data.authorProfiles.map((p) => [slugOf(p.name), p]));
    for (const group of sortedGroups(memberships.authors)) this.addAuthor(group, profiles.get(group.slug));

    for (const article of newestFirst) {
      this.articles.set(articleKey(article), article);
      for (const ref of memberships.of(article)) this.scopes.get(scopeKey(ref))?.items.push(article);
    }
    const tombstoneSpan = data.site.tombstoneDays * 86_400_000;
    const tombstoneFrom = this.now - tombstoneSpan;
    // A tombstone leaves its Atom feeds at the end of its days: the site changes then, as on a schedule.
    const agingOut = new Set<number>();
    for (const scope of this.scopes.values()) {
      const keepsArchives = data.site.archiveKinds.includes(scope.ref.kind);
      const history = publication ? publication.scopes.get(scope.key) : firstRecording(scope, data.site.archiveSize);
      if (history) {
        scope.changed = history.changed;
        if (keepsArchives) {
          scope.archives = history.archives;
          scope.tail = new Set(history.tail);
        }
        for (const { id, at } of history.departures) {
          if (at > this.now) continue;
          if (at >= tombstoneFrom) {
            scope.tombstones.push({ id, deleted: at });
            agingOut.add(at + tombstoneSpan);
          } else scope.tombstonesAgedOut = Math.max(scope.tombstonesAgedOut ?? 0, at + tombstoneSpan);
        }
        scope.tombstones.sort((a, b) => b.deleted - a.deleted || compareKeys(a.id, b.id));
      }
    }
    // A page bundle is served while its article is: not before a scheduled one is published.
    for (const file of data.media) {
      const owner = bundleOwner(file.path);
      if (!owner || this.articles.has(sectionKey([...owner.section, owner.slug]))) this.media.set(sectionKey(file.path), file);
    }
    this.root.opml = [...this.sectionTree(), ...this.collections.edition];
    for (const edition of this.collections.edition) edition.opml = [edition, ...edition.children];
    const scheduled = new Set(publication ? [...pendingInstants(all.articles, this.now), ...[...agingOut].filter((t) => t > this.now)] : []);
    const news = publication && data.site.articlePages ? newsAgeOuts(all.articles, this.now).filter((t) => !scheduled.has(t)) : [];
    this.newsOnly = new Set(news);
    this.pending = [...scheduled, ...news].sort((a, b) => a - b);
  }

  private addScope(
    ref: ScopeRef,
    titles: string[],
    description: string,
    language: string,
    settings: ScopeFeedSettings = this.siteFeedSettings(),
    feedTitle = defaultFeedTitle(titles, this.site.title),
  ): Scope {
    const scope: Scope = { ref, key: scopeKey(ref), titles, feedTitle, description, language, ...settings, items: [], archives: [], tail: EVERY_MEMBER, tombstones: [], changed: 0, children: [] };
    this.scopes.set(scope.key, scope);
    return scope;
  }

  private siteFeedSettings(): ScopeFeedSettings {
    const { content, icon, logo } = this.site;
    return { content, ...(icon ? { icon } : {}), ...(logo ? { logo } : {}) };
  }

  private addSection(section: SectionData): void {
    const parent = this.scopes.get(sectionKey(section.path.slice(0, -1)));
    if (!parent) throw new Error(`section ${sectionKey(section.path)} listed before its parent`);
    const ref: ScopeRef = { kind: 'section', section: section.path };
    const { content, icon, logo, podcast } = section;
    const settings: ScopeFeedSettings = { content, ...(icon ? { icon } : {}), ...(logo ? { logo } : {}), ...(podcast ? { podcast } : {}) };
    // A podcast is called by its own name, as apps show it: not "Section | Site".
    const feedTitle = podcast ? (podcast.title ?? section.title) : undefined;
    const scope = this.addScope(ref, [...parent.titles, section.title], section.description ?? '', section.language, settings, feedTitle);
    parent.children.push(scope);
    for (const key of section.editions) this.scope({ kind: 'edition', slug: key })?.children.push(scope);
  }

  private addTag(group: NameGroup): void {
    const scope = this.addScope({ kind: 'tag', slug: group.slug }, [COLLECTION_TITLES.tag, group.title], `Articles tagged “${group.title}”`, this.site.language);
    this.collections.tag.push(scope);
  }

  private addAuthor(group: NameGroup, profile: AuthorProfile | undefined): void {
    const name = profile?.displayName ?? group.title;
    const scope = this.addScope({ kind: 'author', slug: group.slug }, [COLLECTION_TITLES.author, name], profile?.bio ?? `Articles by ${name}`, this.site.language);
    const person: Person = { name };
    if (profile?.url) scope.link = person.url = profile.url;
    if (profile?.avatar) scope.image = person.avatar = profile.avatar;
    scope.authors = [person];
    this.collections.author.push(scope);
  }

  scope(ref: ScopeRef): Scope | undefined {
    return this.scopes.get(scopeKey(ref));
  }

  /** The first instant at which the site changes after `now`, if one is scheduled. */
  get nextChange(): number | undefined {
    return this.pending[0];
  }

  /** The first instant after `now` at which anything but the news sitemap may change. */
  get nextSiteChange(): number | undefined {
    return this.pending.find((t) => !this.newsOnly.has(t));
  }

  /**
   * The site at `later`, before its next change of anything but the news sitemap: the same
   * scopes and articles (shared, not made again), the clock moved on, which only the news sitemap
   * shows. What a snapshot made at `later` from the same history would be, at a fraction of the cost.
   */
  at(later: number): SiteSnapshot {
    const next = this.nextSiteChange;
    if (later < this.now || (next !== undefined && later >= next)) throw new Error(`the site changes at ${next} before ${later}: make a new snapshot`);
    const moved = Object.assign(Object.create(SiteSnapshot.prototype) as SiteSnapshot, this, {
      now: later,
      pending: this.pending.filter((t) => t > later),
      newsOnly: new Set([...this.newsOnly].filter((t) => t > later)),
      publication: this.publication && { ...this.publication, now: later },
      lastArchive: undefined,
      archiveChanges: new Map(),
    });
    return moved;
  }

  /** The scope an article's page names as its home: its own section. */
  homeOf(article: ArticleData): Scope {
    return this.scopes.get(sectionKey(article.section)) ?? this.root;
  }

  /** The scopes of one collected kind: editions in the order declared, tags and authors by slug. */
  collection(kind: CollectedKind): readonly Scope[] {
    return this.collections[kind];
  }

  /** The whole site first, then its sections depth-first. */
  sectionTree(): Scope[] {
    const list: Scope[] = [];
    const visit = (scope: Scope) => {
      list.push(scope);
      scope.children.forEach(visit);
    };
    visit(this.root);
    return list;
  }

  /** Every scope: the section tree, then editions, tags and authors. */
  allScopes(): Scope[] {
    return [...this.sectionTree(), ...this.collections.edition, ...this.collections.tag, ...this.collections.author];
  }

  /** The scope a tag or an author name makes, if any (none for an empty slug, or tags turned off). */
  scopeOfName(kind: 'tag' | 'author', name: string): Scope | undefined {
    return this.scopes.get(scopeKey({ kind, slug: slugOf(name) }));
  }

  article(section: readonly string[], slug: string): ArticleData | undefined {
    return this.articles.get(sectionKey([...section, slug]));
  }

  /** The article whose page is at this section and slug; none when the site has no article pages. */
  articlePage(section: readonly string[], slug: string): ArticleData | undefined {
    return this.site.articlePages ? this.articles.get(sectionKey([...section, slug])) : undefined;
  }

  /** Whether the site has this OPML list: the site's and each edition's; each collection's that has scopes. */
  hasOpml(ref: OpmlRef): boolean {
    return ref.kind === 'collection' ? this.hasCollection(ref.collection) : this.scope(ref.scope)?.opml !== undefined;
  }

  hasCollection(kind: CollectedKind): boolean {
    return this.collections[kind].length > 0;
  }

  /** Whether /sitemap.xml is an index that lists numbered sitemap `part` (site/sitemaps.ts). */
  hasSitemapPart(part: number): boolean {
    return hasSitemapPart(this, part);
  }

  /** A news sitemap lists article pages of the site itself. */
  hasNewsSitemap(): boolean {
    return this.site.articlePages;
  }

  allArticles(): IterableIterator<ArticleData> {
    return this.articles.values();
  }

  /** A file served as it is, by its URL path's segments (MediaFile.path). */
  mediaFile(path: readonly string[]): MediaFile | undefined {
    return this.media.get(sectionKey(path));
  }

  allMedia(): IterableIterator<MediaFile> {
    return this.media.values();
  }

  /** See Scope.feedTitle. */
  feedTitle(scope: Scope): string {
    return scope.feedTitle;
  }

  /**
   * What the subscription document holds, newest first: the newest `feed_limit` items, and every
   * item in no archive yet, so that a late filing reaches every poller here (at most
   * `feed_limit + archive_size - 1` items).
   */
  currentItems(scope: Scope): ArticleData[] {
    const { feedLimit } = this.site;
    if (scope.tail === EVERY_MEMBER) return scope.items.slice(0, feedLimit);
    return scope.items.filter((item, i) => i < feedLimit || scope.tail.has(articleKey(item)));
  }

  /** Its full archives: an archive exists only once full, and its members never change. */
  archiveCount(scope: Scope): number {
    return scope.archives.length;
  }

  /**
   * Where an archive ends in the whole site's publication order: the position of its newest
   * member. The archives of every scope that end at about one place hold about the same articles.
   */
  archiveEnd(scope: Scope, archive: number): number {
    if (!this.sitePositions) {
      this.sitePositions = new Map();
      for (const members of this.root.archives) for (const { key } of members) this.sitePositions.set(key, this.sitePositions.size);
      for (const key of this.root.tail === EVERY_MEMBER ? [] : this.root.tail) this.sitePositions.set(key, this.sitePositions.size);
    }
    const members = scope.archives[archive - 1] ?? [];
    const last = members[members.length - 1];
    return last === undefined ? -1 : (this.sitePositions.get(last.key) ?? -1);
  }

  /** Archive `archive` (1 = the oldest). Not to be changed: the last one asked for is kept (each format asks for it in turn). */
  archive(scope: Scope, archive: number): Archive {
    const last = this.lastArchive;
    if (last?.scope === scope && last.archive === archive) return last.value;
    const items: ArticleData[] = [];
    const tombstones: Tombstone[] = [];
    const departed = this.departuresOf(scope);
    for (const member of scope.archives[archive - 1] ?? []) {
      const article = this.articles.get(member.key);
      const left = departed.get(member.key);
      if (article && left === undefined) items.push(article);
      else tombstones.push({ id: member.id, deleted: left ?? this.now });
    }
    const value: Archive = {
      items: sortedNewestFirst(items),
      tombstones: tombstones.sort((a, b) => b.deleted - a.deleted || compareKeys(a.id, b.id)),
      changed: this.archiveChanged(scope, archive),
    };
    this.lastArchive = { scope, archive, value };
    return value;
  }

  /**
   * The latest change among the members of archive `archive` (see Archive.changed), worked out for
   * all of a scope's archives at once: each archive's Last-Modified also reads the next one's.
   */
  archiveChanged(scope: Scope, archive: number): number {
    let changes = this.archiveChanges.get(scope);
    if (!changes) {
      const departed = this.departuresOf(scope);
      const articleChanges = this.publication?.articleChanged;
      changes = scope.archives.map((members) => {
        let changed = 0;
        for (const member of members) {
          const article = this.articles.get(member.key);
          const left = departed.get(member.key);
          const at = article && left === undefined ? (articleChanges?.get(member.key) ?? changeOf(article)) : (left ?? this.now);
          if (at > changed) changed = at;
        }
        return changed;
      });
      this.archiveChanges.set(scope, changes);
    }
    return changes[archive - 1] ?? 0;
  }

  private departuresOf(scope: Scope): ReadonlyMap<string, number> {
    return new Map(this.publication?.scopes.get(scope.key)?.departures.map((d) => [d.key, d.at]));
  }

  /**
   * Every article the site ever published, by key, live or gone: the members of each of the site's
   * full archives (none when its feed keeps no archives), and the others, in publication order.
   */
  siteMembers(): { archives: string[][]; tail: string[] } {
    const keys = (archives: ReadonlyArray<readonly ArchiveMember[]>) => archives.map((members) => members.map((member) => member.key));
    if (this.publication) {
      const history = this.publication.scopes.get(this.root.key);
      return { archives: keys(history?.archives ?? []), tail: [...(history?.tail ?? [])] };
    }
    // As a first run records the site.
    const recorded = firstRecording(this.root, this.site.archiveSize);
    if (this.site.archiveKinds.includes('site')) return { archives: keys(recorded.archives), tail: [...recorded.tail] };
    return { archives: [], tail: [...keys(recorded.archives).flat(), ...recorded.tail] };
  }

  /** When each article that left the site left it, by key. */
  siteDepartures(): ReadonlyMap<string, number> {
    return this.departuresOf(this.root);
  }

  /** An article's latest change as its entries and page show it (see Publication.articleChanged). */
  articleChanged(article: ArticleData): number {
    return this.publication?.articleChanged.get(articleKey(article)) ?? changeOf(article);
  }
}

/** A scope's tail when its kind keeps no archives: every member is "in no archive". */
const EVERY_MEMBER: ReadonlySet<string> = new Set();

/**
 * A scope's history as a first run records it, every article published at once: archives of
 * `size` members in the order of their dates (then keys), as state/history.ts seals them.
 */
function firstRecording(scope: Scope, size: number): ScopeHistory {
  const ordered = [...scope.items].sort((a, b) => a.published.epochMs - b.published.epochMs || compareKeys(articleKey(a), articleKey(b)));
  const archives: ArchiveMember[][] = [];
  const full = Math.floor(ordered.length / size) * size;
  for (let start = 0; start < full; start += size) archives.push(ordered.slice(start, start + size).map((a) => ({ key: articleKey(a), id: a.id })));
  return { archives, tail: ordered.slice(full).map(articleKey), departures: [], changed: Math.max(0, ...scope.items.map(changeOf)) };
}

/** Without a history, an article counts as changed when it says it was. */
function changeOf(article: ArticleData): number {
  return (article.updated ?? article.published).epochMs;
}

/**
 * Sorts by comparing positions: the numbers compared are read once into arrays, which is several
 * times faster at 100k articles than reading each object's fields in every comparison.
 */
function sortedByPosition<T>(items: readonly T[], compare: (a: number, b: number) => number): T[] {
  return items
    .map((_, i) => i)
    .sort(compare)
    .map((i) => items[i] as T);
}

/** Newest first by `date`, ties by id. */
function sortedNewestFirst(articles: readonly ArticleData[]): ArticleData[] {
  const dates = articles.map((article) => article.published.epochMs);
  return sortedByPosition(articles, (a, b) => (dates[b] as number) - (dates[a] as number) || compareKeys((articles[a] as ArticleData).id, (articles[b] as ArticleData).id));
}

/** The latest instant anything in `items` was published or updated. */
export function lastModified(items: ReadonlyArray<Pick<FeedItem, 'published' | 'updated'>>): OffsetInstant | undefined {
  let newest: OffsetInstant | undefined;
  for (const item of items) {
    const changed = item.updated ?? item.published;
    if (!newest || changed.epochMs > newest.epochMs) newest = changed;
  }
  return newest;
}

function defaultFeedTitle(titles: readonly string[], siteTitle: string): string {
  return titles.length === 0 ? siteTitle : `${titles.join(' / ')} | ${siteTitle}`;
}

function sortedGroups(groups: NameGroups): NameGroup[] {
  return [...groups.groups.values()].sort((a, b) => compareKeys(a.slug, b.slug));
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
