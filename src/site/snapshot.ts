/**
 * SiteData -> an immutable snapshot of the site: every feed scope with its items newest first for
 * the subscription document, and in publication order for its RFC 5005 archives. The scopes: the
 * whole site; each section with its subsections; each edition the site declares (its articles:
 * those that name it or whose section does); each tag (unless `tag_feeds: false`) and each author,
 * by slug, so that `5G` and `5g` are one tag. Items are shared by reference between scopes; nothing
 * is copied per feed.
 */
import type { ArticleData, AuthorProfile, MediaFile, SectionData, SiteData, SiteSettings } from '../content/model.js';
import { NameGroups, type NameGroup } from '../content/names.js';
import type { ContentMode, FeedItem, Person, PodcastChannel } from '../feeds/document.js';
import type { OffsetInstant } from '../time/index.js';
import { liveSiteAt, pendingInstants } from './schedule.js';
import { SITE_SCOPE, bundleOwner, scopeKey, sectionKey, slugOf, type CollectedKind, type OpmlRef, type ScopeRef } from '../urls/paths.js';

/** What the publish ledger says of the site's history (see runtimes' use of src/ledger). */
export interface Publication {
  /** Epoch ms each article (by its key, see articleKey) was first published. */
  publishedAt: ReadonlyMap<string, number>;
  /** Articles published once and deleted since. */
  departed: readonly DepartedArticle[];
  /** Site paths of moved articles -> where they are now. */
  redirects: ReadonlyMap<string, string>;
  /** "Now" for this snapshot: the clock, or SOURCE_DATE_EPOCH (or --now). */
  now: number;
  /** When bytes this snapshot gives a resource first appeared, if they are new (publish/publication.ts). */
  stampAt: number;
}

export interface DepartedArticle {
  key: string;
  id: string;
  published: number;
  deleted: number;
}

/** An RFC 6721 tombstone: an entry deleted at `deleted` (epoch ms). */
export interface Tombstone {
  id: string;
  deleted: number;
}

/** An article's identity within the articles folder: its folder path and file name without ".md". */
export function articleKey(article: Pick<ArticleData, 'section' | 'slug'>): string {
  return sectionKey([...article.section, article.slug]);
}

