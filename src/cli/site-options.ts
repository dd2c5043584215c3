/** The options of every command that publishes an articles folder, and what their messages share. */
import { defaultCacheDir } from '../state/cache.js';
import { publishingNow } from '../state/site-history.js';
import { count } from '../words/counts.js';
import { UsageError } from './args.js';

export const CACHE_OPTIONS = { cache: { type: 'string' }, 'no-cache': { type: 'boolean' } } as const;
export const CACHE_OPTION_HELP = [
  '--cache DIR      the cache folder, which only saves time (default: .feedgen-cache/<name of the articles folder> beside it)',
  '--no-cache       neither read nor write the cache',
];
export const PREVIEW_OPTION = { preview: { type: 'boolean' } } as const;
export const PREVIEW_OPTION_HELP =
  '--preview        publish without recording history: the ledger is read, never written (so is any run whose --base-url is not the site\'s base_url)';
export const SITE_OPTIONS = { articles: { type: 'string' }, 'base-url': { type: 'string' }, now: { type: 'string' }, ...CACHE_OPTIONS, ...PREVIEW_OPTION } as const;
export const NOW_OPTION_HELP = '--now INSTANT    publish as of this RFC 3339 instant, e.g. 2030-01-01T08:00:00Z (default: SOURCE_DATE_EPOCH, else the clock)';
export const SITE_OPTION_HELP = [
  '--articles DIR   the articles folder (default ./articles)',
  '--base-url URL   absolute URL the site is published at (default: base_url of articles/_index.md)',
  NOW_OPTION_HELP,
  ...CACHE_OPTION_HELP,
  PREVIEW_OPTION_HELP,
];

/** `--skip-invalid` (build, worker-data). */
export const SKIP_INVALID_OPTION = { 'skip-invalid': { type: 'boolean' } } as const;
/** The exit status of a run that published the valid articles and left invalid ones out. */
export const SKIPPED_EXIT_STATUS = 3;
export const SKIP_INVALID_HELP = [
  `--skip-invalid   publish the valid articles when some are invalid (each is reported as path:line),`,
  `                 and exit with status ${SKIPPED_EXIT_STATUS}; errors in settings or the ledger still stop it`,
];

export type SiteValues = {
  articles?: string | undefined;
  'base-url'?: string | undefined;
  now?: string | undefined;
  cache?: string | undefined;
  'no-cache'?: boolean | undefined;
  preview?: boolean | undefined;
};

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

/** The end of a command's summary line: "parsed on 3 threads", and how many articles the cache spared. */
export function parsedOn(site: { threads: number; cached: number }): string {
  const { threads, cached } = site;
  if (threads === 0) return cached > 0 ? `all ${count(cached, 'article')} from the cache` : 'nothing to parse';
  return `parsed on ${count(threads, 'thread')}${cached > 0 ? ` (${cached} from the cache)` : ''}`;
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
