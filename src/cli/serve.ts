import { DEFAULT_MAX_BYTES } from '../publish/store.js';
import { startNodeServer } from '../runtimes/node.js';
import { UsageError, helpText, parse, portNumber, type Command } from './args.js';
import { CACHE_OPTIONS, CACHE_OPTION_HELP, NOW_OPTION_HELP, PREVIEW_OPTION, cacheDirOf, nowOf } from './site-options.js';
import { Progress, stylesOf } from './terminal.js';

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
    const port = portNumber(values.port ?? process.env.PORT, 8787);
    const host = values.host ?? '127.0.0.1';
    const { err: style } = stylesOf(io);
    // The start's parse: a reload parses what changed, quickly.
    const parsing = new Progress(io, 'serve').step('parsing', 'articles');
    let starting = true;
    const server = await startNodeServer({
      articlesDir: values.articles ?? 'articles',
      port,
      host,
      baseUrl: values['base-url'],
      watch: values.watch ?? false,
      preview: values.preview ?? false,
      now: nowOf(values),
      displayFrom: process.cwd(),
      cacheDir: cacheDirOf(values),
      memoryBytes: values.memory === undefined ? undefined : mebibytes(values.memory) * MIB,
      log: (line) => io.err(`${line}\n`),
      describeProblem: (problem) => style.problem(problem),
      progress: (done, total) => {
        if (!starting) return;
        parsing(done, total);
        starting = done < total;
      },
    }).catch((error: NodeJS.ErrnoException) => {
      throw new Error(listenProblem(error, host, port) ?? error.message);
    });
    starting = false;
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return new Promise<number>(() => {});
  },
};

/** What to do when the server cannot listen: the port is taken, or needs privileges. */
function listenProblem(error: NodeJS.ErrnoException, host: string, port: number): string | undefined {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (error.code === 'EADDRINUSE') {
    return `port ${port} is in use on ${host} (another feedgen serve or wrangler dev?): stop it, or serve on another port with --port ${port === 65535 ? 8080 : port + 1} (or PORT=…)`;
  }
  if (error.code === 'EACCES') return `no permission to listen on ${address}: ports below 1024 need privileges; use --port 8787, for example, behind a reverse proxy`;
  if (error.code === 'EADDRNOTAVAIL') return `cannot listen on ${address}: ${host} is not an address of this machine (--host 127.0.0.1 or 0.0.0.0)`;
  return undefined;
}

function mebibytes(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new UsageError(`--memory must be a whole number of MiB from 1, not "${value}"`);
  return Number(value);
}
