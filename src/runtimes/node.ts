/**
 * The Node server: loads the articles folder, serves the shared Hono app over node:http, compresses
 * with zlib (brotli and gzip), and reports invalid articles on stderr while serving the rest. With
 * `watch`, it reloads when a file under the folder changes: only changed files are parsed again,
 * only feeds whose content changed are rendered again, and an article an edit breaks keeps its
 * last good version. The publish ledger beside the articles records what was published when: it
 * gives every representation its Last-Modified, and is saved whenever it learns something new.
 */
import { serve, type ServerType } from '@hono/node-server';
import { watch as watchFolder, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { keepLastGood } from '../content/last-good.js';
import { loadSite, type LoadOptions, type ParseCache } from '../content/load.js';
import type { MediaHashes } from '../content/media-files.js';
import { formatProblem, type Problem, type SiteData } from '../content/model.js';
import { createApp } from '../http/app.js';
import type { Compressor } from '../http/middleware/representation/index.js';
import { Ledger, LEDGER_FILE } from '../ledger/ledger.js';
import { ledgerClock, publicationOf, recordArticles, type ResourceClock } from '../publish/publication.js';
import { RepresentationStore } from '../publish/store.js';
import { allResources } from '../site/resources.js';
import { SiteSnapshot } from '../site/snapshot.js';
import { formatUtc } from '../time/index.js';
import { BodySpill, MediaHashFile, ParseCacheFolder } from './cache.js';
import { ledgerFileOf, moveProblems, openLedger, publishingNow, settleLedger } from './ledger.js';
import { nodeMediaBody } from './media.js';

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
  /** "Now" for publishing (default: SOURCE_DATE_EPOCH, else the clock). */
  now?: () => number;
  /** The cache folder (cache.ts): parses are read from it at start and kept in it. Undefined: none. */
  cacheDir?: string;
  /** Bytes of rendered bodies kept in memory (default: the store's); the rest are rendered again when asked for. */
  memoryBytes?: number;
}

export interface RunningServer {
  url: string;
  store: () => RepresentationStore;
  /** Resolves after the next reload (watch mode), for tests. */
  reloaded: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Bodies larger than this are compressed at a faster level. Measured on a 640 KB archive of the
 * bench corpus: brotli 5 took 20 ms for 121 KB and brotli 1 3 ms for 133 KB; gzip 6 25 ms for
 * 117 KB and gzip 1 6 ms for 140 KB. A crawler that reads every archive once made the server spend
 * most of its time compressing at the higher levels.
 */
const LARGE_BODY_BYTES = 256 * 1024;

export const compressWithZlib: Compressor = (body, coding) => {
  const large = body.byteLength > LARGE_BODY_BYTES;
  const compressed =
    coding === 'br'
      ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: large ? 1 : 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
      : gzipSync(body, { level: large ? 1 : 6 });
  // zlib returns a view of its output buffer (16 KiB or more) when the result fits in one: kept as
  // it is, a 3 KiB body would hold 16 KiB (measured: 147 MiB held for the compressed copies of a
  // 64 MiB store). A copy of the exact size is what a cache should keep.
  return compressed.byteLength < compressed.buffer.byteLength ? new Uint8Array(compressed) : compressed;
};

/** Saving waits this long after the last new record, so that a burst of first renders is one write. */
const LEDGER_SAVE_DELAY_MS = 200;

/** The current version of the site, and how to move to the next one. */
class LiveSite {
  store!: RepresentationStore;
  private data: SiteData | undefined;
  private cache: ParseCache | undefined;
  private readonly cacheFolder: ParseCacheFolder | undefined;
  private mediaHashes: MediaHashes | undefined;
  private readonly mediaHashFile: MediaHashFile | undefined;
  private lastReport = '';
  private readonly ledgerFile: string;
  private readonly ledger: Ledger;
  /** False while the ledger on disk is unreadable: then nothing is saved over it. */
  private readonly saveable: boolean;
  private readonly clock: ResourceClock;
  /** Site paths that got new bytes since the ledger was last saved. */
  private changed = new Set<string>();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private switchTimer: NodeJS.Timeout | undefined;
  private switching: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly articlesDir: string,
    private readonly loadOptions: LoadOptions,
    private readonly log: (line: string) => void,
    private readonly now: () => number,
    cacheDir: string | undefined,
    private readonly memoryBytes: number | undefined,
  ) {
    this.cacheFolder = cacheDir === undefined ? undefined : new ParseCacheFolder(cacheDir);
    this.mediaHashFile = cacheDir === undefined ? undefined : new MediaHashFile(cacheDir);
    this.ledgerFile = ledgerFileOf(articlesDir);
    const opened = openLedger(this.ledgerFile, this.ledgerFile);
    this.report(opened.problems);
    if (opened.problems.length > 0) this.log(`feedgen: the ledger is unreadable; Last-Modified starts afresh and nothing is saved until it is fixed`);
    this.ledger = opened.ledger ?? new Ledger();
    this.saveable = opened.ledger !== undefined;
    this.clock = ledgerClock(this.ledger, (path) => {
      this.changed.add(path);
      this.scheduleSave();
    });
  }

