import { DEFAULT_MAX_BYTES } from '../publish/store.js';
import { startNodeServer } from '../runtimes/node.js';
import { UsageError, helpText, parse, portNumber, type Command } from './args.js';
import { CACHE_OPTIONS, CACHE_OPTION_HELP, NOW_OPTION_HELP, PREVIEW_OPTION, cacheDirOf, nowOf } from './site.js';

const MIB = 1024 * 1024;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the site (feeds, pages, OPML) from the Node server, over the same app as the Worker.',
  usage: 'feedgen serve [--articles DIR] [--port N] [--host H] [--base-url URL] [--watch] [--now INSTANT] [--cache DIR] [--no-cache] [--memory MIB] [--preview]',
  options: [
    '--articles DIR   the articles folder (default ./articles)',
    '--port N         port to listen on (default $PORT, else 8787)',
    '--host H         address to listen on (default 127.0.0.1)',
    '--base-url URL   absolute URL the site is published at (default: base_url of articles/_index.md)',
    '--watch          reload when an article changes (an article an edit breaks keeps its last good version)',
    "--preview        serve without recording history (so does any server not at the site's base_url: a loopback",
    '                 base_url served on another port or address links to where it is served)',
    ...CACHE_OPTION_HELP,
    `${NOW_OPTION_HELP}; a fixed now never reaches a scheduled change`,
    `--memory MIB     rendered bytes kept in memory, least recently used out (default ${DEFAULT_MAX_BYTES / MIB})`,
    '-h, --help       show this help',
  ],
  async run(argv, io) {
    const { values } = parse(argv, {
      articles: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'base-url': { type: 'string' },
      watch: { type: 'boolean' },
      ...CACHE_OPTIONS,
      ...PREVIEW_OPTION,
      now: { type: 'string' },
      memory: { type: 'string' },
    });
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const server = await startNodeServer({
      articlesDir: values.articles ?? 'articles',
      port: portNumber(values.port ?? process.env.PORT, 8787),
      host: values.host ?? '127.0.0.1',
      baseUrl: values['base-url'],
      watch: values.watch ?? false,
      preview: values.preview ?? false,
      now: nowOf(values),
      displayFrom: process.cwd(),
      cacheDir: cacheDirOf(values),
      memoryBytes: values.memory === undefined ? undefined : mebibytes(values.memory) * MIB,
      log: (line) => io.err(`${line}\n`),
    });
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return new Promise<number>(() => {});
  },
};

function mebibytes(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new UsageError(`--memory must be a whole number of MiB from 1, not "${value}"`);
  return Number(value);
}
