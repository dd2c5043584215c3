/** Loading the articles folder the way every command that publishes it does, with one set of rules. */
import { loadSite, type InvalidArticle } from '../content/load.js';
import { displayPathsFrom, type FileStamp } from '../content/source.js';
import type { Problem, SiteData } from '../content/model.js';
import { unrenderedChanges } from '../runtimes/worker-data.js';
import { scheduleNotes } from '../site/schedule.js';
import type { SiteSnapshot } from '../site/snapshot.js';
import { BodySpill, MediaHashFile, ParseCacheFolder } from '../state/cache.js';
import type { HistoryChanges } from '../state/history.js';
import { SiteHistory, recordsHistory } from '../state/site-history.js';
import { count } from '../words/counts.js';
import { attempt, cacheDirOf, nowOf, type SiteValues } from './site-options.js';
import type { ProgressReport } from './terminal.js';

export * from './site-options.js';

export interface PublishableSite {
  /**
   * Only when there is no error (with skipInvalid: none but in invalid articles, which are left
   * out, and some article valid): nothing else is published from an invalid folder.
   */
  data?: SiteData;
  /** The site's history with the site recorded at `now` (not saved yet), the snapshot it gives, and what it learnt. */
  history?: SiteHistory;
  snapshot?: SiteSnapshot;
  changes?: HistoryChanges;
  now: number;
  problems: Problem[];
  errors: number;
  /** Articles that passed, errors elsewhere or not. */
  valid: number;
  /** Article files left out because they are invalid. */
  invalid: number;
  /** Errors that are not in articles (settings, the ledger): they stop a run, skipInvalid or not. */
  fatalErrors: number;
  /** Threads that parsed articles. */
  threads: number;
  /** Articles taken from the cache unread. */
  cached: number;
  /** Article files parsed or taken from the cache (what a run that parses none counts as from the cache). */
  parses: number;
  /** Undefined with --no-cache. */
  cacheDir?: string;
  /** Why the cache could not be written, if it could not. */
  cacheProblem?: string;
}

export interface PublishOptions {
  /** False for `check`, which writes nothing, the cache included (it may run on a read-only checkout). */
  writeCache?: boolean;
  /** False for `check`: the history is read, and what the run learns is not kept. */
  writeHistory?: boolean;
  /** `--skip-invalid`: publish the valid articles when some are invalid (other errors still stop it). */
  skipInvalid?: boolean;
  /** Told as articles are parsed. */
  progress?: ProgressReport;
  /** The stats of every file of the folder, taken just before by the caller (up-to-date.ts seeInputs): not taken again. */
  seen?: ReadonlyMap<string, FileStamp>;
}

/**
 * `check`, `build` and `worker-data` load through here, so that `check` passes exactly when `build`
 * would. Messages name files by paths that open from the directory the command runs in.
 */
export async function loadPublishable(values: SiteValues, { writeCache = true, writeHistory = true, skipInvalid = false, progress, seen }: PublishOptions = {}): Promise<PublishableSite> {
  const articlesDir = values.articles ?? 'articles';
  const now = nowOf(values)();
  const cacheDir = cacheDirOf(values);
  const parses = cacheDir === undefined ? undefined : new ParseCacheFolder(cacheDir);
  const hashes = cacheDir === undefined ? undefined : new MediaHashFile(cacheDir);
  const loaded = await loadSite(articlesDir, {
    baseUrl: values['base-url'],
    displayFrom: process.cwd(),
    cache: parses?.read(),
    changed: seen ? { seen } : 'stat',
    spill: new BodySpill(),
    mediaHashes: hashes?.read(),
    ...(progress ? { progress } : {}),
  });
  const cacheProblem =
    parses && hashes && writeCache
      ? attempt(() => {
          parses.write(loaded.cache);
          hashes.write(loaded.mediaHashes);
        })
      : undefined;
  const recording = loaded.data !== undefined && recordsHistory(loaded.declaredBaseUrl, loaded.data.site.baseUrl, values.preview);
  const opened = SiteHistory.open(articlesDir, { recording, writes: writeHistory, display: displayPathsFrom(process.cwd()), ...(cacheDir === undefined ? {} : { cacheDir }) });
  const problems = [...loaded.problems, ...opened.problems];
  let published: ReturnType<SiteHistory['publish']> | undefined;
  if (loaded.data) {
    // Sections without _index.md and scheduled and expired articles are information; changes the
    // Worker cannot switch to, warnings.
    problems.push(...loaded.notes, ...scheduleNotes(loaded.data.articles, now), ...unrenderedChanges(loaded.data.articles, now));
    if (opened.problems.length === 0) {
      published = opened.history.publish(loaded.data, now);
      problems.push(...published.problems);
      if (skipInvalid) problems.push(...withdrawals(published.changes.deleted, loaded.invalid));
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const inArticle = articleFiles(loaded.invalid.map((article) => article.source));
  const fatalErrors = problems.filter((p) => p.severity === 'error' && !inArticle(p.file)).length;
  const valid = loaded.data?.articles.length ?? 0;
  const site = {
    now,
    problems,
    valid,
    invalid: loaded.invalid.length,
    threads: loaded.threads,
    cached: loaded.cached,
    parses: loaded.cache.size,
    ...(cacheDir === undefined ? {} : { cacheDir }),
    ...(cacheProblem === undefined ? {} : { cacheProblem }),
  };
  if (!loaded.data || !published) return { ...site, errors: Math.max(errors, 1), fatalErrors: Math.max(fatalErrors, 1) };
  const publishable = errors === 0 || (skipInvalid && fatalErrors === 0 && valid > 0);
  return publishable
    ? { ...site, data: loaded.data, history: opened.history, snapshot: published.snapshot, changes: published.changes, errors, fatalErrors }
    : { ...site, errors, fatalErrors };
}

/** Why a run published nothing (the site has no `data`), for its last line. */
export function whyNotPublished(site: PublishableSite, skipInvalid: boolean): string {
  const { errors, fatalErrors, invalid } = site;
  if (fatalErrors > 0) {
    const skippable = errors - fatalErrors;
    return skipInvalid && skippable > 0 ? `${count(errors, 'error')}, ${fatalErrors} of them outside articles (in settings or the ledger), which --skip-invalid does not skip` : count(errors, 'error');
  }
  if (skipInvalid) return 'no article is valid';
  return `${count(errors, 'error')} in ${count(invalid, 'invalid article')} (--skip-invalid publishes the others)`;
}

/**
 * Whether a problem's file is an invalid article's, or a folder that holds one (a folder whose
 * name no URL can carry leaves its articles out): what --skip-invalid may leave out.
 */
function articleFiles(sources: readonly string[]): (file: string) => boolean {
  const files = new Set(sources);
  for (const source of sources) {
    for (let slash = source.lastIndexOf('/'); slash > 0; slash = source.lastIndexOf('/', slash - 1)) files.add(source.slice(0, slash));
  }
  return (file) => files.has(file);
}

/** A published article now left out as invalid is recorded as deleted: said, since readers hear of it. */
function withdrawals(deleted: readonly string[], invalid: readonly InvalidArticle[]): Problem[] {
  const gone = new Set(deleted);
  return invalid
    .filter((article) => gone.has(article.key))
    .map((article) => ({
      file: article.source,
      line: 1,
      severity: 'warning',
      message: 'published before and now left out as invalid: it is recorded as deleted, and Atom feeds announce its deletion until it is fixed',
    }));
}