  /**
   * Loads the folder; `changed` (absolute paths), when known, limits what is read again. Returns
   * ok: false when the site itself is unusable (the old version stays).
   */
  async load(changed?: ReadonlySet<string>): Promise<{ ok: boolean; articles: number; cached: number; problems: Problem[] }> {
    const first = this.cache === undefined;
    const cache = first ? this.readCache() : this.cache;
    const mediaHashes = first ? this.readMediaHashes() : this.mediaHashes;
    const loaded = await loadSite(this.articlesDir, { ...this.loadOptions, cache, changed: first ? 'stat' : changed, spill: new BodySpill(), mediaHashes });
    this.mediaHashes = loaded.mediaHashes;
    if (!loaded.data) {
      this.writeCache(loaded.cache);
      this.report(loaded.problems);
      return { ok: false, articles: 0, cached: 0, problems: loaded.problems };
    }
    const { data, kept } = keepLastGood(this.data, loaded.data, loaded.problems);
    for (const article of kept) this.log(`feedgen: ${article.source} is invalid; still serving its last good version`);
    this.cache = loaded.cache;
    this.data = data;
    await this.publish(this.now(), loaded.problems);
    // After the new version is served: the cache only matters to the next start.
    this.writeCache(loaded.cache);
    return { ok: true, articles: data.articles.length, cached: loaded.cached, problems: loaded.problems };
  }

  /** The site as of `now`, from the articles last loaded; `problems`: the load's, reported with the moves. */
  private async publish(now: number, problems: Problem[] = []): Promise<void> {
    const data = this.data as SiteData;
    const moves = moveProblems(recordArticles(this.ledger, data, now), data.articles);
    if (problems.length + moves.length > 0) this.report([...problems, ...moves]);
    const snapshot = new SiteSnapshot(data, publicationOf(this.ledger, now, data));
    this.store = new RepresentationStore(snapshot, { previous: this.store, clock: this.clock, maxBytes: this.memoryBytes, openMedia: nodeMediaBody });
    this.armSwitch(now);
    // With a hub, every subscription feed is rendered now: the hub hears of changed ones at once.
    if (snapshot.site.hub) {
      await Promise.all([...allResources(snapshot)].filter(({ resource }) => resource.kind === 'feed' && resource.archive === undefined).map(({ path, resource }) => this.store.get(path, resource)));
    }
    this.scheduleSave();
  }

  private readCache(): ParseCache | undefined {
    try {
      return this.cacheFolder?.read();
    } catch {
      return undefined;
    }
  }

  private readMediaHashes(): MediaHashes | undefined {
    try {
      return this.mediaHashFile?.read();
    } catch {
      return undefined;
    }
  }

  /** The cache only saves time: a failure to write it is reported, never fatal. */
  private writeCache(cache: ParseCache): void {
    try {
      this.cacheFolder?.write(cache);
      if (this.mediaHashes) this.mediaHashFile?.write(this.mediaHashes);
    } catch (error) {
      this.log(`feedgen: the cache was not written (${(error as Error).message}); the next start will take longer`);
    }
  }

