/**
 * The Node server: loads the articles folder, serves the shared Hono app over node:http, compresses
 * with zlib (brotli and gzip), and reports invalid articles on stderr while serving the rest. With
 * `watch`, it reloads on every change to the folder (watch.ts): only changed files are parsed
 * again, only feeds whose content changed are rendered again, and an article an edit breaks keeps
 * its last good version. It publishes with the site's history (state/site-history.ts): served at
 * the site's own address it records what it publishes in the ledger; anywhere else (another port,
 * `--base-url`, `--preview`) it is a preview, and writes no history.
 */
import { serve, type ServerType } from '@hono/node-server';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { LoadOptions, ParseCache } from '../content/load.js';
import { displayPathsFrom } from '../content/source.js';
import type { MediaHashes } from '../content/media-files.js';
import { normalizeBaseUrl } from '../urls/http-url.js';
import { formatProblem, type Problem, type SiteData } from '../content/model.js';
import { createApp, type ServedSite } from '../http/app.js';
import type { Compressor } from '../http/representation.js';
import { RepresentationStore, type Representation } from '../publish/store.js';
import { SiteSnapshot } from '../site/snapshot.js';
import { BodySpill, MediaHashFile, ParseCacheFolder } from '../state/cache.js';
import { KeptSiteFile, type KeptCheck, type KeptSite, type SiteToKeep } from '../state/kept-site.js';
import { LEDGER_FILE } from '../state/ledger.js';
import { SiteHistory, publishingNow, recordsHistory, type Published } from '../state/site-history.js';
import type { Inputs } from '../state/up-to-date.js';
import { formatUtc } from '../time/index.js';
import { count } from '../words/counts.js';
import { nodeMediaBody } from './media.js';
import { FolderWatcher } from './watch.js';
import { announceChanges } from './websub.js';

export interface NodeServerOptions {
  articlesDir: string;
  port: number;
  host: string;
  baseUrl?: string;
  watch?: boolean;
  /** Publish without recording history, whatever the address (`serve --preview`). */
  preview?: boolean;
  /** Messages name files relative to this folder (see LoadOptions.displayFrom). */
  displayFrom?: string;
  /** Where problems and status lines go (stderr by default). */
  log?: (line: string) => void;
  /** How problems are written (default formatProblem; the CLI colours them on a terminal). */
  describeProblem?: (problem: Problem) => string;
  /** Told as articles are parsed (LoadOptions.progress). */
  progress?: (done: number, total: number) => void;
  /** "Now" for publishing (default: SOURCE_DATE_EPOCH, else the clock). */
  now?: () => number;
  /** The cache folder (cache.ts): parses are read from it at start and kept in it. Undefined: none. */
  cacheDir?: string;
  /** Bytes of rendered bodies kept in memory (default: the store's); the rest are rendered again when asked for. */
  memoryBytes?: number;
}

export interface RunningServer {
  url: string;
  /** The site's current store (read first after a start from the kept snapshot). */
  store: () => Promise<RepresentationStore>;
  /** Resolves after the next reload (watch mode), for tests. */
  reloaded: () => Promise<void>;
  /**
   * Resolves once the server has every change to the folder made before the call (watch mode: it
   * looks at once, rather than when the file system says), has reloaded it, and has saved what it
   * learnt.
   */
  idle: () => Promise<void>;
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

/** Saving waits this long after the last publish, so that a burst of reloads is one write. */
const LEDGER_SAVE_DELAY_MS = 200;
/** How often a server whose ledger could not be read looks at it again. */
const LEDGER_RETRY_MS = 10_000;

/** Where a server publishes, decided from the base_url `_index.md` declares (null: none), which it keeps with the site. */
interface Publishing {
  declared: string | null;
  baseUrl: string | null;
  fallbackBaseUrl: string | null;
  /** It publishes at the site's own address (state/site-history.ts recordsHistory). */
  recording: boolean;
}

/** The current version of the site, and how to move to the next one. */
class LiveSite {
  /** Undefined until the site is read (a start from the kept snapshot answers its kept responses until then). */
  store: RepresentationStore | undefined;
  private data: SiteData | undefined;
  private cache: ParseCache | undefined;
  private readonly cacheFolder: ParseCacheFolder | undefined;
  private mediaHashes: MediaHashes | undefined;
  private readonly mediaHashFile: MediaHashFile | undefined;
  private lastReport = '';
  private opened: SiteHistory | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private switchTimer: NodeJS.Timeout | undefined;
  private switching: Promise<void> | undefined;
  private saidBlocked = false;
  private closed = false;
  /** What was last published, kept once the ledger is saved (undefined: nothing to keep). */
  private toKeep: SiteToKeep | undefined;
  /** What the current articles were loaded from, and what the load reported: a scheduled change publishes them again. */
  private madeFrom: { inputs: Inputs; problems: Problem[] } | undefined;
  /** The kept snapshot's id and the snapshot it is, while this server serves it: its responses are kept when it stops. */
  private keptVersion: { id: string; snapshot: SiteSnapshot | undefined } | undefined;
  /** A start from the kept snapshot: its check, its kept responses, and the site once read. */
  private keptStart: { check: KeptCheck<Publishing>; kept: Map<string, Representation>; responses: ServedSite; reading?: Promise<void> } | undefined;
  /** The kept site's articles read their bodies from these pack files. */
  private keptSite: KeptSite | undefined;

