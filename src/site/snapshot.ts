/**
 * SiteData -> an immutable snapshot of the site: every feed scope (the whole site, each section with
 * its subsections) with its items newest first for the subscription document, and in publication
 * order for its RFC 5005 archives. Items are shared by reference between scopes; nothing is copied
 * per feed.
 */
import type { ArticleData, MediaFile, SectionData, SiteData, SiteSettings } from '../content/model.js';
import type { ContentMode, FeedItem, PodcastChannel } from '../feeds/document.js';
import type { OffsetInstant } from '../time/index.js';
import { SITE_SCOPE, scopeKey, sectionKey, type ScopeRef } from '../urls/paths.js';

/** What the publish ledger says of the site's history (see runtimes' use of src/ledger). */
export interface Publication {
  /** Epoch ms each article (by its key, see articleKey) was first published. */
  publishedAt: ReadonlyMap<string, number>;
  /** Articles published once and deleted since. */
  departed: readonly DepartedArticle[];
  /** Site paths of moved articles -> where they are now. */
  redirects: ReadonlyMap<string, string>;
  /** "Now" for this snapshot: the clock, or SOURCE_DATE_EPOCH. */
  now: number;
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
type Placed = { article: ArticleData; published: number } | { article?: undefined; published: number; key: string };

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
  /** Title chain from the top, e.g. ["China", "World"]; [] for the whole site. */
  titles: string[];
  description: string;
  language: string;
  /** Newest first by `date` (ties: by id). */
  items: ArticleData[];
  /** Oldest first by publication (ledger), deleted articles included: archives are slices of it. */
  published: Placed[];
  tombstones: Tombstone[];
  /** Scopes listed under this one on its page (subsections), sorted by key. */
  children: Scope[];
}

export class SiteSnapshot {
  readonly site: SiteSettings;
  readonly root: Scope;
  private readonly scopes = new Map<string, Scope>();
  private readonly articles = new Map<string, ArticleData>();
  private readonly media = new Map<string, MediaFile>();

  readonly now: number;
  /** Old site paths of moved articles -> their current paths. */
  readonly redirects: ReadonlyMap<string, string>;

  /** Without a publication, articles count as published at their `date` and nothing as deleted. */
  constructor(data: SiteData, publication?: Publication) {
    this.site = data.site;
    this.now = publication?.now ?? 0;
    this.redirects = publication?.redirects ?? new Map();
    this.root = this.addScope(SITE_SCOPE, [], data.site.description, data.site.language);
    for (const file of data.media) this.media.set(sectionKey(file.path), file);
    const sections = [...data.sections].sort((a, b) => compareKeys(sectionKey(a.path), sectionKey(b.path)));
    for (const section of sections) this.addSection(section);

    const newestFirst = [...data.articles].sort(newestFirstOrder);
    for (const article of newestFirst) {
      const key = articleKey(article);
      this.articles.set(key, article);
      const placed: Placed = { article, published: publication?.publishedAt.get(key) ?? article.published.epochMs };
      for (const scope of this.scopesOf(article.section)) {
        scope.items.push(article);
        scope.published.push(placed);
      }
    }
    const tombstoneFrom = this.now - data.site.tombstoneDays * 86_400_000;
    for (const gone of publication?.departed ?? []) {
      for (const scope of this.scopesOf(gone.key.split('/').slice(0, -1))) {
        scope.published.push({ published: gone.published, key: gone.key });
        if (gone.deleted >= tombstoneFrom && gone.deleted <= this.now) scope.tombstones.push({ id: gone.id, deleted: gone.deleted });
      }
    }
    for (const scope of this.scopes.values()) {
      scope.published.sort(publicationOrder);
      scope.tombstones.sort((a, b) => b.deleted - a.deleted || compareKeys(a.id, b.id));
    }
  }

  /** The site and every section from the top down to `section`, those that exist. */
  private scopesOf(section: readonly string[]): Scope[] {
    const scopes: Scope[] = [];
    for (let depth = 0; depth <= section.length; depth++) {
      const scope = this.scopes.get(sectionKey(section.slice(0, depth)));
      if (scope) scopes.push(scope);
    }
    return scopes;
  }

  private addScope(ref: ScopeRef, titles: string[], description: string, language: string, settings: ScopeFeedSettings = this.siteFeedSettings()): Scope {
    const scope: Scope = { ref, key: scopeKey(ref), titles, description, language, ...settings, items: [], published: [], tombstones: [], children: [] };
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
    parent.children.push(this.addScope(ref, [...parent.titles, section.title], section.description ?? '', section.language, settings));
  }

  scope(ref: ScopeRef): Scope | undefined {
    return this.scopes.get(scopeKey(ref));
  }

  /** The scope an article's page names as its home: its own section. */
  homeOf(article: ArticleData): Scope {
    return this.scopes.get(sectionKey(article.section)) ?? this.root;
  }

  /** Every scope, the whole site first, then sections depth-first. */
  allScopes(): Scope[] {
    const list: Scope[] = [];
    const visit = (scope: Scope) => {
      list.push(scope);
      scope.children.forEach(visit);
    };
    visit(this.root);
    return list;
  }

  /** The article whose page is at this section and slug; none when the site has no article pages. */
  articlePage(section: readonly string[], slug: string): ArticleData | undefined {
    return this.site.articlePages ? this.articles.get(sectionKey([...section, slug])) : undefined;
  }

  allArticles(): IterableIterator<ArticleData> {
    return this.articles.values();
  }

  /** A file of the site's media/ folder, by its names below it. */
  mediaFile(path: readonly string[]): MediaFile | undefined {
    return this.media.get(sectionKey(path));
  }

  allMedia(): IterableIterator<MediaFile> {
    return this.media.values();
  }

  /** `China / World | World Desk`; the site's own title for the site. */
  feedTitle(scope: Scope): string {
    return scope.titles.length === 0 ? this.site.title : `${scope.titles.join(' / ')} | ${this.site.title}`;
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

  /** Archive `archive` (1 = the oldest), newest first like every feed. */
  archiveItems(scope: Scope, archive: number): ArticleData[] {
    const start = (archive - 1) * this.site.archiveSize;
    const items: ArticleData[] = [];
    for (const placed of scope.published.slice(start, start + this.site.archiveSize)) if (placed.article) items.push(placed.article);
    return items.sort(newestFirstOrder);
  }
}

function publicationOrder(a: Placed, b: Placed): number {
  const aDate = a.article?.published.epochMs ?? a.published;
  const bDate = b.article?.published.epochMs ?? b.published;
  return a.published - b.published || aDate - bDate || compareKeys(placedKey(a), placedKey(b));
}

function placedKey(placed: Placed): string {
  return placed.article ? articleKey(placed.article) : placed.key;
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

function newestFirstOrder(a: ArticleData, b: ArticleData): number {
  return b.published.epochMs - a.published.epochMs || compareKeys(a.id, b.id);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
