/**
 * Which scopes each article is in: the whole site, its section and every section above it, each
 * edition it belongs to, each of its tags (unless `tag_feeds: false`) and authors, by slug (`5G`
 * and `5g` are one tag). The snapshot builds its scopes from this, and the publish ledger records
 * it (state/history.ts), so that both agree on every membership.
 */
import type { ArticleData, SiteData } from '../content/model.js';
import { NameGroups } from '../content/names.js';
import { SITE_SCOPE, sectionKey, type ScopeRef } from '../urls/paths.js';

export interface Memberships {
  /** Undefined when the site has no tag feeds. */
  tags?: NameGroups;
  authors: NameGroups;
  /** The scopes of a live article: the site first, its sections top-down, then editions, tags, authors. */
  of(article: ArticleData): ScopeRef[];
}

export function authorNames(article: ArticleData): string[] {
  return article.authors.map((p) => p.name);
}

/** `articles`: the live ones, in the order spellings are counted (it decides nothing but speed). */
export function membershipsOf(data: Pick<SiteData, 'site' | 'sections'>, articles: readonly ArticleData[]): Memberships {
  const tags = data.site.tagFeeds ? new NameGroups(articles.map((a) => a.tags)) : undefined;
  const authors = new NameGroups(articles.map(authorNames));
  const sections = new Set(data.sections.map((s) => sectionKey(s.path)));
  const editions = new Set(data.site.editions.map((e) => e.key));
  const sectionRefs = new Map<string, ScopeRef[]>();
  const sectionScopes = (section: readonly string[]): ScopeRef[] => {
    const key = sectionKey(section);
    let refs = sectionRefs.get(key);
    if (!refs) {
      refs = [SITE_SCOPE];
      for (let depth = 1; depth <= section.length; depth++) {
        const upper = section.slice(0, depth);
        if (sections.has(sectionKey(upper))) refs.push({ kind: 'section', section: upper });
      }
      sectionRefs.set(key, refs);
    }
    return refs;
  };
  const memberships: Memberships = {
    authors,
    of(article) {
      const refs = [...sectionScopes(article.section)];
      for (const slug of article.editions) if (editions.has(slug)) refs.push({ kind: 'edition', slug });
      if (tags) for (const slug of tags.slugsOf(article.tags)) refs.push({ kind: 'tag', slug });
      for (const slug of authors.slugsOf(authorNames(article))) refs.push({ kind: 'author', slug });
      return refs;
    },
  };
  if (tags) memberships.tags = tags;
  return memberships;
}