  constructor(
    private readonly articlesDir: string,
    private readonly loadOptions: LoadOptions,
    private readonly log: (line: string) => void,
    private readonly now: () => number,
    private readonly cacheDir: string | undefined,
    private readonly memoryBytes: number | undefined,
    private readonly publishing: Publishing,
    private readonly describeProblem: (problem: Problem) => string = formatProblem,
    private readonly keptFile?: KeptSiteFile<Publishing>,
  ) {
    this.cacheFolder = cacheDir === undefined ? undefined : new ParseCacheFolder(cacheDir);
    this.mediaHashFile = cacheDir === undefined ? undefined : new MediaHashFile(cacheDir);
    if (!publishing.recording) this.log('feedgen: a preview (not served at the base_url of _index.md, or --preview): the ledger is read, never written');
  }

  /** The history, read when first needed: a start from the kept snapshot needs none. */
  private get history(): SiteHistory {
    if (this.opened) return this.opened;
    const display = displayPathsFrom(this.loadOptions.displayFrom ?? path.dirname(path.resolve(this.articlesDir)));
    const opened = SiteHistory.open(this.articlesDir, { recording: this.publishing.recording, writes: true, display, ...(this.cacheDir === undefined ? {} : { cacheDir: this.cacheDir }) });
    this.opened = opened.history;
    this.report(opened.problems);
    if (opened.problems.length > 0) {
      this.log('feedgen: the ledger is unreadable; Last-Modified starts afresh, and nothing is saved until it is fixed');
      this.retryTimer = setInterval(() => void this.save(), LEDGER_RETRY_MS);
      this.retryTimer.unref();
    }
    return this.opened;
  }

  /**
   * Starts from the kept snapshot (state/kept-site.ts): the responses the last server held are
   * answered at once, and the kept site is read when a request needs anything else.
   */
  startKept(check: KeptCheck<Publishing>, responses: Map<string, Representation>): void {
    this.keptVersion = { id: check.id, snapshot: undefined };
    this.report(check.problems);
    const served: ServedSite = {
      basePath: check.basePath,
      nextChange: check.nextSiteChange,
      resolve: (sitePath) => {
        const kept = responses.get(sitePath);
        if (kept) return { kind: 'found', representation: () => kept };
        return this.read(this.now()).then((store) => store.resolve(sitePath));
      },
    };
    this.keptStart = { check, kept: responses, responses: served };
    this.armSwitch(this.now());
  }

  /** The site's current store, read first after a start from the kept snapshot (the kept site, or the folder if that is gone). */
  async read(now: number): Promise<RepresentationStore> {
    const start = this.keptStart;
    if (start && !this.store) {
      start.reading ??= Promise.resolve().then(async () => {
        const kept = this.keptFile?.site(start.check, now);
        if (kept && this.keptFile) {
          this.keptSite = kept;
          this.data = kept.data;
          this.madeFrom = { inputs: this.keptFile.inputs, problems: start.check.problems };
          this.store = this.storeOf(new SiteSnapshot(kept.data, kept.publication));
          if (this.keptVersion) this.keptVersion.snapshot = this.store.snapshot;
          this.armSwitch(now);
          return;
        }
        const loaded = await this.load();
        if (!loaded.ok) throw new Error(`cannot serve ${this.articlesDir}: the site settings are unusable (see above)`);
      });
      // A folder that could not be read is tried again at the next request.
      await start.reading.catch((error: Error) => {
        start.reading = undefined;
        throw error;
      });
    }
    return this.store as RepresentationStore;
  }

