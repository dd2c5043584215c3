/**
 * A copy of the bundled site with changes of a test's own, prepared by `worker-data` at a fixed
 * "now" and then served by the three runtimes at later instants, visited in order: the Node server
 * with its clock moved there (no restart), a Worker over the assets prepared before (its clock fixed
 * by FEEDGEN_NOW), and a static build run at the instant, as a scheduler would, on its own copy of
 * the prepared site (its ledger goes through the same history as the server's).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Miniflare } from 'miniflare';
import { loadSite } from '../../src/content/load.js';
import type { SiteData } from '../../src/content/model.js';
import { formatUtc } from '../../src/time/index.js';
import type { Runtimes } from './runtimes.js';
import { BUNDLED_ARTICLES, startServer } from './server.js';
import { StaticHost } from './static-host.js';
import { startWorker } from './worker-bundle.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

/** The feedgen CLI, run in `cwd`. */
export const cli = (args: string[], cwd: string) => run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args], { cwd });
/** An instant as `--now` and FEEDGEN_NOW take it. */
export const at = (epochMs: number) => formatUtc(epochMs);

export class TimedSite {
  /** The Node server, whose clock is `clock`. */
  node!: Awaited<ReturnType<typeof startServer>>;
  clock: number;
  data!: SiteData;
  private readonly workers: Miniflare[] = [];
  private nodeClosed = false;

  private constructor(
    /** The temporary folder everything is in. */
    readonly work: string,
    /** The articles folder the Node server serves (its ledger records what it publishes). */
    readonly articles: string,
    /** The Worker's assets, as `worker-data` wrote them at the start. */
    readonly assets: string,
    /** The articles folder and ledger as `worker-data` left them, before any runtime served them. */
    readonly prepared: string,
    /** Where the static builds run (`dist-<instant>` beside `articles`). */
    readonly staticSite: string,
    start: number,
  ) {
    this.clock = start;
  }

  /** `change`: what the test does to the copy of the bundled articles before it is prepared at `start`. */
  static async prepare(name: string, start: number, change: (articles: string) => Promise<void>): Promise<TimedSite> {
    const work = await mkdtemp(path.join(tmpdir(), `feedgen-${name}-`));
    const site = new TimedSite(work, path.join(work, 'articles'), path.join(work, 'assets'), path.join(work, 'prepared'), path.join(work, 'static'), start);
    await cp(BUNDLED_ARTICLES, site.articles, { recursive: true });
    await change(site.articles);
    await cli(['worker-data', '--articles', site.articles, '--out', site.assets, '--now', at(start)], work);
    await cp(site.articles, site.prepared, { recursive: true });
    await cp(site.prepared, path.join(site.staticSite, 'articles'), { recursive: true });
    const loaded = (await loadSite(site.articles)).data;
    if (!loaded) throw new Error('the site does not load');
    site.data = loaded;
    site.node = await startServer(site.articles, undefined, { now: () => site.clock });
    return site;
  }

  /** The three runtimes at `now`; `assets`: the Worker's, if not those prepared at the start. */
  async runtimesAt(now: number, assets = this.assets): Promise<Runtimes> {
    this.clock = now;
    await cli(['build', '--articles', 'articles', '--out', `dist-${now}`, '--now', at(now)], this.staticSite);
    const worker = await this.worker(assets, now);
    const host = await StaticHost.open(path.join(this.staticSite, `dist-${now}`));
    return { data: this.data, basePath: '', paths: host.files(), worker, node: this.node, host, close: async () => {} };
  }

  /** A Worker over `assets` at `now`, disposed of with the site. */
  async worker(assets: string, now: number): Promise<Miniflare> {
    const worker = await startWorker(assets, { FEEDGEN_NOW: at(now) });
    this.workers.push(worker);
    return worker;
  }

  /** Restarts the Node server (it reads the folder again), its clock at `clock`. */
  async restartNode(): Promise<void> {
    await this.closeNode();
    this.nodeClosed = false;
    this.node = await startServer(this.articles, undefined, { now: () => this.clock });
  }

  async closeNode(): Promise<void> {
    if (this.nodeClosed || !this.node) return;
    this.nodeClosed = true;
    await this.node.close();
  }

  async close(): Promise<void> {
    await Promise.all([this.closeNode(), ...this.workers.map((worker) => worker.dispose())]);
    await rm(this.work, { recursive: true, force: true });
  }
}
