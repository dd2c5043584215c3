import { formatProblem } from '../content/model.js';
import { REBUILD_AT_SUFFIX, buildStatic, writeRebuildAt } from '../runtimes/static.js';
import { announceChanges } from '../runtimes/websub.js';
import { forgetBuildRecord, readBuildRecord, writeBuildRecord } from '../state/cache.js';
import { helpText, parse, type Command } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, attempt, loadPublishable, parsedOn } from './site.js';

export const buildCommand: Command = {
  name: 'build',
  summary:
    'Write every URL of the site as a file (same bytes as the server), plus _headers and _redirects. With the cache, only files whose bytes changed are written and files no longer produced are deleted. Exits 1 if any article is invalid.',
  usage: 'feedgen build [--articles DIR] [--out DIR] [--base-url URL] [--now INSTANT] [--cache DIR] [--no-cache] [--preview]',
  options: [
    ...SITE_OPTION_HELP,
    '--out DIR        output folder (default dist); a failed build leaves it as it was',
    '-h, --help       show this help',
    '',
    `Scheduled articles (a future "date") and expired ones are left out. While a change is pending, the`,
    `file DIR${REBUILD_AT_SUFFIX} beside the output folder holds its instant, one RFC 3339 UTC line, for a`,
    'scheduler to build again then; it is removed when nothing is pending.',
  ],
  async run(argv, io) {
    const { values } = parse(argv, { ...SITE_OPTIONS, out: { type: 'string' } });
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const outDir = values.out ?? 'dist';
    const site = await loadPublishable(values);
    const { data, history, snapshot, changes, problems, errors, cacheDir } = site;
    for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
    if (!data || !history || !snapshot || !changes) {
      io.err(`feedgen build: ${errors} errors; ${outDir} left as it was\n`);
      return 1;
    }
    const blocked = history.blocked();
    if (blocked) {
      io.err(`feedgen build: ${blocked}; ${outDir} left as it was\n`);
      return 1;
    }
    const progress = io.isTTY
      ? (done: number, total: number) => {
          if (done === total || done % 500 === 0) io.err(`\rwriting ${done}/${total} files`);
          if (done === total) io.err('\n');
        }
      : undefined;
    const previous = cacheDir === undefined ? undefined : readBuildRecord(cacheDir, outDir);
    if (cacheDir !== undefined) forgetBuildRecord(cacheDir, outDir);
    const result = await buildStatic(snapshot, outDir, { progress, ...(previous ? { previous } : {}) });
    const cacheProblem = site.cacheProblem ?? (cacheDir === undefined ? undefined : attempt(() => writeBuildRecord(cacheDir, outDir, result.record)));
    for (const line of await history.save()) io.err(`${line}\n`);
    if (!history.recording) io.err(`feedgen build: a preview (not at the site's base_url, or --preview): the ledger was read, not written\n`);
    else for (const line of await announceChanges(snapshot, changes.since)) io.err(`${line}\n`);
    if (cacheProblem) io.err(`${cacheProblem}\n`);
    const live = snapshot.root.items.length;
    const held = data.articles.length === live ? '' : ` (${data.articles.length - live} scheduled or expired left out)`;
    io.err(
      `feedgen build: ${live} articles${held}, ${result.files} files, ${(result.bytes / 1024).toFixed(0)} KiB in ${outDir}: ${result.written} written, ${result.deleted} deleted; ${parsedOn(site)}\n`,
    );
    const next = await writeRebuildAt(outDir, snapshot.nextChange);
    if (next) io.err(`feedgen build: the output changes next at ${next.instant} (a scheduled article): build again then; written to ${next.file}\n`);
    return 0;
  },
};
