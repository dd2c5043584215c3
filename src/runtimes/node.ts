/**
 * The Node server: loads the articles folder, serves the shared Hono app over node:http, compresses
 * with zlib (brotli and gzip), and reports invalid articles on stderr while serving the rest. With
 * `watch`, it reloads when a file under the folder changes: only changed files are parsed again,
 * only feeds whose content changed are rendered again, and an article an edit breaks keeps its
 * last good version.
 */
import { serve, type ServerType } from '@hono/node-server';
import { watch as watchFolder, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { keepLastGood } from '../content/last-good.js';
import { loadSite, type LoadOptions, type ParseCache } from '../content/load.js';
import { formatProblem, type Problem, type SiteData } from '../content/model.js';
import { createApp } from '../http/app.js';
import type { Compressor } from '../http/middleware/representation/index.js';
import { publish } from '../publish/index.js';
import type { RepresentationStore } from '../publish/store.js';

export interface NodeServerOptions {
  articlesDir: string;
  port: number;
  host: string;
  baseUrl?: string;
  watch?: boolean;
  /** Messages name files relative to this folder (see LoadOptions.displayFrom). */
  displayFrom?: string;
  /** Where problems and status lines go (stderr by default). */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  store: () => RepresentationStore;
  /** Resolves after the next reload (watch mode), for tests. */
  reloaded: () => Promise<void>;
  close: () => Promise<void>;
}

export const compressWithZlib: Compressor = (body, coding) =>
  coding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
    : gzipSync(body, { level: 6 });

/** The current version of the site, and how to move to the next one. */
class LiveSite {
  store!: RepresentationStore;
  private data: SiteData | undefined;
  private cache: ParseCache | undefined;
  private lastReport = '';

  constructor(
    private readonly articlesDir: string,
    private readonly loadOptions: LoadOptions,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Loads the folder; `changed` (absolute paths), when known, limits what is read again. Returns
   * ok: false when the site itself is unusable (the old version stays).
   */
  async load(changed?: ReadonlySet<string>): Promise<{ ok: boolean; articles: number; problems: Problem[] }> {
    const loaded = await loadSite(this.articlesDir, { ...this.loadOptions, cache: this.cache, changed: this.cache ? changed : undefined });
    this.report(loaded.problems);
    if (!loaded.data) return { ok: false, articles: 0, problems: loaded.problems };
    const { data, kept } = keepLastGood(this.data, loaded.data, loaded.problems);
    for (const article of kept) this.log(`feedgen: ${article.source} is invalid; still serving its last good version`);
    this.cache = loaded.cache;
    this.data = data;
    this.store = publish(data, this.store);
    return { ok: true, articles: data.articles.length, problems: loaded.problems };
  }

  /** Prints the problems, unless they are the same as last time. */
  private report(problems: Problem[]): void {
    const text = problems.map(formatProblem).join('\n');
    if (text !== this.lastReport && text) this.log(text);
    this.lastReport = text;
  }
}

export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  // Without a base URL the site links to this server, whose port (--port 0) is known only once it
  // listens: the first load comes after, and requests that arrive before it wait for it.
  let serveFirstStore: (store: RepresentationStore) => void = () => {};
  const firstStore = new Promise<RepresentationStore>((resolve) => (serveFirstStore = resolve));
  let currentStore = (): RepresentationStore | Promise<RepresentationStore> => firstStore;
  const app = createApp({ site: () => currentStore(), compress: compressWithZlib });

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const loadOptions: LoadOptions = { baseUrl: options.baseUrl, fallbackBaseUrl: `http://${host}:${port}`, displayFrom: options.displayFrom };
  const site = new LiveSite(options.articlesDir, loadOptions, log);
  const first = await site.load().catch((error: Error) => error);
  if (first instanceof Error || !first.ok) {
    // Requests still waiting for the first load are cut off: there is no site to answer them from.
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
    throw first instanceof Error ? first : new Error(`cannot serve ${options.articlesDir}: the site settings are unusable (see above)`);
  }
  serveFirstStore(site.store);
  currentStore = () => site.store;
  const errors = first.problems.filter((p) => p.severity === 'error').length;
  log(`feedgen: serving ${first.articles} articles${errors ? ` (${errors} problems, see above)` : ''} at http://${host}:${port}/`);

  let watcher: FSWatcher | undefined;
  let waiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  if (options.watch) {
    // Paths reported since the last reload; undefined when a report named no file.
    let changed: Set<string> | undefined = new Set();
    const reload = () => {
      if (closed) return;
      const paths = changed;
      changed = new Set();
      running = running.then(async () => {
        const started = performance.now();
        const result = await site.load(paths).catch((error: Error) => {
          log(`feedgen: reload failed: ${error.message}`);
          return undefined;
        });
        if (result?.ok) log(`feedgen: reloaded ${result.articles} articles in ${(performance.now() - started).toFixed(0)} ms`);
        for (const resolve of waiters.splice(0)) resolve();
      });
    };
    // Editors write a file in several steps: settle for a moment before reloading.
    watcher = watchFolder(options.articlesDir, { recursive: true }, (_event, filename) => {
      if (filename === null) changed = undefined;
      else changed?.add(path.resolve(options.articlesDir, filename));
      clearTimeout(timer);
      timer = setTimeout(reload, 50);
    });
    log(`feedgen: watching ${options.articlesDir} for changes`);
  }

  return {
    url: `http://${host}:${port}`,
    store: () => site.store,
    reloaded: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
      waiters = [];
      await running;
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
