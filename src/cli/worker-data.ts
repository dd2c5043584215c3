import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../content/model.js';
import { throughLinks } from '../runtimes/output-folder.js';
import { surveyOutputAside } from '../runtimes/output-survey.js';
import { MAX_ASSET_BYTES, WORKER_ASSETS_DIR, recordedOutputOf, writeWorkerAssets } from '../runtimes/worker-data.js';
import { forgetKeptAssets, readKeptAssets, writeKeptAssets } from '../state/asset-record.js';
import { lockOutput, readOutputRecord, recordOutput, seeInputs, settledRecord, upToDate, writeOutputRecord, type Inputs } from '../state/up-to-date.js';
import { formatUtc } from '../time/index.js';
import { byteSize, count } from '../words/counts.js';
import { helpText, parse, type Command, type CommandIO } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, SKIPPED_EXIT_STATUS, SKIP_INVALID_HELP, SKIP_INVALID_OPTION, attempt, cacheDirOf, loadPublishable, nowOf, whyNotPublished } from './site.js';
import { Progress, stylesOf } from './terminal.js';

const OPTIONS = { ...SITE_OPTIONS, ...SKIP_INVALID_OPTION, out: { type: 'string' }, 'if-changed': { type: 'boolean' } } as const;

export const workerDataCommand: Command = {
  name: 'worker-data',
  summary: "Write the Cloudflare Worker's static assets: every representation and its validators (wrangler.toml's build step runs this). Exits 1 if any article is invalid.",
  usage: 'feedgen worker-data [--articles DIR] [--out DIR] [--base-url URL] [--now INSTANT] [--skip-invalid] [--if-changed] [--cache DIR] [--no-cache] [--preview]',
  options: [
    ...SITE_OPTION_HELP,
    `--out DIR        the assets folder (default ${WORKER_ASSETS_DIR}, as wrangler.toml's [assets] says); with the`,
    '                 cache, only files whose bytes changed are written, in place (with --if-changed, into a new',
    '                 folder that takes the others by hard links); without it, replaced only when this succeeds',
    ...SKIP_INVALID_HELP,
    `                 (wrangler stops at any status but 0: its build step publishes all or nothing)`,
    '--if-changed     do nothing when nothing the assets are made from changed since this last wrote them (with the',
    '                 cache; a run waits for another one into the same folder): wrangler dev runs its build step',
    '                 again at start and at every file event, which then costs a moment',
    '-h, --help       show this help',
  ],
  async run(argv, io) {
    const { values } = parse(argv, OPTIONS);
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const out = values.out ?? WORKER_ASSETS_DIR;
    const cacheDir = cacheDirOf(values);
    if (!values['if-changed'] || cacheDir === undefined) return writeAssets(values, out, io);
    const release = await lockOutput(cacheDir, out);
    try {
      const articles = values.articles ?? 'articles';
      const fixedNow = values.now ?? process.env.SOURCE_DATE_EPOCH;
      const inputs = seeInputs(articles, { articles: path.resolve(articles), out: path.resolve(out), baseUrl: values['base-url'], fixedNow, skipInvalid: values['skip-invalid'], preview: values.preview });
      const record = readOutputRecord(cacheDir, out);
      if (record && upToDate(record, inputs, articles, out, nowOf(values)())) {
        const { err: style } = stylesOf(io);
        const settled = settledRecord(record, inputs);
        const problem = settled && attempt(() => writeOutputRecord(cacheDir, out, settled));
        if (problem) io.err(`${problem}\n`);
        for (const problem of record.problems) io.err(`${style.problem(problem)}\n`);
        io.err(`${style.bold('feedgen worker-data:')} ${out} is up to date: nothing it is made from has changed since it was written\n`);
        return record.status;
      }
      return await writeAssets(values, out, io, {
        seen: inputs.files,
        written: (outcome) => {
          const problem = attempt(() => recordOutput(cacheDir, inputs, articles, out, outcome));
          if (problem) io.err(`${problem}\n`);
        },
      });
    } finally {
      release();
    }
  },
};

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

