/**
 * The kept snapshot: the site a server last published (at its start, after a reload under
 * --watch, at a scheduled change), kept in the cache so that the next start made from the same
 * inputs serves at once, reading neither the articles nor the ledger.
 *
 *   <cache>/sites/<name>.bin            what it was made from and what it said (read first, small)
 *   <cache>/sites/<name>.site.bin       the articles as loaded (their bodies by where they lie in
 *                                       the parse cache's pack files, not copied), the rest of the
 *                                       site's data, and the history's publication
 *   <cache>/sites/<name>.responses.bin  the responses that server held when it stopped, most
 *                                       recently used first, up to a budget
 *
 * `<name>` is made from the articles folder and the options. The three are tied by an id: a file
 * of another id is not read. A kept snapshot is used only when it is exactly what a start would
 * publish (up-to-date.ts inputsHold): the same code and options, every file of the articles folder
 * as it was, the ledger (and a preview's own ledger) as that run left it, and a clock no earlier
 * than that run's and before the site's next scheduled change (keptUntil: an article's age-out of
 * the news sitemap is not one, unless the history moves with the clock); and only while every pack
 * file it points into is still there as it was. Otherwise the start loads the folder as if there
 * were no kept snapshot, and keeps the new one.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { ArticleData, Problem, SiteData } from '../content/model.js';
import type { Representation, RepresentationHead } from '../publish/store.js';
import type { Publication, SiteSnapshot } from '../site/snapshot.js';
import { basePathOf } from '../urls/paths.js';
import { PackFiles, bodyLocator, readCacheFile, writeCacheFile, type StoredArticle } from './cache.js';
import { fileDigest, sha256Base64url } from './digest.js';
import { previewLedgerFile } from './site-history.js';
import { inputsHold, runRecord, seeInputs, settledRecord, type Inputs, type RunRecord } from './up-to-date.js';

/** What a server published, to keep. */
export interface SiteToKeep {
  /** The site as loaded (its scheduled articles too): what a snapshot at another instant is made from. */
  data: SiteData;
  /** What it published from it: its publication, its next changes and its base path are kept. */
  snapshot: SiteSnapshot;
  /** What it reported (the load's problems and the history's). */
  problems: Problem[];
  /** The folder as it was before the load read it (KeptSiteFile inputs, or look). */
  inputs: Inputs;
}

/** A kept snapshot whose inputs hold: what its start said, and what a server needs to answer from its kept responses. */
export interface KeptCheck<Context> {
  id: string;
  /** What the runtime kept of how it published (KeptSiteFile.write). */
  context: Context;
  problems: Problem[];
  /**
   * The site holds from `since` (the now it was published at) until `until`, its next change of
   * anything but the news sitemap: an article that ages out of that changes nothing the history
   * records, and the kept site read later is dated then (site()).
   */
  since: number;
  until: number | undefined;
  /** The kept responses hold until the site's next change of anything, an age-out of the news sitemap included. */
  responsesUntil: number | undefined;
  /** The site's next change but for the news sitemap, which bounds max-age (as its snapshot's). */
  nextSiteChange: number | undefined;
  basePath: string;
  articles: number;
}

/** The kept site: its publication is dated at the `now` it was read for. */
export interface KeptSite {
  data: SiteData;
  publication: Publication;
  /** Closes the pack files its articles read their bodies from (once nothing renders them any more). */
  close: () => void;
}

/** Bodies not in a pack (articles parsed by the run and not cached) are kept inline up to this many bytes in all. */
const INLINE_BODY_BYTES = 16 * 1024 * 1024;
/** Bytes of responses kept for the next start, most recently used first. */
const KEPT_RESPONSE_BYTES = 32 * 1024 * 1024;

interface CheckFile<Context> {
  id: string;
  context: Context;
  run: RunRecord;
  /** Digest of a preview's own ledger as the run left it. */
  previewLedger: string;
  /** The run's now: the site holds from it until `run.until` (KeptCheck). */
  since: number;
  responsesUntil: number | undefined;
  nextSiteChange: number | undefined;
  basePath: string;
  articles: number;
}

interface SiteFile {
  id: string;
  data: Omit<SiteData, 'articles'> & { articles: StoredArticle[] };
  bodies: KeptBodies;
  publication: Publication;
}

