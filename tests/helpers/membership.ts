/**
 * Which articles each tag, author and edition feed must hold, worked out from the files alone (the
 * `yaml` package reading the front matter, the inheritance rules of the README done by hand), and
 * which articles each of those feeds does hold, read back from the rendered bytes of every page of
 * every format. Independent of the loader and the snapshot: only the slug rule is shared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { FEED_FORMATS, type FeedFormat } from '../../src/feeds/formats.js';
import type { Scope } from '../../src/site/snapshot.js';
import { articlePath, feedPath, slugOf, type CollectedKind } from '../../src/urls/paths.js';
import type { RenderedSite } from './site.js';
import { ATOM_NS } from './validators.js';
import { childElement, childElements, parseXml, textContent } from './xml.js';

type FrontMatter = Record<string, unknown>;

function frontMatter(file: string): FrontMatter {
  const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  const end = text.indexOf('\n---', 4);
  return (parse(text.slice(4, end)) as FrontMatter | null) ?? {};
}

function names(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => String(typeof item === 'object' && item !== null ? (item as { name: unknown }).name : item).trim());
}

/** Expected members of every tag, author and edition: scope key (`tags/5g`) -> article URLs. */
export function expectedMembers(articlesDir: string): Map<string, Set<string>> {
  const site = frontMatter(path.join(articlesDir, '_index.md'));
  const baseUrl = String(site.base_url).replace(/\/+$/, '');
  const siteAuthors = names(site.author);
  const tagFeeds = site.tag_feeds !== false;
  const members = new Map<string, Set<string>>();
  const add = (kind: CollectedKind, slug: string, url: string) => {
    if (slug === '') return;
    const key = `${{ tag: 'tags', author: 'authors', edition: 'editions' }[kind]}/${slug}`;
    if (!members.has(key)) members.set(key, new Set());
    members.get(key)?.add(url);
  };
  const walk = (dir: string, folders: string[], editions: string[]) => {
    const index = path.join(dir, '_index.md');
    let own = editions;
    if (folders.length > 0) {
      try {
        const section = frontMatter(index);
        if (Array.isArray(section.editions)) own = section.editions.map((e) => slugOf(String(e)));
      } catch {
        // no _index.md: the parent's editions
      }
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...folders, entry.name], own);
      else if (entry.name.endsWith('.md')) {
        const article = frontMatter(path.join(dir, entry.name));
        if (article.draft === true) continue;
        const url = `${baseUrl}${articlePath(folders, entry.name.slice(0, -3))}`;
        if (tagFeeds) for (const tag of names(article.tags)) add('tag', slugOf(tag), url);
        const authors = names(article.author);
        for (const author of authors.length > 0 ? authors : siteAuthors) add('author', slugOf(author), url);
        const editionKeys = Array.isArray(article.editions) ? article.editions.map((e) => slugOf(String(e))) : own;
        for (const key of editionKeys) add('edition', key, url);
      }
    }
  };
  walk(articlesDir, [], []);
  return members;
}

/** The ids of the items of one feed document, as its bytes say. */
function idsIn(site: RenderedSite, p: string, format: FeedFormat): string[] {
  const body = site.resources.find((r) => r.path === p)?.rendered.body;
  if (body === undefined) throw new Error(`no resource ${p}`);
  if (format === 'json') return (JSON.parse(body) as { items: Array<{ id: string }> }).items.map((i) => i.id);
  if (format === 'rss') return childElements(childElement(parseXml(body), '', 'channel')!, '', 'item').map((i) => textContent(childElement(i, '', 'guid')!));
  return childElements(parseXml(body), ATOM_NS, 'entry').map((e) => textContent(childElement(e, ATOM_NS, 'id')!));
}

/**
 * The ids of every item of a scope's feed in one format, as the bytes say: archive after archive
 * (RFC 5005), then those of the subscription document that are in none (items not yet archived).
 */
export function feedItemIds(site: RenderedSite, scope: Scope, format: FeedFormat): string[] {
  const ids: string[] = [];
  for (let archive = 1; archive <= site.snapshot.archiveCount(scope); archive++) ids.push(...idsIn(site, feedPath(scope.ref, format, archive), format));
  const archived = new Set(ids);
  for (const id of idsIn(site, feedPath(scope.ref, format), format)) if (!archived.has(id)) ids.push(id);
  return ids;
}

/**
 * Every tag, author and edition feed against the expectation: the same set of articles (ids are
 * the article URLs here: these sites set no `id`), each once, in every format; and no expected
 * scope missing. Returns the differences.
 */
export function membershipProblems(site: RenderedSite, articlesDir: string): string[] {
  const expected = expectedMembers(articlesDir);
  const problems: string[] = [];
  const collected = site.snapshot.allScopes().filter((s) => s.ref.kind === 'tag' || s.ref.kind === 'author' || s.ref.kind === 'edition');
  for (const scope of collected) {
    const want = [...(expected.get(scope.key) ?? [])].sort();
    if (want.length === 0 && scope.ref.kind !== 'edition') problems.push(`${scope.key}: a feed nobody's articles carry`);
    for (const format of FEED_FORMATS) {
      const ids = feedItemIds(site, scope, format);
      if (new Set(ids).size !== ids.length) problems.push(`${scope.key} ${format}: an article twice`);
      const got = [...new Set(ids)].sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const missing = want.filter((u) => !got.includes(u));
        const extra = got.filter((u) => !want.includes(u));
        problems.push(`${scope.key} ${format}: missing ${JSON.stringify(missing)}, not carrying it ${JSON.stringify(extra)}`);
      }
    }
  }
  const made = new Set(collected.map((s) => s.key));
  for (const key of expected.keys()) if (!made.has(key)) problems.push(`${key}: no feed, yet articles carry it`);
  return problems;
}