  /**
   * The site at `now`, switched first when a scheduled change has come: a request right after the
   * instant never gets the version before it, even if the timer has not fired yet. Requests that
   * arrive during a switch wait for it; otherwise this is one comparison.
   */
  at(now: number): RepresentationStore | Promise<RepresentationStore> {
    const next = this.store.snapshot.nextChange;
    if (next === undefined || now < next) return this.store;
    this.switching ??= this.publish(now)
      .then(() => this.log(`feedgen: ${formatUtc(next)} has come (scheduled): serving ${this.store.snapshot.root.items.length} articles`))
      .catch((error: Error) => this.log(`feedgen: switching to the scheduled version failed: ${error.message}`))
      .finally(() => (this.switching = undefined));
    return this.switching.then(() => this.store);
  }

  /**
   * A timer for the next scheduled change, so that the ledger records it and the hub hears of it
   * on time, requests or not. Timers run late, never early; `at` checks the clock too. A clock
   * that did not move (a fixed "now") never reaches the change: the timer then stops.
   */
  private armSwitch(now: number): void {
    clearTimeout(this.switchTimer);
    const next = this.store.snapshot.nextChange;
    if (next === undefined || this.closed) return;
    // setTimeout takes at most 2^31 - 1 ms (24.8 days); a later change is waited for in steps.
    this.switchTimer = setTimeout(() => {
      const later = this.now();
      if (later === now) return;
      if (later < next) this.armSwitch(later);
      else void this.at(later);
    }, Math.min(next - now, 2 ** 31 - 1));
    this.switchTimer.unref();
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.switchTimer);
  }

  /** Last of all: the bodies of cached articles are read from the cache's files until then. */
  closeCache(): void {
    this.cacheFolder?.close();
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), LEDGER_SAVE_DELAY_MS);
  }

  /** Saves what the ledger learnt (a no-op when nothing is new) and tells the hub. */
  save(): Promise<void> {
    clearTimeout(this.saveTimer);
    const { ledger } = this;
    if (!this.saveable) return this.saving;
    const changed = this.changed;
    this.changed = new Set();
    this.saving = this.saving.then(async () => {
      const lines = await settleLedger(this.ledgerFile, ledger, this.store.snapshot, changed).catch((error: Error) => [`feedgen: the ledger was not saved: ${error.message}`]);
      for (const line of lines) this.log(line);
    });
    return this.saving;
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
  let currentStore = (_now: number): RepresentationStore | Promise<RepresentationStore> => firstStore;
  const now = options.now ?? publishingNow();
  const app = createApp({ site: (at) => currentStore(at), now, compress: compressWithZlib });

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const loadOptions: LoadOptions = { baseUrl: options.baseUrl, fallbackBaseUrl: `http://${host}:${port}`, displayFrom: options.displayFrom };
  const site = new LiveSite(options.articlesDir, loadOptions, log, now, options.cacheDir, options.memoryBytes);
  const first = await site.load().catch((error: Error) => error);
  if (first instanceof Error || !first.ok) {
    // Requests still waiting for the first load are cut off: there is no site to answer them from.
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
    throw first instanceof Error ? first : new Error(`cannot serve ${options.articlesDir}: the site settings are unusable (see above)`);
  }
  serveFirstStore(site.store);
  currentStore = (at) => site.at(at);
  const errors = first.problems.filter((p) => p.severity === 'error').length;
  const fromCache = first.cached > 0 ? ` (${first.cached} read from the cache)` : '';
  log(`feedgen: serving ${first.articles} articles${errors ? ` (${errors} problems, see above)` : ''} at http://${host}:${port}/${fromCache}`);

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
      // The ledger (and its lock and temporary files) is written by feedgen itself; names starting
      // with a dot (an editor's swap files) are skipped by the loader, so they change nothing.
      if (filename !== null && (path.basename(filename).startsWith(LEDGER_FILE) || filename.split(path.sep).some((name) => name.startsWith('.')))) return;
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
      site.stop();
      clearTimeout(timer);
      watcher?.close();
      waiters = [];
      await running;
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await site.save();
      site.closeCache();
    },
  };
}
