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
}

/**
 * `check`, `build` and `worker-data` load through here, so that `check` passes exactly when `build`
 * would. Messages name files by paths that open from the directory the command runs in.
 */
export async function loadPublishable(values: { articles?: string | undefined; 'base-url'?: string | undefined }): Promise<PublishableSite> {
  const loaded = await loadSite(values.articles ?? 'articles', { baseUrl: values['base-url'], displayFrom: process.cwd() });
  const errors = loaded.problems.filter((p) => p.severity === 'error').length;
  const valid = loaded.data?.articles.length ?? 0;
  if (!loaded.data) return { problems: loaded.problems, errors: Math.max(errors, 1), valid };
  return errors === 0 ? { data: loaded.data, problems: loaded.problems, errors, valid } : { problems: loaded.problems, errors, valid };
}
