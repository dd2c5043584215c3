import { WORKER_ASSETS_DIR, writeWorkerAssets } from '../runtimes/worker-data.js';
import { formatProblem } from '../content/model.js';
import { formatUtc } from '../time/index.js';
import { helpText, parse, type Command } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, loadPublishable } from './site.js';

export const workerDataCommand: Command = {
  name: 'worker-data',
  summary: "Write the Cloudflare Worker's static assets: every representation and its validators (wrangler.toml's build step runs this). Exits 1 if any article is invalid.",
  usage: 'feedgen worker-data [--articles DIR] [--out DIR] [--base-url URL] [--now INSTANT] [--cache DIR] [--no-cache] [--preview]',
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
    const { data, history, snapshot, problems, errors } = await loadPublishable(values);
    for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
    if (!data || !history || !snapshot) {
      io.err(`feedgen worker-data: ${errors} errors; ${out} left as it was\n`);
      return 1;
    }
    const blocked = history.blocked();
    if (blocked) {
      io.err(`feedgen worker-data: ${blocked}; ${out} left as it was\n`);
      return 1;
    }
    // Scheduled changes are rendered ahead, on a copy of the history as this run leaves it.
    const result = await writeWorkerAssets(snapshot, out, { data, ledger: history.copy() });
    // Not announced to a hub: nothing is live until wrangler has deployed what this prepares.
    for (const line of await history.save()) io.err(`${line}\n`);
    io.err(
      `feedgen worker-data: ${snapshot.root.items.length} articles, ${result.representations} representations (${(result.bytes / 1024).toFixed(0)} KiB) and ${result.files - result.representations} manifest files in ${out}\n`,
    );
    if (result.changes.length > 0) {
      io.err(`feedgen worker-data: the Worker switches on its own at ${result.changes.length} scheduled instants, ${result.changes.map(formatUtc).join(', ')}\n`);
    }
    return 0;
  },
};
