/**
 * What each resource is made from, as named facts of the site whose values a run can compare with
 * the last run's: the site's settings and history as a whole (`site`), each scope's description
 * (`m:<scope>`) and current list (`l:<scope>`), each article (`a:<key>`), the newest change of all
 * (`newest`, `latest`). A resource's content key (render.ts prepareResource) and its headers are
 * made from its facts alone, so a resource none of whose facts changed has the key it had: a run
 * after an edit keys, renders and writes only the resources of the facts the edit changed.
 *
 * The facts are deliberately coarse where changes are rare (any settings file, media file or the
 * output revision changes `site`, on which every resource depends) and fine where they are
 * frequent (an article published or edited changes its own fact and the lists of its scopes).
 */
import type { Resource } from '../site/resources.js';
import { articleKey, lastModified, type Scope, type SiteSnapshot } from '../site/snapshot.js';

/** Every fact of a snapshot by name, with its value: two equal values are the same fact. */
export type SiteFacts = ReadonlyMap<string, string>;

const SITE = 'site';
/** The whole site's newest item change and its history's: what empty feeds are dated and titled by. */
const NEWEST = 'newest';
/** The latest change of anything: what media files without a history of their own are dated by. */
const LATEST = 'latest';

const metaFact = (scope: Scope) => `m:${scope.key}`;
const listFact = (scope: Scope) => `l:${scope.key}`;
const articleFact = (key: string) => `a:${key}`;

/** What a scope's page shows of it, and of each scope listed under it. */
function shown(snapshot: SiteSnapshot, scope: Scope): unknown[] {
  return [scope.ref, scope.titles, snapshot.feedTitle(scope), scope.description, scope.language, scope.content, scope.icon, scope.logo, scope.podcast, scope.authors, scope.image, scope.link, scope.timezone];
}

/** The value of every fact of `snapshot`: one pass over its scopes and articles. */
export function siteFacts(snapshot: SiteSnapshot): SiteFacts {
  const facts = new Map<string, string>();
  const publication = snapshot.publication;
  facts.set(
    SITE,
    JSON.stringify([
      snapshot.site,
      publication?.generatorSince,
      publication ? [...publication.settingsChanged] : [],
      publication ? [...publication.mediaChanged] : [],
      [...snapshot.allMedia()].map((file) => [file.path, file.hash, file.size, file.type]),
    ]),
  );
  facts.set(NEWEST, `${lastModified(snapshot.root.items)?.epochMs ?? ''} ${snapshot.root.changed}`);
  facts.set(LATEST, String(publication?.latest ?? ''));

  // Where each article is held besides its scopes' lists: the archives it was sealed into, the scopes it left.
  const placed = new Map<string, string[]>();
  const place = (key: string, where: string) => {
    const list = placed.get(key);
    if (list) list.push(where);
    else placed.set(key, [where]);
  };
  for (const scope of snapshot.allScopes()) {
    facts.set(metaFact(scope), JSON.stringify([shown(snapshot, scope), scope.opml?.map((s) => s.key), scope.children.map((child) => shown(snapshot, child)), snapshot.archiveCount(scope)]));
    const tombstones = scope.tombstones.map(({ id, deleted }) => `${id}@${deleted}`).join(' ');
    const current = snapshot.currentItems(scope).map(articleKey).join('\n');
    facts.set(listFact(scope), `${scope.changed} ${scope.tombstonesAgedOut ?? ''} ${tombstones}\n${current}`);
    scope.archives.forEach((members, i) => {
      for (const member of members) place(member.key, `${scope.key}#${i + 1}`);
    });
    for (const departure of publication?.scopes.get(scope.key)?.departures ?? []) place(departure.key, `${scope.key}@${departure.at}`);
  }
  for (const article of snapshot.allArticles()) {
    const key = articleKey(article);
    facts.set(articleFact(key), `${article.version} ${article.published.epochMs} ${article.updated?.epochMs ?? ''} ${snapshot.articleChanged(article)} ${placed.get(key)?.join(' ') ?? ''}`);
    placed.delete(key);
  }
  // Members no longer live: what their archives show of them is where and when they left.
  for (const [key, places] of placed) facts.set(articleFact(key), `- ${places.join(' ')}`);
  return facts;
}

/**
 * The facts a resource is made from; undefined for the pages gathering many scopes (the index,
 * collections, OPML) and for the crawlers' files, which are always made.
 */
export function dependenciesOf(snapshot: SiteSnapshot, resource: Resource): string[] | undefined {
  switch (resource.kind) {
    case 'feed': {
      const { scope, archive } = resource;
      if (archive === undefined) {
        const items = snapshot.currentItems(scope);
        return [SITE, metaFact(scope), listFact(scope), ...items.map((item) => articleFact(articleKey(item))), ...(items.length === 0 ? [NEWEST] : [])];
      }
      // An archive shows its members; its Last-Modified also reads the next archive's.
      const members = [...(scope.archives[archive - 1] ?? []), ...(scope.archives[archive] ?? [])];
      const empty = snapshot.archive(scope, archive).items.length === 0;
      return [SITE, metaFact(scope), ...members.map((member) => articleFact(member.key)), ...(empty ? [NEWEST] : [])];
    }
    case 'scope-page': {
      const { scope } = resource;
      return [SITE, metaFact(scope), listFact(scope), ...snapshot.currentItems(scope).map((item) => articleFact(articleKey(item)))];
    }
    case 'article':
      return [SITE, metaFact(snapshot.homeOf(resource.article)), articleFact(articleKey(resource.article))];
    case 'stylesheet':
      return [SITE];
    case 'media':
      return [SITE, LATEST];
    case 'index':
    case 'collection-page':
    case 'opml':
    // Made from every page's dates (sitemaps), the clock (the news sitemap) or the site's files (robots.txt).
    case 'sitemap':
    case 'news-sitemap':
    case 'robots':
      return undefined;
  }
}

/**
 * The facts of one run as a table that resources refer to by index (what a run keeps: one copy of
 * each name and value however many resources share it).
 */
export class FactTable {
  readonly ids: string[] = [];
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly facts: SiteFacts) {}

  /** The indices of `ids` in this table, added as they are first met. */
  indices(ids: readonly string[]): Uint32Array {
    const indices = new Uint32Array(ids.length);
    ids.forEach((id, i) => {
      let index = this.index.get(id);
      if (index === undefined) {
        index = this.ids.push(id) - 1;
        this.values.push(this.facts.get(id) ?? '');
        this.index.set(id, index);
      }
      indices[i] = index;
    });
    return indices;
  }

  /**
   * What an earlier run's resources carry over: given the indices of a resource's facts in that
   * run's table (`ids`, `values`), their indices in this table when none of those facts has another
   * value now (the resource has the key and the bytes it had), else undefined.
   */
  carryFrom({ ids, values }: { ids: readonly string[]; values: readonly string[] }): (deps: Uint32Array) => Uint32Array | undefined {
    const changed = new Uint8Array(ids.length);
    ids.forEach((id, i) => {
      if (this.facts.get(id) !== values[i]) changed[i] = 1;
    });
    const known = new Int32Array(ids.length).fill(-1);
    return (deps) => {
      for (const i of deps) if (changed[i] === 1) return undefined;
      return deps.map((i) => {
        if (known[i] === -1) known[i] = this.indices([ids[i] as string])[0] as number;
        return known[i] as number;
      });
    };
  }
}