  /**
   * Loads the folder; `changed` (absolute paths), when known, limits what is read again. Returns
   * ok: false when the site itself is unusable (the old version stays).
   */
  async load(changed?: ReadonlySet<string>): Promise<{ ok: boolean; articles: number; cached: number; problems: Problem[] }> {
    const first = this.cache === undefined;
    // What the load is made from, seen before it reads anything: the start's own load (not one
    // after a start from the kept snapshot) takes what the kept-site file saw; a reload looks again.
    const startsHere = this.store === undefined && this.keptStart === undefined;
    const inputs = startsHere ? this.keptFile?.inputs : this.keptFile?.look();
    const cache = first ? this.readCache() : this.cache;
    const mediaHashes = first ? this.readMediaHashes() : this.mediaHashes;
    // The loader and its parsers are read only when a start or a reload reads the folder.
    const [{ loadSite }, { keepLastGood }] = await Promise.all([import('../content/load.js'), import('../content/last-good.js')]);
    // A load looks at no file that was looked at for it already.
    const loaded = await loadSite(this.articlesDir, { ...this.loadOptions, cache, changed: inputs ? { seen: inputs.files } : first ? 'stat' : changed, spill: new BodySpill(), mediaHashes });
    this.mediaHashes = loaded.mediaHashes;
    if (!loaded.data) {
      this.writeCache(loaded.cache);
      this.report(loaded.problems);
      return { ok: false, articles: 0, cached: 0, problems: loaded.problems };
    }
    const { data, kept } = keepLastGood(this.data, loaded.data, loaded.invalid);
    for (const article of kept) this.log(`feedgen: ${article.source} is invalid; still serving its last good version`);
    this.cache = loaded.cache;
    this.data = data;
    const { snapshot, problems } = this.publish(this.now(), loaded.problems);
    // A site that still serves the last good version of a broken article is not what a start
    // would publish from the folder (it leaves the article out): it is not kept.
    this.madeFrom = inputs && kept.length === 0 ? { inputs, problems: loaded.problems } : undefined;
    this.keepLater(snapshot, problems);
    // After the new version is served: the cache only matters to the next start.
    this.writeCache(loaded.cache);
    return { ok: true, articles: data.articles.length, cached: loaded.cached, problems: loaded.problems };
  }

  /** The site as of `now`, from the articles last loaded; `problems`: the load's, reported with the history's. */
  private publish(now: number, problems: Problem[] = []): Published {
    const data = this.data as SiteData;
    const wasUnreadable = this.history.unreadable;
    const published = this.history.publish(data, now);
    this.noticeReadable(wasUnreadable);
    if (problems.length + published.problems.length > 0) this.report([...problems, ...published.problems]);
    const blocked = this.history.blocked();
    if (blocked && !this.saidBlocked) this.log(`feedgen: ${blocked}; serving without saving it`);
    this.saidBlocked ||= blocked !== undefined;
    this.store = this.storeOf(published.snapshot);
    this.armSwitch(now);
    if (this.history.recording) {
      void announceChanges(published.snapshot, published.changes.since).then((lines) => lines.forEach((line) => this.log(line)));
    }
    this.scheduleSave();
    return published;
  }

