/**
 * SiteData -> an immutable snapshot of the site: every feed scope with its items newest first,
 * split into pages. The scopes: the whole site; each section with its subsections; each edition the
 * site declares (its articles: those that name it or whose section does); each tag (unless
 * `tag_feeds: false`) and each author, by slug, so that `5G` and `5g` are one tag. Items are shared
 * by reference between scopes; nothing is copied per feed.
 */
import type { ArticleData, AuthorProfile, SectionData, SiteData, SiteSettings } from '../content/model.js';
import { NameGroups, type NameGroup } from '../content/names.js';
import type { FeedItem, Person } from '../feeds/document.js';
import type { OffsetInstant } from '../time/index.js';
import { SITE_SCOPE, scopeKey, sectionKey, slugOf, type CollectedKind, type ScopeRef } from '../urls/paths.js';

export interface Scope {
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

  constructor(data: SiteData) {
    this.site = data.site;
    this.root = this.addScope(SITE_SCOPE, [], data.site.description, data.site.language);
    for (const edition of data.site.editions) {
      const scope = this.addScope({ kind: 'edition', slug: edition.key }, [edition.title], edition.description ?? '', edition.language, `${data.site.title} ${edition.title}`);
      if (edition.timezone) scope.timezone = edition.timezone;
      this.collections.edition.push(scope);
    }
    const sections = [...data.sections].sort((a, b) => compareKeys(sectionKey(a.path), sectionKey(b.path)));
    for (const section of sections) this.addSection(section);

    const newestFirst = [...data.articles].sort(newestFirstOrder);
    const tags = data.site.tagFeeds ? new NameGroups(newestFirst.map((a) => a.tags)) : undefined;
    const authors = new NameGroups(newestFirst.map(authorNames));
    if (tags) for (const group of sortedGroups(tags)) this.addTag(group);
    const profiles = new Map(data.authorProfiles.map((p) => [slugOf(p.name), p]));
    for (const group of sortedGroups(authors)) this.addAuthor(group, profiles.get(group.slug));

    for (const article of newestFirst) {
      this.articles.set(sectionKey([...article.section, article.slug]), article);
      for (let depth = 0; depth <= article.section.length; depth++) {
        this.scopes.get(sectionKey(article.section.slice(0, depth)))?.items.push(article);
      }
      for (const key of article.editions) this.scope({ kind: 'edition', slug: key })?.items.push(article);
      if (tags) for (const slug of tags.slugsOf(article.tags)) this.scope({ kind: 'tag', slug })?.items.push(article);
      for (const slug of authors.slugsOf(authorNames(article))) this.scope({ kind: 'author', slug })?.items.push(article);
    }
    this.root.opml = [...this.sectionTree(), ...this.collections.edition];
    for (const edition of this.collections.edition) edition.opml = [edition, ...edition.children];
  }

  private addScope(ref: ScopeRef, titles: string[], description: string, language: string, feedTitle = defaultFeedTitle(titles, this.site.title)): Scope {
    const scope: Scope = { ref, key: scopeKey(ref), titles, feedTitle, description, language, items: [], children: [] };
    this.scopes.set(scope.key, scope);
    return scope;
  }

  private addSection(section: SectionData): void {
    const parent = this.scopes.get(sectionKey(section.path.slice(0, -1)));
    if (!parent) throw new Error(`section ${sectionKey(section.path)} listed before its parent`);
    const ref: ScopeRef = { kind: 'section', section: section.path };
    const scope = this.addScope(ref, [...parent.titles, section.title], section.description ?? '', section.language);
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

  allArticles(): IterableIterator<ArticleData> {
    return this.articles.values();
  }

  /** See Scope.feedTitle. */
  feedTitle(scope: Scope): string {
    return scope.feedTitle;
  }

  /** At least 1: an empty scope still has its (empty) first page. */
  pageCount(scope: Scope): number {
    return Math.max(1, Math.ceil(scope.items.length / this.site.feedLimit));
  }

  pageItems(scope: Scope, page: number): ArticleData[] {
    const start = (page - 1) * this.site.feedLimit;
    return scope.items.slice(start, start + this.site.feedLimit);
  }
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

function newestFirstOrder(a: ArticleData, b: ArticleData): number {
  return b.published.epochMs - a.published.epochMs || compareKeys(a.id, b.id);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
