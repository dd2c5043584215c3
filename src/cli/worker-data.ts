import { WORKER_DATA_FILE, writeWorkerData } from '../runtimes/worker-data.js';
import { helpText, parse, type Command } from './args.js';
import { loadValidSite } from './site.js';

export const workerDataCommand: Command = {
  name: 'worker-data',
  summary: "Prepare the module the Cloudflare Worker imports (wrangler.toml's build step runs this). Exits 1 if any article is invalid.",
  usage: 'feedgen worker-data [--articles DIR] [--out FILE] [--base-url URL]',
  options: [
    '--articles DIR   the articles folder (default ./articles)',
    `--out FILE       the module to write (default ${WORKER_DATA_FILE})`,
    '--base-url URL   absolute URL the Worker is published at (default: base_url of articles/_index.md)',
    '-h, --help       show this help',
  ],
  async run(argv, io) {
    const { values } = parse(argv, { articles: { type: 'string' }, out: { type: 'string' }, 'base-url': { type: 'string' } });
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const { data, errors } = await loadValidSite(values.articles ?? 'articles', values['base-url'], io);
    if (!data) {
      io.err(`feedgen worker-data: ${errors} errors; the Worker's data was not written\n`);
      return 1;
    }
    const out = values.out ?? WORKER_DATA_FILE;
    const { bytes, version } = await writeWorkerData(data, out);
    io.err(`feedgen worker-data: ${data.articles.length} articles, ${(bytes / 1024).toFixed(0)} KiB, version ${version} -> ${out}\n`);
    return 0;
  },
};
