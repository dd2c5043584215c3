import { REBUILD_AT_SUFFIX, buildStatic, writeRebuildAt } from '../runtimes/static.js';
import { announceChanges } from '../runtimes/websub.js';
import { forgetBuildRecord, readBuildRecord, writeBuildRecord } from '../state/cache.js';
import { byteSize, count } from '../words/counts.js';
import { helpText, parse, type Command } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, SKIPPED_EXIT_STATUS, SKIP_INVALID_HELP, SKIP_INVALID_OPTION, attempt, loadPublishable, parsedOn, whyNotPublished } from './site.js';
import { Progress, stylesOf } from './terminal.js';

export const buildCommand: Command = {
  name: 'build',
  summary: `Write every URL of the site as a file (same bytes as the server), plus _headers and _redirects. With the cache, only files whose bytes changed are written and files no longer produced are deleted. Exits 1 if any article is invalid, or with --skip-invalid publishes the valid ones and exits ${SKIPPED_EXIT_STATUS}.`,
  usage: 'feedgen build [--articles DIR] [--out DIR] [--base-url URL] [--now INSTANT] [--skip-invalid] [--cache DIR] [--no-cache] [--preview]',
  options: [
    ...SITE_OPTION_HELP,
    '--out DIR        output folder (default dist); a failed build leaves it as it was',
    ...SKIP_INVALID_HELP,
    '-h, --help       show this help',
    '',
    `Scheduled articles (a future "date") and expired ones are left out. While a change is pending, the`,
    `file DIR${REBUILD_AT_SUFFIX} beside the output folder holds its instant, one RFC 3339 UTC line, for a`,
    'scheduler to build again then; it is removed when nothing is pending.',
    '',
    `Exit status: 0 built; 1 nothing built (an error); 2 a usage error; ${SKIPPED_EXIT_STATUS} built, invalid articles left out (--skip-invalid).`,
  ],
  async run(argv, io) {
    const { values } = parse(argv, { ...SITE_OPTIONS, ...SKIP_INVALID_OPTION, out: { type: 'string' } });
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const outDir = values.out ?? 'dist';
    const skipInvalid = values['skip-invalid'] ?? false;
    const { err: style } = stylesOf(io);
    const progress = new Progress(io, 'build');
    const site = await loadPublishable(values, { skipInvalid, progress: progress.step('parsing', 'articles') });
    progress.clear();
    const { data, history, snapshot, changes, problems, cacheDir } = site;
    for (const problem of problems) io.err(`${style.problem(problem)}\n`);
    if (!data || !history || !snapshot || !changes) {
      io.err(`${style.red(`feedgen build: ${whyNotPublished(site, skipInvalid)}; ${outDir} left as it was`)}\n`);
      return 1;
    }
    const blocked = history.blocked();
    if (blocked) {
      io.err(`${style.red(`feedgen build: ${blocked}; ${outDir} left as it was`)}\n`);
      return 1;
    }
    const files = progress.step('building', 'files');
    const previous = cacheDir === undefined ? undefined : readBuildRecord(cacheDir, outDir);
    if (cacheDir !== undefined) forgetBuildRecord(cacheDir, outDir);
    const result = await buildStatic(snapshot, outDir, {
      progress: (done, total, written) => files(done, total, `${written} written`),
      ...(previous ? { previous } : {}),
    });
    progress.clear();
    const cacheProblem = site.cacheProblem ?? (cacheDir === undefined ? undefined : attempt(() => writeBuildRecord(cacheDir, outDir, result.record)));
    for (const line of await history.save()) io.err(`${line}\n`);
    if (!history.recording) io.err(`feedgen build: a preview (not at the site's base_url, or --preview): the ledger was read, not written\n`);
    else for (const line of await announceChanges(snapshot, changes.since)) io.err(`${line}\n`);
    if (cacheProblem) io.err(`${cacheProblem}\n`);
    const live = snapshot.root.items.length;
    const held = data.articles.length === live ? '' : ` (${data.articles.length - live} scheduled or expired left out)`;
    io.err(
      `${style.bold('feedgen build:')} ${count(live, 'article')}${held}, ${count(result.files, 'file')}, ${byteSize(result.bytes)} in ${outDir}: ${result.written} written, ${result.deleted} deleted; ${parsedOn(site)}\n`,
    );
    const next = await writeRebuildAt(outDir, snapshot.nextChange);
    if (next) io.err(`feedgen build: the output changes next at ${next.instant} (a scheduled article): build again then; written to ${next.file}\n`);
    if (site.invalid === 0) return 0;
    io.err(`${style.yellow(`feedgen build: left out ${count(site.invalid, 'invalid article')} (see above)`)}\n`);
    return SKIPPED_EXIT_STATUS;
  },
};
