import { WORKER_ASSETS_DIR, writeWorkerAssets } from '../runtimes/worker-data.js';
import { formatProblem } from '../content/model.js';
import { SiteSnapshot } from '../site/snapshot.js';
import { helpText, parse, type Command } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, loadPublishable } from './site.js';

export const workerDataCommand: Command = {
  name: 'worker-data',
  summary: "Write the Cloudflare Worker's static assets: every representation and its validators (wrangler.toml's build step runs this). Exits 1 if any article is invalid.",
  usage: 'feedgen worker-data [--articles DIR] [--out DIR] [--base-url URL]',
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
    const { data, problems, errors } = await loadPublishable(values);
    for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
    if (!data) {
      io.err(`feedgen worker-data: ${errors} errors; ${out} left as it was\n`);
      return 1;
    }
    const result = await writeWorkerAssets(new SiteSnapshot(data), out);
    io.err(
      `feedgen worker-data: ${data.articles.length} articles, ${result.representations} representations (${(result.bytes / 1024).toFixed(0)} KiB) and ${result.files - result.representations} manifest files in ${out}\n`,
    );
    return 0;
  },
};
