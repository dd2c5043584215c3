/**
 * "Every tag, author and edition feed holds exactly the articles that carry it, and is valid in the
 * same validators as every other feed": on the bundled site, and on a generated site (bench/corpus.ts:
 * nine editions, sections and articles naming them, tags spelled two ways, translations), split into
 * archives of 7 in every kind of scope (and subscription documents of 7) so that membership holds
 * across archives too: every item in the subscription document or in exactly one archive.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus } from '../../bench/corpus.js';
import { EntryCache } from '../../src/feeds/entries.js';
import { renderResource, type RenderableResource } from '../../src/publish/render.js';
import { renderOrder, type Resource } from '../../src/site/resources.js';
import { chunksToText } from '../helpers/chunks.js';
import { membershipProblems } from '../helpers/membership.js';
import { feedRoundTripProblems } from '../helpers/roundtrip.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';
import { feedResources, pageResources, renderSite, type FeedResource, type RenderedSite } from '../helpers/site.js';
import { atomSchemaProblems, htmlSafetyProblems, jsonFeedProblems, libxml2Problems, opmlProblems, rssProblems } from '../helpers/validators.js';

const GENERATED_ARTICLES = 160;
let scratch: string;

const sites: Array<{ name: string; articles: () => Promise<string>; rendered?: RenderedSite; dir?: string }> = [
  { name: 'the bundled site', articles: async () => BUNDLED_ARTICLES },
  {
    name: `a generated site of ${GENERATED_ARTICLES} articles in archives of 7`,
    articles: async () => {
      const dir = await ensureCorpus(GENERATED_ARTICLES, `${scratch}/`);
      const index = path.join(dir, '_index.md');
      await writeFile(index, (await readFile(index, 'utf8')).replace(/^feed_limit: .*$/m, 'feed_limit: 7\narchive_size: 7\narchives: [site, sections, tags, authors, editions]'));
      return dir;
    },
  },
];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'feedgen-membership-'));
  for (const site of sites) {
    site.dir = await site.articles();
    site.rendered = await renderSite(site.dir);
  }
}, 120_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

const collectedFeeds = (site: RenderedSite): FeedResource[] => feedResources(site).filter((f) => ['tag', 'author', 'edition'].includes(f.resource.scope.ref.kind));

describe.each(sites)('every tag, author and edition feed of $name', (site) => {
  it('holds exactly the articles that carry it, each once across the archives of every format', () => {
    const rendered = site.rendered!;
    const kinds = new Set(collectedFeeds(rendered).map((f) => f.resource.scope.ref.kind));
    expect([...kinds].sort()).toEqual(['author', 'edition', 'tag']);
    expect(membershipProblems(rendered, site.dir!)).toEqual([]);
  });

  it('is read back by two parsers, field by field, as every other feed', () => {
    const feeds = collectedFeeds(site.rendered!);
    expect(feeds.flatMap((feed) => feedRoundTripProblems(site.rendered!, feed))).toEqual([]);
  });

  it('is valid: Atom by the RFC 4287 schema, JSON Feed by the 1.1 schema, RSS by its rules and libxml2', async () => {
    const feeds = collectedFeeds(site.rendered!);
    const xml = (format: string) => feeds.filter((f) => f.resource.format === format).map((f) => ({ label: f.path, xml: f.rendered.body }));
    expect(Object.fromEntries(await atomSchemaProblems(xml('atom')))).toEqual({});
    expect(Object.fromEntries(await libxml2Problems(xml('rss')))).toEqual({});
    const base = site.rendered!.data.site.baseUrl;
    expect(feeds.filter((f) => f.resource.format === 'rss').flatMap((f) => rssProblems(f.rendered.body, `${base}${f.path}`).map((p) => `${f.path}: ${p}`))).toEqual([]);
    expect(feeds.filter((f) => f.resource.format === 'json').flatMap((f) => jsonFeedProblems(f.rendered.body, `${base}${f.path}`).map((p) => `${f.path}: ${p}`))).toEqual([]);
  });

  it('has valid OPML lists and script-free pages', async () => {
    const opml = site.rendered!.resources.filter((r) => r.resource.kind === 'opml');
    expect(opml.map((r) => r.path)).toEqual(expect.arrayContaining(['/opml.xml', '/tags/opml.xml', '/authors/opml.xml', '/editions/opml.xml']));
    expect(opml.flatMap((r) => opmlProblems(r.rendered.body).map((p) => `${r.path}: ${p}`))).toEqual([]);
    expect(Object.fromEntries(await libxml2Problems(opml.map((r) => ({ label: r.path, xml: r.rendered.body }))))).toEqual({});
    expect(pageResources(site.rendered!).flatMap((p) => htmlSafetyProblems(p.rendered.body).map((m) => `${p.path}: ${m}`))).toEqual([]);
  });
});

describe('the generated site', () => {
  it('warns about every tag spelled two ways, and makes one feed of it, titled by the commoner spelling', () => {
    const rendered = sites[1]!.rendered!;
    const warnings = rendered.problems.filter((p) => p.message.startsWith('tags "'));
    expect(warnings.length).toBeGreaterThan(5);
    for (const warning of warnings) {
      const [, first, second] = /^tags "([^"]+)" \(\d+ articles?\), "([^"]+)"/.exec(warning.message) ?? [];
      expect(first?.toLowerCase(), warning.message).toBe(second?.toLowerCase());
      const scope = rendered.snapshot.scopeOfName('tag', first!)!;
      expect(scope.titles[1]).toBe(first);
      expect(rendered.snapshot.scopeOfName('tag', second!)).toBe(scope);
    }
    expect(rendered.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('renders the same bytes in the order the build renders in, through an entry cache far smaller than the site', () => {
    const { snapshot, resources } = sites[1]!.rendered!;
    const order = renderOrder(snapshot, resources);
    expect([...order].sort((a, b) => a - b)).toEqual(resources.map((_, i) => i));
    // Archives first, by where they end in the site's publication order, the formats of each together.
    const archives = order.map((i) => resources[i]!.resource).filter((r): r is Extract<Resource, { kind: 'feed' }> & { archive: number } => r.kind === 'feed' && r.archive !== undefined);
    expect(archives.length).toBeGreaterThan(3 * 40);
    expect(order.slice(0, archives.length).map((i) => resources[i]!.resource)).toEqual(archives);
    const ends = archives.map((r) => snapshot.archiveEnd(r.scope, r.archive));
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    for (let k = 0; k < archives.length; k += 3) {
      const three = archives.slice(k, k + 3);
      expect(three.map((r) => r.format)).toEqual(['rss', 'atom', 'json']);
      expect(new Set(three.map((r) => `${r.scope.key}/${r.archive}`)).size).toBe(1);
    }
    // Every article's entries leave the cache and are made again: the bytes are those rendered with every entry kept.
    const entries = new EntryCache(5);
    const differing = order.filter((i) => chunksToText(renderResource(snapshot, resources[i]!.resource as RenderableResource, entries).chunks) !== resources[i]!.rendered.body);
    expect(differing.map((i) => resources[i]!.path)).toEqual([]);
  });

  it('links its translations both ways', () => {
    const rendered = sites[1]!.rendered!;
    const translated = rendered.data.articles.filter((a) => a.translations);
    expect(translated.length).toBe(2 * Math.ceil(GENERATED_ARTICLES / 40));
    for (const article of translated) {
      const [other] = article.translations!;
      const back = rendered.data.articles.find((a) => a.link === other!.url)!;
      expect(back.translations?.map((t) => t.url)).toEqual([article.link]);
    }
  });
});