  /** The representations of `snapshot`, keeping those of the store before that are still the same. */
  private storeOf(snapshot: SiteSnapshot): RepresentationStore {
    return new RepresentationStore(snapshot, { previous: this.store, maxBytes: this.memoryBytes, openMedia: nodeMediaBody });
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
  at(now: number): ServedSite | Promise<ServedSite> {
    const store = this.store;
    if (!store) {
      const start = this.keptStart;
      if (start && (start.check.responsesUntil === undefined || now < start.check.responsesUntil)) return start.responses;
      return this.read(now).then(() => this.at(now));
    }
    const { nextChange: next, nextSiteChange } = store.snapshot;
    if (next === undefined || now < next) return store;
    if (nextSiteChange === undefined || now < nextSiteChange) {
      // Only the news sitemap changes (an article leaves it): the same site, its clock moved on.
      this.store = this.storeOf(store.snapshot.at(now));
      this.armSwitch(now);
      return this.store;
    }
    this.switching ??= Promise.resolve()
      .then(() => {
        const { snapshot, problems } = this.publish(now);
        this.keepLater(snapshot, problems);
      })
      .then(() => this.log(`feedgen: ${formatUtc(next)} has come (scheduled): serving ${this.store?.snapshot.root.items.length ?? 0} articles`))
      .catch((error: Error) => this.log(`feedgen: switching to the scheduled version failed: ${error.message}`))
      .finally(() => (this.switching = undefined));
    return this.switching.then(() => this.store as RepresentationStore);
  }

  /**
   * A timer for the next scheduled change, so that the ledger records it and the hub hears of it
   * on time, requests or not. Timers run late, never early; `at` checks the clock too. A clock
   * that did not move (a fixed "now") never reaches the change: the timer then stops.
   */
  private armSwitch(now: number): void {
    clearTimeout(this.switchTimer);
    const next = this.store ? this.store.snapshot.nextChange : this.keptStart?.check.responsesUntil;
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
    clearInterval(this.retryTimer);
  }

  /** Last of all: the bodies of cached articles are read from the cache's files until then. */
  closeCache(): void {
    this.cacheFolder?.close();
    this.keptSite?.close();
  }

  /**
   * Keeps the responses this server holds for the next start, while it serves the site it kept (or
   * started from) and has rendered something since: the cache only saves time, so a failure is said, never fatal.
   */
  keepResponses(): void {
    const version = this.keptVersion;
    if (!version || !this.keptFile || !this.store || this.store.snapshot !== version.snapshot) return;
    const held = new Map(this.store.held());
    // Those it started with and has not rendered since, while it serves the site it started from.
    const start = this.keptStart;
    if (start?.check.id === version.id) for (const [sitePath, representation] of start.kept) if (!held.has(sitePath)) held.set(sitePath, representation);
    try {
      this.keptFile.writeResponses(version.id, held);
    } catch (error) {
      this.log(`feedgen: the responses were not kept in the cache (${(error as Error).message})`);
    }
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), LEDGER_SAVE_DELAY_MS);
  }

  /** Saves what the history learnt (a no-op when nothing is new); a ledger that was unreadable is read again first. */
  save(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saving = this.saving.then(async () => {
      // Nothing was published since a start from the kept snapshot: nothing is new.
      if (!this.opened) return;
      const wasUnreadable = this.history.unreadable;
      const lines = await this.history.save().catch((error: Error) => [`feedgen: the ledger was not saved: ${error.message}`]);
      this.noticeReadable(wasUnreadable);
      for (const line of lines) this.log(line);
      if (lines.length === 0) this.keep();
    });
    return this.saving;
  }

  /** `snapshot`, just published from the current articles, is kept once the ledger is saved; `problems`: the history's. */
  private keepLater(snapshot: SiteSnapshot, problems: Problem[]): void {
    const made = this.madeFrom;
    this.toKeep = made && this.data ? { data: this.data, snapshot, problems: [...made.problems, ...problems], inputs: made.inputs } : undefined;
  }

  /** Keeps what was last published, once: the cache only saves time, so a failure is said, never fatal. */
  private keep(): void {
    const toKeep = this.toKeep;
    this.toKeep = undefined;
    if (!toKeep || !this.keptFile || this.history.unreadable) return;
    try {
      const id = this.keptFile.write(toKeep, this.publishing);
      this.keptVersion = id === undefined ? undefined : { id, snapshot: toKeep.snapshot };
    } catch (error) {
      this.log(`feedgen: the site was not kept in the cache (${(error as Error).message}); the next start will take longer`);
    }
  }

  /** The ledger could not be read, and now it can: it is looked at no more, and saved to from now on. */
  private noticeReadable(wasUnreadable: boolean): void {
    if (!wasUnreadable || this.history.unreadable) return;
    clearInterval(this.retryTimer);
    this.log('feedgen: the ledger is readable again: what was published meanwhile is recorded in it');
  }

  /** Prints the problems, unless they are the same as last time. */
  private report(problems: Problem[]): void {
    const text = problems.map(this.describeProblem).join('\n');
    if (text !== this.lastReport && text) this.log(text);
    this.lastReport = text;
  }
}

