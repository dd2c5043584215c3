/** Loading the articles folder the way every command that publishes it does, with one set of rules. */
import { loadSite } from '../content/load.js';
import type { Problem, SiteData } from '../content/model.js';

export const SITE_OPTIONS = { articles: { type: 'string' }, 'base-url': { type: 'string' } } as const;
export const SITE_OPTION_HELP = [
  '--articles DIR   the articles folder (default ./articles)',
  '--base-url URL   absolute URL the site is published at (default: base_url of articles/_index.md)',
];

export interface PublishableSite {
  /** Only when there is no error: nothing is published from an invalid folder. */
  data?: SiteData;
  problems: Problem[];
  errors: number;
  /** Articles that passed, errors elsewhere or not. */
  valid: number;
  /** Threads that parsed articles. */
  threads: number;
}

/**
 * `check`, `build` and `worker-data` load through here, so that `check` passes exactly when `build`
 * would. Messages name files by paths that open from the directory the command runs in.
 */
export async function loadPublishable(values: { articles?: string | undefined; 'base-url'?: string | undefined }): Promise<PublishableSite> {
  const loaded = await loadSite(values.articles ?? 'articles', { baseUrl: values['base-url'], displayFrom: process.cwd() });
  const errors = loaded.problems.filter((p) => p.severity === 'error').length;
  const counts = { valid: loaded.data?.articles.length ?? 0, threads: loaded.threads };
  if (!loaded.data) return { problems: loaded.problems, errors: Math.max(errors, 1), ...counts };
  return errors === 0 ? { data: loaded.data, problems: loaded.problems, errors, ...counts } : { problems: loaded.problems, errors, ...counts };
}

/** The end of a command's summary line: "parsed on 3 threads". */
export function parsedOn(threads: number): string {
  return `parsed on ${threads} thread${threads === 1 ? '' : 's'}`;
}
