/**
 * The Worker as `wrangler deploy` bundles it, for any site: the project's wrangler.toml beside the
 * data module and entry written for that site (the entry imports this checkout's src/), bundled by
 * wrangler (offline), and run in real workerd through Miniflare.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import type { SiteData } from '../../src/content/model.js';
import { WORKER_DATA_FILE, writeWorkerData } from '../../src/runtimes/worker-data.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
export const OFFLINE_WRANGLER = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };

/** `data` undefined: the checkout itself, with the data its build step wrote. */
export async function startWorker(data?: SiteData): Promise<Miniflare> {
  let project = ROOT;
  if (data) {
    project = await mkdtemp(path.join(tmpdir(), 'feedgen-worker-project-'));
    // `npx wrangler` finds this checkout's wrangler there.
    await symlink(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
    // Without the build step: this site's data is written here, not by the command.
    const config = (await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8')).replace(/^\[build\]\n(?:(?!\[).*\n)*/m, '');
    await writeFile(path.join(project, 'wrangler.toml'), config);
    await writeWorkerData(data, path.join(project, WORKER_DATA_FILE));
  }
  const bundleDir = await mkdtemp(path.join(tmpdir(), 'feedgen-worker-'));
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', bundleDir], { cwd: project, env: { ...process.env, ...OFFLINE_WRANGLER } });
  const compatibilityDate = /^compatibility_date = "([\d-]+)"/m.exec(await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8'))?.[1];
  return new Miniflare({ scriptPath: path.join(bundleDir, 'worker.js'), modulesRoot: bundleDir, modules: true, compatibilityDate });
}
