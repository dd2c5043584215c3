/**
 * The Worker as `wrangler deploy` bundles it, run in real workerd through Miniflare over a folder of
 * static assets, routed as wrangler.toml configures them (the Worker runs first). The script does
 * not depend on the site, so it is bundled once per test run, for all the files that start it; a
 * site is a folder of assets.
 */
import { execFile } from 'node:child_process';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { inject } from 'vitest';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { loadSite } from '../../src/content/load.js';
import type { SiteData } from '../../src/content/model.js';
import { WORKER_ASSETS_DIR, writeWorkerAssets } from '../../src/runtimes/worker-data.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { scratchFolder } from './scratch.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const WRANGLER_TOML = path.join(ROOT, 'wrangler.toml');
const run = promisify(execFile);

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
  const file = path.join(await scratchFolder('feedgen-wrangler-'), 'wrangler.toml');
  await writeFile(file, config);
  return file;
}

/**
 * `wrangler deploy --dry-run`: the script exactly as it would be uploaded, in `dir` (by default a
 * scratch folder). Returns its folder and wrangler's report.
 */
export async function bundleWorker(assetsDir = CHECKOUT_ASSETS, dir?: string): Promise<{ dir: string; report: string }> {
  const outDir = dir ?? (await scratchFolder('feedgen-worker-'));
  const { stdout, stderr } = await run('npx', ['wrangler', 'deploy', '--dry-run', '--config', await configFor(assetsDir), '--outdir', outDir], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_WRANGLER },
  });
  return { dir: outDir, report: stdout + stderr };
}

let bundled: Promise<string> | undefined;

/**
 * The bundled script's folder, made once for the whole run in its shared folder
 * (tests/setup/temporary-folder.ts): the first test file to need it bundles into a folder of its
 * own and renames it into place; the others find it there. (Two files that start together may
 * both bundle; the second rename fails harmlessly and each uses a complete folder.)
 */
function bundle(assetsDir: string): Promise<string> {
  bundled ??= (async () => {
    const shared = path.join(inject('sharedFolder'), 'worker-bundle');
    if (await isFolder(shared)) return shared;
    const mine = `${shared}-${process.pid}`;
    await bundleWorker(assetsDir, mine);
    return rename(mine, shared).then(
      () => shared,
      () => mine,
    );
  })();
  return bundled;
}

function isFolder(folder: string): Promise<boolean> {
  return stat(folder).then(
    (found) => found.isDirectory(),
    () => false,
  );
}

/**
 * The bundled Worker in workerd, serving `assetsDir` with the routing of wrangler.toml's `[assets]`.
 * `bindings`: variables of its environment (`FEEDGEN_NOW` fixes its clock).
 */
export async function startWorker(assetsDir = CHECKOUT_ASSETS, bindings: Record<string, string> = {}): Promise<Miniflare> {
  const dir = await bundle(assetsDir);
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
  const dir = path.join(await scratchFolder('feedgen-assets-'), 'assets');
  await writeWorkerAssets(new SiteSnapshot(data), dir);
  return dir;
}