/** A place in a scope's publication order: an article, or one deleted since (which keeps its place). */
type Placed = { article?: ArticleData; published: number; key: string };

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
  /** Newest first by `date` (ties: by id). */
  items: ArticleData[];
  /** Oldest first by publication (ledger), deleted articles included: archives are slices of it. */
  published: Placed[];
  tombstones: Tombstone[];
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
  /** See scopesOf. */
  private readonly sectionScopes = new Map<string, Scope[]>();
  private readonly articles = new Map<string, ArticleData>();
  private readonly collections: Record<CollectedKind, Scope[]> = { tag: [], author: [], edition: [] };
  private readonly media = new Map<string, MediaFile>();

  readonly now: number;
  /** See Publication.stampAt. */
  readonly stampAt: number;
  /**
   * Instants after `now` at which an article is published or taken down, oldest first: this
   * snapshot is the site until the first of them.
   */
  readonly pending: readonly number[];
  /** Old site paths of moved articles -> their current paths. */
  readonly redirects: ReadonlyMap<string, string>;
  private lastArchive: { scope: Scope; archive: number; items: readonly ArticleData[] } | undefined;
  /** Each place's position in the whole site's publication order (see archiveEnd), made when first asked for. */
  private sitePositions: Map<Placed, number> | undefined;

  /**
   * Only the articles live at the publication's `now` are on the site (site/schedule.ts). Without a
   * publication, every article counts as live and published at its `date`, and nothing as deleted.
   */
  constructor(all: SiteData, publication?: Publication) {
    const data = publication ? liveSiteAt(all, publication.now) : all;
    this.site = data.site;
    this.now = publication?.now ?? 0;
    this.stampAt = publication?.stampAt ?? this.now;
    this.pending = publication ? pendingInstants(all.articles, publication.now) : [];
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
    const tags = data.site.tagFeeds ? new NameGroups(newestFirst.map((a) => a.tags)) : undefined;
    const authors = new NameGroups(newestFirst.map(authorNames));
    if (tags) for (const group of sortedGroups(tags)) this.addTag(group);
    const profiles = new Map(data.authorProfiles.map((p) => [slugOf(p.name), p]));
    for (const group of sortedGroups(authors)) this.addAuthor(group, profiles.get(group.slug));

    // Items go to their scopes newest first; places, once for all scopes, in publication order.
    const places: Array<{ placed: Placed; scopes: readonly Scope[] }> = [];
    const editionScopes = this.bySlug('edition');
    const tagScopes = this.bySlug('tag');
    const authorScopes = this.bySlug('author');
    for (const article of newestFirst) {
      const key = articleKey(article);
      this.articles.set(key, article);
      const scopes = [...this.scopesOf(article.section)];
      for (const slug of article.editions) this.addTo(scopes, editionScopes.get(slug));
      if (tags) for (const slug of tags.slugsOf(article.tags)) this.addTo(scopes, tagScopes.get(slug));
      for (const slug of authors.slugsOf(authorNames(article))) this.addTo(scopes, authorScopes.get(slug));
      for (const scope of scopes) scope.items.push(article);
      places.push({ placed: { article, published: publication?.publishedAt.get(key) ?? article.published.epochMs, key }, scopes });
    }
    const tombstoneFrom = this.now - data.site.tombstoneDays * 86_400_000;
    for (const gone of publication?.departed ?? []) {
      const scopes = this.scopesOf(gone.key.split('/').slice(0, -1));
      places.push({ placed: { published: gone.published, key: gone.key }, scopes });
      if (gone.deleted < tombstoneFrom || gone.deleted > this.now) continue;
      for (const scope of scopes) scope.tombstones.push({ id: gone.id, deleted: gone.deleted });
    }
    for (const { placed, scopes } of sortedByPublication(places)) for (const scope of scopes) scope.published.push(placed);
    // A page bundle is served while its article is: not before a scheduled one is published.
    for (const file of data.media) {
      const owner = bundleOwner(file.path);
      if (!owner || this.articles.has(sectionKey([...owner.section, owner.slug]))) this.media.set(sectionKey(file.path), file);
    }
    this.root.opml = [...this.sectionTree(), ...this.collections.edition];
    for (const edition of this.collections.edition) edition.opml = [edition, ...edition.children];
    for (const scope of this.scopes.values()) scope.tombstones.sort((a, b) => b.deleted - a.deleted || compareKeys(a.id, b.id));
  }

  /** The scopes of one collected kind by slug. */
  private bySlug(kind: CollectedKind): Map<string, Scope> {
    return new Map(this.collections[kind].map((scope) => [scope.ref.kind === kind ? scope.ref.slug : '', scope]));
  }

  /** Adds an article's scope (one that exists, once) to the list of those it is in. */
  private addTo(scopes: Scope[], scope: Scope | undefined): void {
    if (scope && !scopes.includes(scope)) scopes.push(scope);
  }

  /** The site and every section from the top down to `section`, those that exist (worked out once per section). */
  private scopesOf(section: readonly string[]): readonly Scope[] {
    const key = sectionKey(section);
    let scopes = this.sectionScopes.get(key);
    if (!scopes) {
      scopes = [];
      for (let depth = 0; depth <= section.length; depth++) {
        const scope = this.scopes.get(sectionKey(section.slice(0, depth)));
        if (scope) scopes.push(scope);
      }
      this.sectionScopes.set(key, scopes);
    }
    return scopes;
  }

  private addScope(
    ref: ScopeRef,
    titles: string[],
    description: string,
    language: string,
    settings: ScopeFeedSettings = this.siteFeedSettings(),
    feedTitle = defaultFeedTitle(titles, this.site.title),
  ): Scope {
    const scope: Scope = { ref, key: scopeKey(ref), titles, feedTitle, description, language, ...settings, items: [], published: [], tombstones: [], children: [] };
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

  /** The newest `feed_limit` items, newest first: what the subscription document holds. */
  currentItems(scope: Scope): ArticleData[] {
    return scope.items.slice(0, this.site.feedLimit);
  }

  /** Archives of `archive_size` places each in publication order; the newest may be partly filled. */
  archiveCount(scope: Scope): number {
    return Math.ceil(scope.published.length / this.site.archiveSize);
  }

  /** A full archive's set of items never changes: later articles go to later archives. */
  isFullArchive(scope: Scope, archive: number): boolean {
    return archive * this.site.archiveSize <= scope.published.length;
  }

  /**
   * Where an archive ends in the whole site's publication order: the position of its newest place.
   * The archives of every scope that end at about one place hold about the same articles.
   */
  archiveEnd(scope: Scope, archive: number): number {
    if (!this.sitePositions) {
      this.sitePositions = new Map();
      for (const [position, placed] of this.root.published.entries()) this.sitePositions.set(placed, position);
    }
    const last = scope.published[Math.min(archive * this.site.archiveSize, scope.published.length) - 1];
    return last === undefined ? -1 : (this.sitePositions.get(last) ?? -1);
  }

  /** Archive `archive` (1 = the oldest), newest first like every feed. Not to be changed: the last one asked for is kept (each format asks for it in turn). */
  archiveItems(scope: Scope, archive: number): readonly ArticleData[] {
    const last = this.lastArchive;
    if (last?.scope === scope && last.archive === archive) return last.items;
    const start = (archive - 1) * this.site.archiveSize;
    const placed: ArticleData[] = [];
    for (const { article } of scope.published.slice(start, start + this.site.archiveSize)) if (article) placed.push(article);
    const items = sortedNewestFirst(placed);
    this.lastArchive = { scope, archive, items };
    return items;
  }
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

/** Oldest first by publication, then by date, then by key. */
function sortedByPublication<T extends { placed: Placed }>(places: readonly T[]): T[] {
  const published = places.map(({ placed }) => placed.published);
  const dates = places.map(({ placed }) => placed.article?.published.epochMs ?? placed.published);
  return sortedByPosition(places, (a, b) => (published[a] as number) - (published[b] as number) || (dates[a] as number) - (dates[b] as number) || compareKeys((places[a] as T).placed.key, (places[b] as T).placed.key));
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

function authorNames(article: ArticleData): string[] {
  return article.authors.map((p) => p.name);
}

function sortedGroups(groups: NameGroups): NameGroup[] {
  return [...groups.groups.values()].sort((a, b) => compareKeys(a.slug, b.slug));
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
