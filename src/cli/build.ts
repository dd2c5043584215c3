import { existsSync } from 'node:fs';
import path from 'node:path';
import { maxAgeUntil } from '../http/headers.js';
import { REBUILD_AT_SUFFIX, throughLinks, writeRebuildAt } from '../runtimes/output-folder.js';
import { surveyOutput, surveyOutputAside, surveyedAsRecorded, type OutputSurvey } from '../runtimes/output-survey.js';
import { forgetKeptBuild, readBuildCheck, readKeptBuild, writeBuildCheck, writeKeptBuild, type BuildCheck, type BuildSummary, type KeptBuild } from '../state/build-record.js';
import { inputsHold, runRecord, seeInputs, settledRecord, type Inputs } from '../state/up-to-date.js';
import { byteSize, count } from '../words/counts.js';
import { helpText, parse, type Command, type CommandIO } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, SKIPPED_EXIT_STATUS, SKIP_INVALID_HELP, SKIP_INVALID_OPTION, attempt, cacheDirOf, nowOf, parsedOn } from './site-options.js';
import { Progress, stylesOf } from './terminal.js';

const OPTIONS = { ...SITE_OPTIONS, ...SKIP_INVALID_OPTION, out: { type: 'string' } } as const;
type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

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
    const { values } = parse(argv, OPTIONS);
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const outDir = values.out ?? 'dist';
    const cacheDir = cacheDirOf(values);
    if (cacheDir === undefined) return build(values, outDir, io);
    // What this run is made from, seen before anything is read: a run made from the same, into a
    // folder as the last one left it, has nothing to do.
    const articles = values.articles ?? 'articles';
    const fixedNow = values.now ?? process.env.SOURCE_DATE_EPOCH;
    // Messages name files from where the command runs: a run from elsewhere says other things.
    const inputs = seeInputs(articles, { articles: path.resolve(articles), cwd: process.cwd(), out: path.resolve(outDir), baseUrl: values['base-url'], fixedNow, skipInvalid: values['skip-invalid'], preview: values.preview });
    const check = readBuildCheck(cacheDir, outDir);
    const cached: FromCache = { dir: cacheDir, inputs, record: (kept) => runRecord(inputs, articles, kept) };
    const root = check && existsSync(outDir) ? throughLinks(outDir) : undefined;
    if (!check || root === undefined) return build(values, outDir, io, cached);
    if (inputsHold(check.run, inputs, articles, nowOf(values)())) {
      const survey = surveyOutput(root, check);
      if (surveyedAsRecorded(survey)) {
        const settled = settledRecord(check.run, inputs);
        const problem = settled && attempt(() => writeBuildCheck(cacheDir, outDir, { ...check, run: settled }));
        if (problem) io.err(`${problem}\n`);
        return sayAgain(check, outDir, io);
      }
      return build(values, outDir, io, { ...cached, last: { check, survey: Promise.resolve(survey) } });
    }
    // Something changed: the output folder is surveyed on another thread while this one loads the site.
    return build(values, outDir, io, { ...cached, last: { check, survey: surveyOutputAside(root, check) } });
  },
};

/**
 * A build from the cache: its folder, what the articles folder held as the run began (every
 * file's stats), and what the run leaves for the next one to find (written after the ledger is saved).
 */
interface FromCache {
  dir: string;
  inputs: Inputs;
  record: (outcome: Pick<KeptBuild['run'], 'until' | 'problems' | 'status'>) => KeptBuild['run'];
  /** The last build's check, as the run began, and the output folder as surveyed against it. */
  last?: { check: BuildCheck; survey: Promise<OutputSurvey> };
}

