/**
 * `feedgen init`: a site of one's own, installed the way a user installs feedgen. This checkout is
 * copied and packed with `npm pack` (its prepack builds lib/), `init` writes a site that depends
 * on that tarball, npm installs it into the site's node_modules (from npm's cache, with a lockfile
 * cut from this checkout's: no network), and the site's own `feedgen check`, `feedgen build` and
 * `wrangler deploy --dry-run` run there; the bundled Worker then serves the new article in workerd.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, describe, expect, it } from 'vitest';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { siteWranglerConfig } from '../../src/cli/init.js';
import { siteLockfile } from '../helpers/site-lockfile.js';
import { OFFLINE_WRANGLER } from '../helpers/worker-bundle.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = path.join(ROOT, 'bin/feedgen.js');
/** What `npm pack` reads from a checkout; the rest (node_modules, lib, .git, dist) is not copied. */
const CHECKOUT = ['package.json', 'package-lock.json', 'README.md', 'wrangler.toml', '.env', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'docs', 'scripts'];

const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function workDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'feedgen-init-'));
  temporary.push(dir);
  return dir;
}

describe('feedgen init', () => {
  it('writes a site that installs feedgen from its tarball, then checks, builds and bundles for Workers there', { timeout: 900_000 }, async () => {
    const work = await workDir();
    const checkout = path.join(work, 'feedgen');
    await mkdir(checkout);
    await Promise.all(CHECKOUT.map((entry) => cp(path.join(ROOT, entry), path.join(checkout, entry), { recursive: true })));
    // The copy's TypeScript (a dev dependency) is this checkout's: prepack compiles with it.
    await symlink(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: checkout, maxBuffer: 16 << 20 });
    const [pack] = JSON.parse(packed.stdout) as Array<{ filename: string; integrity: string }>;
    const tarball = path.join(work, pack!.filename);
    const { stdout: listing } = await run('tar', ['-tzf', tarball]);
    expect(listing).toContain('package/lib/cli/init.js');
    expect(listing).toContain('package/lib/runtimes/worker.js');
    expect(listing).toContain('package/wrangler.toml');
    expect(listing).toContain('package/.env');
    expect(listing).not.toMatch(/package\/(src|tests|node_modules)\/|\.map\n|tsbuildinfo/);

    const site = path.join(work, 'harbour-times');
    const init = await run(process.execPath, [BIN, 'init', site, '--title', 'Harbour Times', '--timezone', 'Europe/Lisbon', '--base-url', 'https://news.example.org', '--feedgen', `file:${tarball}`]);
    expect(init.stdout).toContain('npm install');
    expect(init.stdout).toContain('npx wrangler deploy');
    expect((await readdir(site)).sort()).toEqual(['.env', '.gitignore', 'articles', 'package.json', 'wrangler.toml']);
    const manifest = JSON.parse(await readFile(path.join(site, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({ feedgen: `file:${tarball}` });

    // Every tarball is in npm's cache already (this checkout's `npm ci` put it there).
    const own = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
    const feedgen = { version: own.version, resolved: `file:${tarball}`, integrity: pack!.integrity, license: own.license, dependencies: own.dependencies, bin: own.bin, engines: own.engines };
    const lockfile = siteLockfile(JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')), feedgen, manifest);
    await writeFile(path.join(site, 'package-lock.json'), JSON.stringify(lockfile, null, 2));
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: site, maxBuffer: 16 << 20 });
    expect(await readFile(path.join(site, 'node_modules/feedgen/lib/cli/index.js'), 'utf8')).toBeTruthy();
    const env = { ...process.env, ...OFFLINE_WRANGLER };
    const check = await run('npx', ['feedgen', 'check'], { cwd: site, env });
    expect(check.stdout).toBe('');
    expect(check.stderr).toMatch(/^1 article valid; 0 errors, 0 warnings/);
    await run('npx', ['feedgen', 'build'], { cwd: site, env });
    const atom = await readFile(path.join(site, 'dist/news/atom.xml'), 'utf8');
    expect(atom).toContain('<title type="text">Welcome to Harbour Times</title>');
    expect(atom).toContain('<link rel="alternate" type="text/html" href="https://news.example.org/news/welcome/"/>');
    const headers = await readFile(path.join(site, 'dist/_headers'), 'utf8');
    expect(headers).toContain('content-type: application/atom+xml; charset=utf-8');

    const bundle = path.join(work, 'bundle');
    await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', bundle], { cwd: site, env, maxBuffer: 16 << 20 });
    // The build step (`feedgen worker-data`) wrote the assets; served as wrangler.toml's [assets] says.
    const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(site, 'wrangler.toml'));
    if (!workerOptions.assets) throw new Error("the site's wrangler.toml has no [assets]");
    const worker = new Miniflare({
      scriptPath: path.join(bundle, 'worker.js'),
      modulesRoot: bundle,
      modules: true,
      compatibilityDate: workerOptions.compatibilityDate,
      assets: { ...workerOptions.assets, directory: path.join(site, '.generated/worker-assets') },
    });
    try {
      const response = await worker.dispatchFetch('http://localhost/news/atom.xml');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      expect(await response.text()).toBe(atom);
    } finally {
      await worker.dispose();
    }
  });

  it('derives the wrangler.toml of a site from feedgen\'s own, changing only what names this checkout', async () => {
    const own = await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8');
    const derived = siteWranglerConfig(own, 'harbour-times');
    const differing = own.split('\n').map((line, i) => [line, derived.split('\n')[i]]).filter(([a, b]) => a !== b);
    expect(differing.map(([, b]) => b)).toEqual(['name = "harbour-times"', 'main = "node_modules/feedgen/lib/runtimes/worker.js"', 'command = "npx feedgen worker-data --if-changed"', 'watch_dir = ["articles"]']);
    expect(() => siteWranglerConfig(own.replace(/^command = .*$/m, ''), 'x')).toThrow('feedgen\'s wrangler.toml has 0 "command = " lines, not one');
  });

  it('writes into an empty or new folder only, and says what it needs', async () => {
    const dir = await workDir();
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    const refused = await run(process.execPath, [BIN, 'init', dir]).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(/is not empty; init writes a new site into an empty or new folder/);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    const usage = await run(process.execPath, [BIN, 'init']).catch((error: { code: number; stderr: string }) => error);
    expect(usage).toMatchObject({ code: 2 });
    const zone = await run(process.execPath, [BIN, 'init', path.join(dir, 'new'), '--timezone', 'CST']).catch((error: { code: number; stderr: string }) => error);
    expect(zone).toMatchObject({ code: 2 });
    expect((zone as { stderr: string }).stderr).toContain('--timezone');
  });
});