/**
 * Where each article's body lies, as compact as the start that reads it needs: the pack files
 * (relative to the cache folder) once each, and per article its pack's index (-1: the body is the
 * next of `inline`), offset and length.
 */
interface KeptBodies {
  packs: Array<{ file: string; bytes: number }>;
  spans: Float64Array;
  inline: string[];
}

interface ResponsesFile {
  id: string;
  responses: Array<[path: string, head: RepresentationHead, body: Uint8Array]>;
}

/**
 * `Context`: what the runtime decided from the folder before it loaded it (a server: the base URL
 * `_index.md` declares, and where it publishes): kept with the site, and checked by the runtime
 * when read, so that a start from the kept snapshot reads nothing else.
 */
export class KeptSiteFile<Context> {
  private readonly base: string;
  /** The folder as it was when this was made: what a start is made from. */
  readonly inputs: Inputs;

  /** `options`: whatever else decides what is published (as up-to-date.ts seeInputs takes them). The folder is looked at now. */
  constructor(
    private readonly cacheDir: string,
    private readonly articlesDir: string,
    private readonly options: Record<string, unknown>,
  ) {
    this.base = path.join(cacheDir, 'sites', sha256Base64url(JSON.stringify([path.resolve(articlesDir), options])).slice(0, 22));
    this.inputs = seeInputs(articlesDir, options);
  }

  /** The folder as it is now, for a load after the start whose site is to be kept: taken before the load reads anything. */
  look(): Inputs {
    return seeInputs(this.articlesDir, this.options);
  }

  /** The kept snapshot's record, if it is what a start at `now` would publish, its context as `holds` says. */
  check(now: number, holds: (context: Context) => boolean): KeptCheck<Context> | undefined {
    const check = readCacheFile<CheckFile<Context>>(`${this.base}.bin`);
    if (!check || now < check.since || !inputsHold(check.run, this.inputs, this.articlesDir, now) || !holds(check.context)) return undefined;
    if (fileDigest(previewLedgerFile(this.cacheDir)) !== check.previewLedger) return undefined;
    const settled = settledRecord(check.run, this.inputs);
    if (settled) {
      try {
        writeCacheFile<CheckFile<Context>>(`${this.base}.bin`, { ...check, run: settled });
      } catch {
        // The next start compares those files by their text again: time only.
      }
    }
    const { id, context, run, since, responsesUntil, nextSiteChange, basePath, articles } = check;
    return { id, context, problems: run.problems, since, until: run.until, responsesUntil, nextSiteChange, basePath, articles };
  }

  /** The kept site of `check` at `now` (which must fall before its next change), or undefined when its files are not all there. */
  site(check: KeptCheck<Context>, now: number): KeptSite | undefined {
    const kept = readCacheFile<SiteFile>(`${this.base}.site.bin`);
    if (!kept || kept.id !== check.id || now < check.since || (check.until !== undefined && now >= check.until)) return undefined;
    const packs = new PackFiles();
    const { spans, inline } = kept.bodies;
    const files = kept.bodies.packs.map((pack) => ({ ...pack, file: path.join(this.cacheDir, pack.file) }));
    const articles: ArticleData[] = [];
    let inlined = 0;
    for (const [i, stored] of kept.data.articles.entries()) {
      const pack = files[spans[3 * i] as number];
      if (!pack) articles.push({ ...stored, html: inline[inlined++] } as ArticleData);
      else if (packs.attach(stored, { ...pack, span: [spans[3 * i + 1] as number, spans[3 * i + 2] as number] })) articles.push(stored as ArticleData);
      else {
        packs.close();
        return undefined;
      }
    }
    return { data: { ...kept.data, articles }, publication: { ...kept.publication, now }, close: () => packs.close() };
  }

  /** The responses the last server of `check`'s site held when it stopped, by site path. */
  responses(check: KeptCheck<Context>): Map<string, Representation> {
    const kept = readCacheFile<ResponsesFile>(`${this.base}.responses.bin`);
    if (!kept || kept.id !== check.id) return new Map();
    return new Map(kept.responses.map(([sitePath, head, body]) => [sitePath, { ...head, body }]));
  }

