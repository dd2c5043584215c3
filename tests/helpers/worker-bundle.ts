/**
 * The Worker as `wrangler deploy` bundles it, for any site: the project's src/ and wrangler.toml
 * copied beside a site-data module written for that site, bundled by wrangler (offline), and run
 * in real workerd through Miniflare.
 */
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { WORKER_DATA_FILE } from '../../src/runtimes/worker-data.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
export const OFFLINE_WRANGLER = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };

/** `siteModule`: a module `feedgen worker-data` wrote; undefined: the checkout's own, as its build step wrote it. */
export async function startWorker(siteModule?: string): Promise<Miniflare> {
  let project = ROOT;
  if (siteModule) {
    project = await mkdtemp(path.join(tmpdir(), 'feedgen-worker-project-'));
    await cp(path.join(ROOT, 'src'), path.join(project, 'src'), { recursive: true });
    await symlink(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
    // Without the build step: this copy's data is written here, not by the command.
    const config = (await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8')).replace(/^\[build\]\n(?:(?!\[).*\n)*/m, '');
    await writeFile(path.join(project, 'wrangler.toml'), config);
    await mkdir(path.join(project, path.dirname(WORKER_DATA_FILE)), { recursive: true });
    await copyFile(siteModule, path.join(project, WORKER_DATA_FILE));
  }
  const bundleDir = await mkdtemp(path.join(tmpdir(), 'feedgen-worker-'));
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', bundleDir], { cwd: project, env: { ...process.env, ...OFFLINE_WRANGLER } });
  const compatibilityDate = /^compatibility_date = "([\d-]+)"/m.exec(await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8'))?.[1];
  return new Miniflare({ scriptPath: path.join(bundleDir, 'worker.js'), modulesRoot: bundleDir, modules: true, compatibilityDate });
}