export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  // Without a base URL the site links to this server, whose port (--port 0) is known only once it
  // listens: the first load comes after, and requests that arrive before it wait for it.
  let serveFirstStore: (site: ServedSite | Promise<ServedSite>) => void = () => {};
  const firstStore = new Promise<ServedSite>((resolve) => (serveFirstStore = resolve));
  let currentStore = (_now: number): ServedSite | Promise<ServedSite> => firstStore;
  const now = options.now ?? publishingNow();
  const app = createApp({ site: (at) => currentStore(at), now, compress: compressWithZlib });

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const here = `http://${host}:${port}`;
  // Where the site is published, from the base_url its _index.md declares: kept with the site, so
  // that a start from the kept snapshot (whose inputs hold, _index.md with them) reads no file for it.
  const publishing = (declared: string | undefined): Publishing => {
    const baseUrl = options.baseUrl ?? previewAddress(declared, options.host, port);
    const recording = recordsHistory(declared, normalizeBaseUrl(baseUrl ?? declared ?? here) ?? here, options.preview);
    // This server's own address is the site's only when _index.md declares none (another at each --port 0).
    return { declared: declared ?? null, baseUrl: baseUrl ?? null, fallbackBaseUrl: declared === undefined ? here : null, recording };
  };
  const keptFile = options.cacheDir === undefined ? undefined : new KeptSiteFile<Publishing>(options.cacheDir, options.articlesDir, { baseUrl: options.baseUrl ?? null, preview: options.preview ?? false, host: options.host, displayFrom: options.displayFrom ?? null });
  const check = keptFile?.check(now(), (kept) => JSON.stringify(publishing(kept.declared ?? undefined)) === JSON.stringify(kept));
  const published = check?.context ?? publishing(await (await import('../content/load.js')).declaredBaseUrl(options.articlesDir));
  const loadOptions: LoadOptions = { baseUrl: published.baseUrl ?? undefined, fallbackBaseUrl: here, displayFrom: options.displayFrom, progress: options.progress };
  const site = new LiveSite(options.articlesDir, loadOptions, log, now, options.cacheDir, options.memoryBytes, published, options.describeProblem, keptFile);
  if (check && keptFile) site.startKept(check, keptFile.responses(check));
  const first = check ? { ok: true, cached: 0, articles: check.articles, problems: check.problems } : await site.load().catch((error: Error) => error);
  if (first instanceof Error || !first.ok) {
    // Requests still waiting for the first load are cut off: there is no site to answer them from.
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close();
    throw first instanceof Error ? first : new Error(`cannot serve ${options.articlesDir}: the site settings are unusable (see above)`);
  }
  currentStore = (at) => site.at(at);
  serveFirstStore(site.at(now()));
  const errors = first.problems.filter((p) => p.severity === 'error').length;
  const fromCache = check ? ' (as the last start left them: the kept snapshot in the cache)' : first.cached > 0 ? ` (${first.cached} read from the cache)` : '';
  log(`feedgen: serving ${count(first.articles, 'article')}${errors ? ` (${count(errors, 'error')}, see above)` : ''} at http://${host}:${port}/${fromCache}`);

  let watcher: FolderWatcher | undefined;
  let waiters: Array<() => void> = [];
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  if (options.watch) {
    const root = path.resolve(options.articlesDir);
    const ledger = path.join(root, LEDGER_FILE);
    watcher = new FolderWatcher(root, {
      // The ledger, its lock and its temporary files are feedgen's own writing.
      ignore: (file) => file.startsWith(ledger),
      onChange: (changed) => {
        if (closed) return;
        running = running.then(async () => {
          const started = performance.now();
          const reload = () => site.read(now()).then(() => site.load(changed));
          const result = await reload().catch((error: Error) => {
            log(`feedgen: reload failed: ${error.message}`);
            return undefined;
          });
          if (result?.ok) log(`feedgen: reloaded ${count(result.articles, 'article')} in ${(performance.now() - started).toFixed(0)} ms`);
          for (const resolve of waiters.splice(0)) resolve();
        });
      },
    });
    log(`feedgen: watching ${options.articlesDir} for changes`);
  }

  return {
    url: `http://${host}:${port}`,
    store: () => site.read(now()),
    reloaded: () => new Promise<void>((resolve) => waiters.push(resolve)),
    idle: async () => {
      watcher?.rescan();
      await running;
      await site.save();
    },
    close: async () => {
      closed = true;
      site.stop();
      watcher?.close();
      waiters = [];
      await running;
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await site.save();
      site.keepResponses();
      site.closeCache();
    },
  };
}

/**
 * Where a preview links to: a site whose `base_url` is this machine's own address (loopback), served
 * on another port or address, links to where it is served, under the same path. Undefined: the
 * site's own `base_url` (a public address, which a proxy in front of this server serves).
 */
function previewAddress(declared: string | undefined, listenHost: string, port: number): string | undefined {
  if (declared === undefined) return undefined;
  const url = new URL(declared);
  if (!isLoopback(url.hostname)) return undefined;
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::';
  const sameHost = wildcard || isLoopback(listenHost);
  const declaredPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (sameHost && declaredPort === port) return undefined;
  if (!wildcard) url.hostname = listenHost.includes(':') ? `[${listenHost}]` : listenHost;
  url.port = String(port);
  return url.href.replace(/\/$/, '');
}

function isLoopback(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}
