import { ledgerClock } from '../publish/publication.js';
import { settleLedger } from '../runtimes/ledger.js';
import { MAX_ASSET_BYTES, WORKER_ASSETS_DIR, writeWorkerAssets } from '../runtimes/worker-data.js';
import { formatProblem } from '../content/model.js';
import { formatUtc } from '../time/index.js';
import { helpText, parse, type Command } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, loadPublishable } from './site.js';

export const workerDataCommand: Command = {
  name: 'worker-data',
  summary: "Write the Cloudflare Worker's static assets: every representation and its validators (wrangler.toml's build step runs this). Exits 1 if any article is invalid.",
  usage: 'feedgen worker-data [--articles DIR] [--out DIR] [--base-url URL] [--now INSTANT]',
  options: [
    ...SITE_OPTION_HELP,
    `--out DIR        the assets folder, replaced only when this succeeds (default ${WORKER_ASSETS_DIR}, as wrangler.toml's [assets] says)`,
    '-h, --help       show this help',
  ],
  async run(argv, io) {
    const { values } = parse(argv, { ...SITE_OPTIONS, out: { type: 'string' } });
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const out = values.out ?? WORKER_ASSETS_DIR;
    const { data, ledger, snapshot, ledgerFile, now, problems, errors } = await loadPublishable(values);
    for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
    if (!data || !ledger || !snapshot) {
      io.err(`feedgen worker-data: ${errors} errors; ${out} left as it was\n`);
      return 1;
    }
    // The ledger dates each representation's bytes, as it does for the other runtimes.
    // Scheduled changes are rendered ahead, on a copy of the ledger as this run leaves it.
    const result = await writeWorkerAssets(snapshot, out, ledgerClock(ledger, () => {}), { data, ledger });
    // Not announced to a hub: nothing is live until wrangler has deployed what this prepares.
    for (const line of await settleLedger(ledgerFile, ledger, snapshot, new Set(), result.paths)) io.err(`${line}\n`);
    io.err(
      `feedgen worker-data: ${snapshot.root.items.length} articles, ${result.representations} representations (${(result.bytes / 1024).toFixed(0)} KiB) and ${result.files - result.representations} manifest files in ${out}\n`,
    );
    for (const { path, size } of result.oversized) {
      io.err(
        `feedgen worker-data: warning: ${path} has ${(size / 1024 / 1024).toFixed(1)} MiB, and Workers Static Assets takes files up to ${MAX_ASSET_BYTES / 1024 / 1024} MiB: wrangler deploy will refuse it; serve it from elsewhere (R2, a CDN) and name it by its absolute URL\n`,
      );
    }
    if (result.changes.length > 0) {
      io.err(`feedgen worker-data: the Worker switches on its own at ${result.changes.length} scheduled instants, ${result.changes.map(formatUtc).join(', ')}\n`);
    }
    return 0;
  },
};
