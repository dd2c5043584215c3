/**
 * SiteData -> an immutable snapshot of the site: every feed scope (the whole site and each section
 * with its subsections) with its items newest first, split into pages. Items are shared by
 * reference between scopes; nothing is copied per feed.
 */
import type { ArticleData, SectionData, SiteData, SiteSettings } from '../content/model.js';
import { sectionKey } from './urls.js';

export interface FeedScope {
  /** [] for the whole site. */
  section: string[];
  /** sectionKey(section); "" for the whole site. */
  key: string;
  /** Section title chain from the top, e.g. ["China", "World"]; [] for the whole site. */
  titles: string[];
  description: string;
  language: string;
  /** Newest first by `date` (ties: by id). */
  items: ArticleData[];
  /** Child sections, sorted by folder name. */
  children: FeedScope[];
}

export class SiteSnapshot {
  readonly site: SiteSettings;
  readonly root: FeedScope;
  private readonly scopes = new Map<string, FeedScope>();
  private readonly articles = new Map<string, ArticleData>();

  constructor(data: SiteData) {
    this.site = data.site;
    this.root = {
      section: [],
      key: '',
      titles: [],
      description: data.site.description,
      language: data.site.language,
      items: [],
      children: [],
    };
    this.scopes.set('', this.root);
    const sections = [...data.sections].sort((a, b) => compareKeys(sectionKey(a.path), sectionKey(b.path)));
    for (const section of sections) this.addScope(section);

    const newestFirst = [...data.articles].sort(newestFirstOrder);
    for (const article of newestFirst) {
      this.articles.set(sectionKey([...article.section, article.slug]), article);
      for (let depth = 0; depth <= article.section.length; depth++) {
        this.scopes.get(sectionKey(article.section.slice(0, depth)))?.items.push(article);
      }
    }
  }

  private addScope(section: SectionData): void {
    const parent = this.scopes.get(sectionKey(section.path.slice(0, -1)));
    if (!parent) throw new Error(`section ${sectionKey(section.path)} listed before its parent`);
    const scope: FeedScope = {
      section: section.path,
      key: sectionKey(section.path),
      titles: [...parent.titles, section.title],
      description: section.description ?? '',
      language: section.language,
      items: [],
      children: [],
    };
    parent.children.push(scope);
    this.scopes.set(scope.key, scope);
  }

  scope(key: string): FeedScope | undefined {
    return this.scopes.get(key);
  }

  /** Every scope, the whole site first, then sections depth-first. */
  allScopes(): FeedScope[] {
    const list: FeedScope[] = [];
    const visit = (scope: FeedScope) => {
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

  /** At least 1: an empty scope still has its (empty) first page. */
  pageCount(scope: FeedScope): number {
    return Math.max(1, Math.ceil(scope.items.length / this.site.feedLimit));
  }

  pageItems(scope: FeedScope, page: number): ArticleData[] {
    const start = (page - 1) * this.site.feedLimit;
    return scope.items.slice(start, start + this.site.feedLimit);
  }
}

/** The latest instant anything in `items` was published or updated. */
export function lastModified(items: readonly ArticleData[]): ArticleData['published'] | undefined {
  let newest: ArticleData['published'] | undefined;
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