/** A run of --if-changed: the stats of the folder's files it took, and what it keeps of a run that wrote the assets. */
interface Recorded {
  seen: Inputs['files'];
  written: (outcome: { until?: number; problems: Problem[]; status: number }) => void;
}

async function writeAssets(values: Values, out: string, io: CommandIO, recorded?: Recorded): Promise<number> {
  const skipInvalid = values['skip-invalid'] ?? false;
  const { err: style } = stylesOf(io);
  const progress = new Progress(io, 'worker-data');
  const cacheDir = cacheDirOf(values);
  const kept = cacheDir === undefined ? undefined : readKeptAssets(cacheDir, out);
  // The folder is surveyed against what the last run left there, on another thread while this one loads the site.
  const previous = kept && existsSync(out) ? { ...kept, survey: surveyOutputAside(throughLinks(out), recordedOutputOf(kept)) } : undefined;
  const site = await loadPublishable(values, { skipInvalid, progress: progress.step('parsing', 'articles'), ...(recorded ? { seen: recorded.seen } : {}) });
  progress.clear();
  const { data, history, snapshot, problems } = site;
  for (const problem of problems) io.err(`${style.problem(problem)}\n`);
  if (!data || !history || !snapshot) {
    io.err(`${style.red(`feedgen worker-data: ${whyNotPublished(site, skipInvalid)}; ${out} left as it was`)}\n`);
    return 1;
  }
  const blocked = history.blocked();
  if (blocked) {
    io.err(`${style.red(`feedgen worker-data: ${blocked}; ${out} left as it was`)}\n`);
    return 1;
  }
  if (cacheDir !== undefined) forgetKeptAssets(cacheDir, out);
  // Scheduled changes are rendered ahead, on a copy of the history as this run leaves it.
  // wrangler dev (the build step runs with --if-changed) is given one new folder, not files changed one by one.
  const result = await writeWorkerAssets(snapshot, out, {
    future: { data, copyLedger: () => history.copy() },
    progress: progress.step('writing', 'representations'),
    ...(previous ? { previous } : {}),
    inPlace: !values['if-changed'],
  });
  progress.clear();
  const cacheProblem = cacheDir === undefined ? undefined : attempt(() => writeKeptAssets(cacheDir, out, result.kept));
  if (cacheProblem) io.err(`${cacheProblem}\n`);
  // Not announced to a hub: nothing is live until wrangler has deployed what this prepares.
  for (const line of await history.save()) io.err(`${line}\n`);
  io.err(
    `${style.bold('feedgen worker-data:')} ${count(snapshot.root.items.length, 'article')}, ${count(result.representations, 'representation')} (${byteSize(result.bytes)}) and ${count(result.files - result.representations, 'manifest file')} in ${out}: ${result.written} written, ${result.deleted} deleted\n`,
  );
  for (const { path: asset, size } of result.oversized) {
    io.err(
      `${style.yellow(`feedgen worker-data: warning: ${asset} has ${byteSize(size)}, and Workers Static Assets takes files up to ${byteSize(MAX_ASSET_BYTES)}: wrangler deploy will refuse it; serve it from elsewhere (R2, a CDN) and name it by its absolute URL`)}\n`,
    );
  }
  if (result.changes.length > 0) {
    io.err(`feedgen worker-data: the Worker switches on its own at ${count(result.changes.length, 'scheduled instant')}, ${result.changes.map(formatUtc).join(', ')}\n`);
  }
  const status = site.invalid === 0 ? 0 : SKIPPED_EXIT_STATUS;
  if (status !== 0) io.err(`${style.yellow(`feedgen worker-data: left out ${count(site.invalid, 'invalid article')} (see above)`)}\n`);
  recorded?.written({ ...(snapshot.nextChange === undefined ? {} : { until: snapshot.nextChange }), problems, status });
  return status;
}
