/**
 * The Worker as `wrangler deploy` bundles it, run in real workerd through Miniflare over a folder of
 * static assets, routed as wrangler.toml configures them (the Worker runs first). The script does
 * not depend on the site, so it is bundled once per test file; a site is a folder of assets.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll } from 'vitest';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { loadSite } from '../../src/content/load.js';
import type { SiteData } from '../../src/content/model.js';
import { WORKER_ASSETS_DIR, writeWorkerAssets } from '../../src/runtimes/worker-data.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const WRANGLER_TOML = path.join(ROOT, 'wrangler.toml');
const run = promisify(execFile);
/** Folders this helper made for a test file, removed when it is over (after its own hooks, registered later). */
const made: string[] = [];
afterAll(() => Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

async function scratch(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export const OFFLINE_WRANGLER = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };

/** The checkout's assets, as its build step (`npm run worker-data`) wrote them. */
export const CHECKOUT_ASSETS = path.join(ROOT, WORKER_ASSETS_DIR);

/**
 * wrangler.toml as deployed, less the build step (the assets are written by the test), with its
 * paths made absolute so that it can live anywhere.
 */
export async function configFor(assetsDir: string): Promise<string> {
  const text = await readFile(WRANGLER_TOML, 'utf8');
  const config = text
    .replace(/^\[build\]\n(?:(?!\[).*\n)*/m, '')
    .replace(/^main = "(.*)"$/m, (_, main: string) => `main = ${JSON.stringify(path.join(ROOT, main))}`)
    .replace(/^directory = "(.*)"$/m, () => `directory = ${JSON.stringify(assetsDir)}`);
  const file = path.join(await scratch('feedgen-wrangler-'), 'wrangler.toml');
  await writeFile(file, config);
  return file;
}

/** `wrangler deploy --dry-run`: the script exactly as it would be uploaded. Returns its folder and wrangler's report. */
export async function bundleWorker(assetsDir = CHECKOUT_ASSETS): Promise<{ dir: string; report: string }> {
  const dir = await scratch('feedgen-worker-');
  const { stdout, stderr } = await run('npx', ['wrangler', 'deploy', '--dry-run', '--config', await configFor(assetsDir), '--outdir', dir], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_WRANGLER },
  });
  return { dir, report: stdout + stderr };
}

let bundled: Promise<{ dir: string }> | undefined;

/**
 * The bundled Worker in workerd, serving `assetsDir` with the routing of wrangler.toml's `[assets]`.
 * `bindings`: variables of its environment (`FEEDGEN_NOW` fixes its clock).
 */
export async function startWorker(assetsDir = CHECKOUT_ASSETS, bindings: Record<string, string> = {}): Promise<Miniflare> {
  bundled ??= bundleWorker(assetsDir);
  const { dir } = await bundled;
  const { workerOptions } = unstable_getMiniflareWorkerOptions(WRANGLER_TOML);
  if (!workerOptions.assets) throw new Error('wrangler.toml has no [assets]');
  return new Miniflare({
    scriptPath: path.join(dir, 'worker.js'),
    modulesRoot: dir,
    modules: true,
    compatibilityDate: workerOptions.compatibilityDate,
    assets: { ...workerOptions.assets, directory: assetsDir },
    bindings,
  });
}

/** What `feedgen worker-data` writes for an articles folder (or the site loaded from one), in a folder of its own. */
export async function writeAssetsFor(site: string | SiteData): Promise<string> {
  const data = typeof site === 'string' ? (await loadSite(site)).data : site;
  if (!data) throw new Error(`${String(site)} has no usable site`);
  const dir = path.join(await scratch('feedgen-assets-'), 'assets');
  await writeWorkerAssets(new SiteSnapshot(data), dir);
  return dir;
}