  /**
   * Keeps what a server published from `inputs`, after the ledger is saved (the record names the
   * ledger as the run left it). Returns the kept snapshot's id; none when the site has no history
   * or most bodies are not in the parse cache (no cache was written), and nothing is then kept.
   */
  write({ data, snapshot, problems, inputs }: SiteToKeep, context: Context): string | undefined {
    const id = randomUUID();
    const { publication } = snapshot;
    const stored = publication && this.storedArticles(data.articles);
    if (!stored) {
      for (const suffix of ['.bin', '.site.bin', '.responses.bin']) rmSync(`${this.base}${suffix}`, { force: true });
      return undefined;
    }
    const until = keptUntil(snapshot, publication);
    // The site before its record: a record never names a site file that is not there yet.
    writeCacheFile<SiteFile>(`${this.base}.site.bin`, { id, data: { ...data, articles: stored.articles }, bodies: stored.bodies, publication });
    writeCacheFile<CheckFile<Context>>(`${this.base}.bin`, {
      id,
      context,
      run: runRecord(inputs, this.articlesDir, { ...(until === undefined ? {} : { until }), problems, status: 0 }),
      previewLedger: fileDigest(previewLedgerFile(this.cacheDir)),
      since: publication.now,
      responsesUntil: snapshot.nextChange,
      nextSiteChange: snapshot.nextSiteChange,
      basePath: basePathOf(snapshot.site.baseUrl),
      articles: data.articles.length,
    });
    return id;
  }

  /** Keeps `responses` (site path -> representation, most recently used first) for the next start of the site `id`, up to the budget. */
  writeResponses(id: string, responses: Iterable<[string, Representation]>): void {
    const kept: ResponsesFile = { id, responses: [] };
    let bytes = 0;
    for (const [sitePath, { body, ...head }] of responses) {
      if (!(body instanceof Uint8Array) || bytes + body.byteLength > KEPT_RESPONSE_BYTES) continue;
      bytes += body.byteLength;
      kept.responses.push([sitePath, head, body]);
    }
    writeCacheFile(`${this.base}.responses.bin`, kept);
  }

  /** The articles without their bodies, and where each body lies; undefined when too many bodies are in no pack file. */
  private storedArticles(all: readonly ArticleData[]): { articles: StoredArticle[]; bodies: KeptBodies } | undefined {
    const locate = bodyLocator();
    const packIndex = new Map<string, number>();
    const bodies: KeptBodies = { packs: [], spans: new Float64Array(3 * all.length), inline: [] };
    const articles: StoredArticle[] = [];
    let inline = 0;
    for (const [i, article] of all.entries()) {
      const location = locate(article);
      if (location) {
        let index = packIndex.get(location.file);
        if (index === undefined) {
          index = bodies.packs.push({ file: path.relative(this.cacheDir, location.file), bytes: location.bytes }) - 1;
          packIndex.set(location.file, index);
        }
        bodies.spans.set([index, ...location.span], 3 * i);
        articles.push(withoutBody(article));
        continue;
      }
      const { html, ...properties } = article;
      inline += html.length;
      if (inline > INLINE_BODY_BYTES) return undefined;
      bodies.spans[3 * i] = -1;
      bodies.inline.push(html);
      articles.push(properties);
    }
    return { articles, bodies };
  }
}

/** A shallow copy of an article without its body: `html` is not read, since that would read the body from its pack. */
function withoutBody(article: ArticleData): StoredArticle {
  const stored: Record<string, unknown> = {};
  for (const key of Object.keys(article)) if (key !== 'html') stored[key] = article[key as keyof ArticleData];
  return stored as StoredArticle;
}

/**
 * Until when a kept site is what a start would publish: its next change but for the news sitemap
 * (an age-out records nothing), unless its history moves with the clock. A merge no run has
 * recorded yet is dated after the latest scheduled change or age-out before now, so it moves at
 * each of them; an article the ledger neither has live nor gone (a clock set back behind a run that
 * saw it published) is dated gone at every instant.
 */
function keptUntil(snapshot: SiteSnapshot, publication: Publication): number | undefined {
  if (publication.movesWithClock === 'always') return publication.now + 1;
  return publication.movesWithClock === 'at-changes' ? snapshot.nextChange : snapshot.nextSiteChange;
}