/** Builds the site into `outDir`, from the cache when `cached` is given. */
async function build(values: Values, outDir: string, io: CommandIO, cached?: FromCache): Promise<number> {
  // Loaded only when there is something to build: a run that finds nothing to do needs none of it.
  const [{ loadPublishable, whyNotPublished }, { buildStatic }, { announceChanges }] = await Promise.all([import('./site.js'), import('../runtimes/static.js'), import('../runtimes/websub.js')]);
  const skipInvalid = values['skip-invalid'] ?? false;
  const { err: style } = stylesOf(io);
  const progress = new Progress(io, 'build');
  const site = await loadPublishable(values, { skipInvalid, progress: progress.step('parsing', 'articles'), ...(cached ? { seen: cached.inputs.files } : {}) });
  progress.clear();
  const { data, history, snapshot, changes, problems } = site;
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
  const last = cached?.last;
  const previous = cached && last ? readKeptBuild(cached.dir, outDir, last.check) : undefined;
  if (cached) forgetKeptBuild(cached.dir, outDir);
  const result = await buildStatic(snapshot, outDir, {
    progress: (done, total, written) => files(done, total, `${written} written`),
    ...(previous && last ? { previous: { ...previous, survey: last.survey } } : {}),
  });
  progress.clear();
  for (const line of await history.save()) io.err(`${line}\n`);
  if (!history.recording) io.err(`feedgen build: a preview (not at the site's base_url, or --preview): the ledger was read, not written\n`);
  else for (const line of await announceChanges(snapshot, changes.since)) io.err(`${line}\n`);
  const status = site.invalid === 0 ? 0 : SKIPPED_EXIT_STATUS;
  const summary: BuildSummary = {
    articles: data.articles.length,
    live: snapshot.root.items.length,
    invalid: site.invalid,
    parses: site.parses,
    files: result.files,
    bytes: result.bytes,
    preview: !history.recording,
    ...(snapshot.nextChange === undefined ? {} : { next: snapshot.nextChange }),
  };
  const cacheProblem =
    site.cacheProblem ??
    (cached === undefined
      ? undefined
      : attempt(() => writeKeptBuild(cached.dir, outDir, { run: cached.record({ until: validUntil(snapshot.site.cacheMaxAge, snapshot.nextChange, site.now), problems, status }), summary, ...result.kept })));
  if (cacheProblem) io.err(`${cacheProblem}\n`);
  return finish(summary, outDir, `${result.written} written, ${result.deleted} deleted; ${parsedOn(site)}`, io);
}

/**
 * Until when the output of a build at `now` stays what it wrote: the next scheduled change, and
 * before it the instant from which `_headers` bounds max-age by the seconds left until it.
 */
function validUntil(cacheMaxAge: number, nextChange: number | undefined, now: number): number | undefined {
  if (nextChange === undefined) return undefined;
  // Bounded already: _headers says something else at every second (a fixed now aside).
  if ((maxAgeUntil(nextChange, now) ?? Infinity) < cacheMaxAge) return now + 1;
  return nextChange - cacheMaxAge * 1000 + 1;
}

/** Nothing changed since the last build into `outDir`: it says again what that build said. */
async function sayAgain(kept: BuildCheck, outDir: string, io: CommandIO): Promise<number> {
  const { err: style } = stylesOf(io);
  for (const problem of kept.run.problems) io.err(`${style.problem(problem)}\n`);
  if (kept.summary.preview) io.err(`feedgen build: a preview (not at the site's base_url, or --preview): the ledger was read, not written\n`);
  return finish(kept.summary, outDir, `0 written, 0 deleted; ${parsedOn({ threads: 0, cached: kept.summary.parses })}`, io);
}

/** The summary line, the file that says when to build again, and the exit status. */
async function finish(summary: BuildSummary, outDir: string, work: string, io: CommandIO): Promise<number> {
  const { err: style } = stylesOf(io);
  const held = summary.articles === summary.live ? '' : ` (${summary.articles - summary.live} scheduled or expired left out)`;
  io.err(`${style.bold('feedgen build:')} ${count(summary.live, 'article')}${held}, ${count(summary.files, 'file')}, ${byteSize(summary.bytes)} in ${outDir}: ${work}\n`);
  const next = await writeRebuildAt(outDir, summary.next);
  if (next) io.err(`feedgen build: the output changes next at ${next.instant} (a scheduled article): build again then; written to ${next.file}\n`);
  if (summary.invalid === 0) return 0;
  io.err(`${style.yellow(`feedgen build: left out ${count(summary.invalid, 'invalid article')} (see above)`)}\n`);
  return SKIPPED_EXIT_STATUS;
}
