import { prepareSite } from '../publish/index.js';
import { ledgerClock, publicationOf } from '../publish/publication.js';
import { RepresentationStore } from '../publish/store.js';
import { settleLedger } from '../runtimes/ledger.js';
import { WORKER_DATA_FILE, writeWorkerData } from '../runtimes/worker-data.js';
import { allResources } from '../site/resources.js';
import { formatProblem } from '../content/model.js';
import { helpText, parse, type Command } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, loadPublishable } from './site.js';

export const workerDataCommand: Command = {
  name: 'worker-data',
  summary: "Prepare the module the Cloudflare Worker imports (wrangler.toml's build step runs this). Exits 1 if any article is invalid.",
  usage: 'feedgen worker-data [--articles DIR] [--out FILE] [--base-url URL]',
  options: [...SITE_OPTION_HELP, `--out FILE       the module to write (default ${WORKER_DATA_FILE})`, '-h, --help       show this help'],
  async run(argv, io) {
    const { values } = parse(argv, { ...SITE_OPTIONS, out: { type: 'string' } });
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const { data, ledger, snapshot, ledgerFile, now, problems, errors } = await loadPublishable(values);
    for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
    if (!data || !ledger || !snapshot) {
      io.err(`feedgen worker-data: ${errors} errors; the Worker's data was not written\n`);
      return 1;
    }
    // Every resource rendered once here, so that the ledger dates each one's bytes for the Worker.
    const store = new RepresentationStore(snapshot, { clock: ledgerClock(ledger, () => now, () => {}), maxBytes: 0 });
    const produced = new Set<string>();
    for (const { path, resource } of allResources(snapshot)) {
      await store.get(path, resource);
      produced.add(path);
    }
    // Not announced to a hub: nothing is live until wrangler has deployed what this prepares.
    for (const line of await settleLedger(ledgerFile, ledger, snapshot, new Set(), produced)) io.err(`${line}\n`);
    const out = values.out ?? WORKER_DATA_FILE;
    const { bytes, version } = await writeWorkerData(prepareSite(data, publicationOf(ledger, now), ledger), out);
    io.err(`feedgen worker-data: ${data.articles.length} articles, ${(bytes / 1024).toFixed(0)} KiB, version ${version} -> ${out}\n`);
    return 0;
  },
};
