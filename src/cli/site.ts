/** Loading the articles folder for commands that write output. */
import { loadSite } from '../content/load.js';
import { formatProblem, type SiteData } from '../content/model.js';
import type { CommandIO } from './args.js';

/**
 * Loads an articles folder for a command that must not go on with an invalid article (build,
 * worker-data): every problem goes to stderr, and undefined comes back unless there were none.
 */
export async function loadValidSite(articlesDir: string, baseUrl: string | undefined, io: CommandIO): Promise<{ data?: SiteData; errors: number; threads: number }> {
  const loaded = await loadSite(articlesDir, { baseUrl });
  for (const problem of loaded.problems) io.err(`${formatProblem(problem)}\n`);
  const errors = loaded.problems.filter((p) => p.severity === 'error').length;
  const threads = loaded.threads;
  return loaded.data && errors === 0 ? { data: loaded.data, errors, threads } : { errors: Math.max(errors, 1), threads };
}

/** The end of a command's summary line: "parsed on 3 threads". */
export function parsedOn(threads: number): string {
  return `parsed on ${threads} thread${threads === 1 ? '' : 's'}`;
}
