/** Loading the articles folder the way every command that publishes it does, with one set of rules. */
import path from 'node:path';
import { displayPathsFrom, loadSite } from '../content/load.js';
import type { Problem, SiteData } from '../content/model.js';
import type { Ledger } from '../ledger/ledger.js';
import { publicationOf, recordArticles } from '../publish/publication.js';
import { BodySpill, MediaHashFile, ParseCacheFolder, defaultCacheDir } from '../runtimes/cache.js';
import { ledgerFileOf, moveProblems, openLedger, publishingNow } from '../runtimes/ledger.js';
import { unrenderedChanges } from '../runtimes/worker-data.js';
import { scheduleNotes } from '../site/schedule.js';
import { SiteSnapshot } from '../site/snapshot.js';
import { UsageError } from './args.js';

export const CACHE_OPTIONS = { cache: { type: 'string' }, 'no-cache': { type: 'boolean' } } as const;
export const CACHE_OPTION_HELP = [
  '--cache DIR      the cache folder, which only saves time (default: .feedgen-cache/<name of the articles folder> beside it)',
  '--no-cache       neither read nor write the cache',
];
export const SITE_OPTIONS = { articles: { type: 'string' }, 'base-url': { type: 'string' }, now: { type: 'string' }, ...CACHE_OPTIONS } as const;
export const NOW_OPTION_HELP = '--now INSTANT    publish as of this RFC 3339 instant, e.g. 2030-01-01T08:00:00Z (default: SOURCE_DATE_EPOCH, else the clock)';
export const SITE_OPTION_HELP = [
  '--articles DIR   the articles folder (default ./articles)',
  '--base-url URL   absolute URL the site is published at (default: base_url of articles/_index.md)',
  NOW_OPTION_HELP,
  ...CACHE_OPTION_HELP,
];

type SiteValues = { articles?: string | undefined; 'base-url'?: string | undefined; now?: string | undefined; cache?: string | undefined; 'no-cache'?: boolean | undefined };

/** The cache folder the options name, or undefined with --no-cache. */
export function cacheDirOf(values: SiteValues): string | undefined {
  if (values['no-cache']) return undefined;
  return values.cache ?? defaultCacheDir(values.articles ?? 'articles');
}

/** "Now" as the command line and the environment fix it (see publishingNow). */
export function nowOf(values: { now?: string | undefined }): () => number {
  try {
    return publishingNow(values.now);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface PublishableSite {
  /** Only when there is no error: nothing is published from an invalid folder. */
  data?: SiteData;
  /** The publish ledger with the live articles recorded at `now` (not saved), and the snapshot it gives. */
  ledger?: Ledger;
  snapshot?: SiteSnapshot;
  ledgerFile: string;
  now: number;
  problems: Problem[];
  errors: number;
  /** Articles that passed, errors elsewhere or not. */
  valid: number;
  /** Threads that parsed articles. */
  threads: number;
  /** Articles taken from the cache unread. */
  cached: number;
  /** Undefined with --no-cache. */
  cacheDir?: string;
  /** Why the cache could not be written, if it could not. */
  cacheProblem?: string;
}

/**
 * `check`, `build` and `worker-data` load through here, so that `check` passes exactly when `build`
 * would. Messages name files by paths that open from the directory the command runs in.
 */
export async function loadPublishable(values: SiteValues, { writeCache = true } = {}): Promise<PublishableSite> {
  const articlesDir = values.articles ?? 'articles';
  const now = nowOf(values)();
  const cacheDir = cacheDirOf(values);
  const parses = cacheDir === undefined ? undefined : new ParseCacheFolder(cacheDir);
  const hashes = cacheDir === undefined ? undefined : new MediaHashFile(cacheDir);
  const loaded = await loadSite(articlesDir, {
    baseUrl: values['base-url'],
    displayFrom: process.cwd(),
    cache: parses?.read(),
    changed: 'stat',
    spill: new BodySpill(),
    mediaHashes: hashes?.read(),
  });
  const cacheProblem =
    parses && hashes && writeCache
      ? attempt(() => {
          parses.write(loaded.cache);
          hashes.write(loaded.mediaHashes);
        })
      : undefined;
  const ledgerFile = ledgerFileOf(articlesDir);
  const opened = openLedger(ledgerFile, displayPathsFrom(process.cwd())(path.resolve(ledgerFile)));
  const problems = [...loaded.problems, ...opened.problems];
  const { ledger } = opened;
  let snapshot: SiteSnapshot | undefined;
  if (loaded.data) {
    // Scheduled and expired articles are information; changes the Worker cannot switch to, warnings.
    problems.push(...scheduleNotes(loaded.data.articles, now), ...unrenderedChanges(loaded.data.articles, now));
    problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  }
  if (loaded.data && ledger) {
    problems.push(...moveProblems(recordArticles(ledger, loaded.data, now), loaded.data.articles));
    snapshot = new SiteSnapshot(loaded.data, publicationOf(ledger, now, loaded.data));
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const site = {
    ledgerFile,
    now,
    problems,
    valid: loaded.data?.articles.length ?? 0,
    threads: loaded.threads,
    cached: loaded.cached,
    ...(cacheDir === undefined ? {} : { cacheDir }),
    ...(cacheProblem === undefined ? {} : { cacheProblem }),
  };
  if (!loaded.data || !ledger || !snapshot) return { ...site, errors: Math.max(errors, 1) };
  return errors === 0 ? { ...site, data: loaded.data, ledger, snapshot, errors } : { ...site, errors };
}

/** The end of a command's summary line: "parsed on 3 threads", and how many articles the cache spared. */
export function parsedOn(site: { threads: number; cached: number }): string {
  const { threads, cached } = site;
  return `parsed on ${threads} thread${threads === 1 ? '' : 's'}${cached > 0 ? ` (${cached} from the cache)` : ''}`;
}

/** Runs a write to the cache: a failure is reported, never fatal (the cache only saves time). */
export function attempt(write: () => void): string | undefined {
  try {
    write();
    return undefined;
  } catch (error) {
    return `feedgen: the cache was not written (${(error as Error).message}); the next run will take longer`;
  }
}
