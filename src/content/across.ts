/**
 * What only shows across articles: translations linked by `translation_key`, tags and authors
 * spelled two ways (one feed), names that make no URL, and `_authors.yml` entries nobody uses.
 * Every finding is a warning at the line of the key that causes it: nothing here leaves an
 * article out.
 */
import type { Translation } from '../feeds/document.js';
import type { ArticleLines } from './article.js';
import type { ArticleData, AuthorProfile, Problem, SiteSettings } from './model.js';
import { NameGroups } from './names.js';
import { hash } from './source.js';

type Report = (problem: Problem) => void;

/**
 * Articles sharing a `translation_key` link to each other: each gets the others as `translations`
 * (sorted by language) and a version that covers them, as a new object (the parsed article may be
 * shared with the next reload). One article per language is linked, the first in path order; a
 * second one in the same language, and a key only one article uses, are reported.
 */
export function linkTranslations(articles: readonly ArticleData[], linesOf: (article: ArticleData) => ArticleLines, report: Report): ArticleData[] {
  const groups = new Map<string, ArticleData[]>();
  for (const article of articles) {
    if (article.translationKey === undefined) continue;
    const group = groups.get(article.translationKey);
    if (group) group.push(article);
    else groups.set(article.translationKey, [article]);
  }
  const translated = new Map<ArticleData, Translation[]>();
  for (const [key, group] of groups) {
    const first = group[0] as ArticleData;
    if (group.length === 1) {
      report({
        file: first.source,
        line: linesOf(first).translationKey,
        severity: 'warning',
        message: `translation_key "${key}" is used by no other article, so it links no translation (a typo?)`,
      });
      continue;
    }
    const byLanguage = new Map<string, ArticleData>();
    for (const article of group) {
      const taken = byLanguage.get(article.language);
      if (taken) {
        report({
          file: article.source,
          line: linesOf(article).translationKey,
          severity: 'warning',
          message: `translation_key "${key}": ${taken.source} is already its ${article.language} translation; one language has one translation, so this article is not linked`,
        });
      } else byLanguage.set(article.language, article);
    }
    if (byLanguage.size < 2) continue;
    const linked = [...byLanguage.values()].sort((a, b) => (a.language < b.language ? -1 : a.language > b.language ? 1 : 0));
    for (const article of linked) {
      translated.set(
        article,
        linked.filter((other) => other !== article).map((other) => ({ language: other.language, url: other.link, title: other.title })),
      );
    }
  }
  return articles.map((article) => {
    const translations = translated.get(article);
    return translations ? withTranslations(article, translations) : article;
  });
}

/** The same object for the same article and links, so that entries rendered for it stay cached across reloads. */
const linkedVersions = new WeakMap<ArticleData, { signature: string; article: ArticleData }>();

function withTranslations(article: ArticleData, translations: Translation[]): ArticleData {
  const signature = JSON.stringify(translations);
  const known = linkedVersions.get(article);
  if (known?.signature === signature) return known.article;
  // Its properties as they are, not their values: a body read on demand (the cache's) stays unread.
  const linked = Object.defineProperties({}, Object.getOwnPropertyDescriptors(article)) as ArticleData;
  linked.translations = translations;
  linked.version = hash(`${article.version}\0${signature}`);
  linkedVersions.set(article, { signature, article: linked });
  return linked;
}

/**
 * Tags (unless the site turned tag feeds off) and authors: spellings that make one feed, and names
 * with no letter or digit, which make none. Each is reported once, at the first article concerned.
 */
export function checkNames(articles: readonly ArticleData[], linesOf: (article: ArticleData) => ArticleLines, site: SiteSettings, report: Report): void {
  const kinds = [
    { what: 'tag', folder: 'tags', line: (a: ArticleData) => linesOf(a).tags, names: (a: ArticleData) => a.tags },
    { what: 'author', folder: 'authors', line: (a: ArticleData) => linesOf(a).author, names: (a: ArticleData) => a.authors.map((p) => p.name) },
  ];
  for (const kind of kinds) {
    if (kind.what === 'tag' && !site.tagFeeds) continue;
    const groups = new NameGroups(articles.map(kind.names));
    const reported = new Set<string>();
    for (const article of articles) {
      for (const name of kind.names(article)) {
        const slug = groups.slug(name);
        if (slug === '') {
          if (reported.has(`\0${name}`)) continue;
          reported.add(`\0${name}`);
          report({ file: article.source, line: kind.line(article), severity: 'warning', message: `${kind.what} "${name}" has no letter or digit to make its URL of, so it has no feed` });
          continue;
        }
        const group = groups.groups.get(slug);
        if (!group || group.spellings.length < 2 || name.normalize('NFC') === group.title || reported.has(slug)) continue;
        reported.add(slug);
        const spellings = group.spellings.map((s) => `"${s.name}" (${s.count} article${s.count === 1 ? '' : 's'})`).join(', ');
        report({
          file: article.source,
          line: kind.line(article),
          severity: 'warning',
          message: `${kind.what}s ${spellings} are one ${kind.what}, /${kind.folder}/${slug}/, with one feed titled "${group.title}": write them one way`,
        });
      }
    }
  }
}

/** `_authors.yml` entries that no article's author matches (by slug): likely a misspelt name. */
export function unusedProfiles(articles: readonly ArticleData[], profiles: readonly AuthorProfile[]): AuthorProfile[] {
  const groups = new NameGroups(articles.map((a) => a.authors.map((p) => p.name)));
  return profiles.filter((profile) => !groups.groups.has(groups.slug(profile.name)));
}
