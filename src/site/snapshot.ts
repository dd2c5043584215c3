/**
 * SiteData -> an immutable snapshot of the site: every feed scope (the whole site, each section with
 * its subsections) with its items newest first, split into pages. Items are shared by reference
 * between scopes; nothing is copied per feed.
 */
import type { ArticleData, MediaFile, SectionData, SiteData, SiteSettings } from '../content/model.js';
import type { ContentMode, FeedItem, PodcastChannel } from '../feeds/document.js';
import type { OffsetInstant } from '../time/index.js';
import { SITE_SCOPE, scopeKey, sectionKey, type ScopeRef } from '../urls/paths.js';

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
  /** Scopes listed under this one on its page (subsections), sorted by key. */
  children: Scope[];
}

export class SiteSnapshot {
  readonly site: SiteSettings;
  readonly root: Scope;
  private readonly scopes = new Map<string, Scope>();
  private readonly articles = new Map<string, ArticleData>();
  private readonly media = new Map<string, MediaFile>();

  constructor(data: SiteData) {
    this.site = data.site;
    this.root = this.addScope(SITE_SCOPE, [], data.site.description, data.site.language);
    for (const file of data.media) this.media.set(sectionKey(file.path), file);
    const sections = [...data.sections].sort((a, b) => compareKeys(sectionKey(a.path), sectionKey(b.path)));
    for (const section of sections) this.addSection(section);

    const newestFirst = [...data.articles].sort(newestFirstOrder);
    for (const article of newestFirst) {
      this.articles.set(sectionKey([...article.section, article.slug]), article);
      for (let depth = 0; depth <= article.section.length; depth++) {
        this.scopes.get(sectionKey(article.section.slice(0, depth)))?.items.push(article);
      }
    }
  }

  private addScope(ref: ScopeRef, titles: string[], description: string, language: string, settings: ScopeFeedSettings = this.siteFeedSettings()): Scope {
    const scope: Scope = { ref, key: scopeKey(ref), titles, description, language, ...settings, items: [], children: [] };
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

  article(section: readonly string[], slug: string): ArticleData | undefined {
    return this.articles.get(sectionKey([...section, slug]));
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

function newestFirstOrder(a: ArticleData, b: ArticleData): number {
  return b.published.epochMs - a.published.epochMs || compareKeys(a.id, b.id);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
