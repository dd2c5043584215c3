/**
 * `npx wrangler dev` serves the bundled site from its static assets with no manual step: wrangler.toml's
 * build step compiles feedgen and runs `feedgen worker-data`. Run in a copy of the project as `npm ci`
 * leaves a clone (lib/ compiled; the copy keeps the files' times, so `tsc -b` finds it up to date),
 * since the build step rewrites lib/ and .generated/, which other tests read; on loopback, offline,
 * with no environment variables of wrangler's own set: the project's .env quiets it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const PROJECT_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'wrangler.toml', '.env', 'bin', 'src', 'lib', 'articles'];

let dev: ChildProcess | undefined;
let project = '';
let origin = '';
let output = '';

/** Runs of the build step that rendered the site, and runs that found it up to date. */
const fullRuns = () => output.match(/feedgen worker-data: 17 articles, 282 representations/g)?.length ?? 0;
const idleRuns = () => output.match(/feedgen worker-data: \S+ is up to date/g)?.length ?? 0;
const startedRuns = () => output.match(/\[custom build\] Running: /g)?.length ?? 0;

/**
 * How long one step may take. On an idle machine a change is served within 6 s; with the test run's
 * other files keeping both cores busy it took 30 to 80 s (wrangler re-bundles and reloads workerd
 * after each of the two build steps a change starts).
 */
const STEP_MS = 150_000;
/** A test waits for at most two steps. */
const TEST_MS = 2 * STEP_MS + 10_000;

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < STEP_MS / 500; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} did not happen:\n${output}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'feedgen-wrangler-dev-'));
  await Promise.all(PROJECT_FILES.map((name) => cp(path.join(ROOT, name), path.join(project, name), { recursive: true, preserveTimestamps: true })));
  await symlink(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  // wrangler keeps its update check's answer in the temporary folder: one that goes with the copy.
  const temporary = path.join(project, 'tmp');
  await mkdir(temporary);
  const [port, inspectorPort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${port}`;
  dev = spawn('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-ip', '127.0.0.1', '--inspector-port', String(inspectorPort)], {
    cwd: project,
    env: { ...withoutWranglerSettings(process.env), CI: 'true', TMPDIR: temporary },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Compiling and writing the assets come first; then workerd starts.
  for (let attempt = 0; attempt < STEP_MS / 500; attempt++) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited (${dev.exitCode}):\n${output}`);
    const ready = await fetch(`${origin}/`).then((response) => response.arrayBuffer().then(() => response.ok), () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`wrangler dev did not answer:\n${output}`);
}, TEST_MS);

afterAll(async () => {
  // The whole process group: npx, wrangler and its workerd.
  if (dev?.pid && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev?.once('exit', resolve));
    process.kill(-dev.pid, 'SIGTERM');
    await exited;
  }
  if (project) await rm(project, { recursive: true, force: true });
});

/** Until every run of the build step that started has finished, and wrangler has said nothing for 3 s. */
async function untilBuildsSettle(): Promise<void> {
  let seen = output;
  let quietSince = Date.now();
  await until(() => {
    if (output !== seen) [seen, quietSince] = [output, Date.now()];
    return startedRuns() === fullRuns() + idleRuns() && Date.now() - quietSince >= 3000;
  }, 'the build steps finishing');
}

/** The environment as a newcomer's shell has it: none of the variables the project's .env sets. */
function withoutWranglerSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  for (const name of ['CLOUDFLARE_CF_FETCH_ENABLED', 'WRANGLER_SEND_METRICS', 'CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV', 'WRANGLER_HIDE_BANNER']) delete rest[name];
  return rest;
}

describe('npx wrangler dev', () => {
  it('starts quietly offline, rendering the site once (wrangler runs its build step twice)', async () => {
    await untilBuildsSettle();
    expect(startedRuns()).toBe(2);
    expect(fullRuns()).toBe(1);
    expect(idleRuns()).toBe(1);
    // No look-up of Request.cf or metrics that fails offline, and no stack trace.
    expect(output).not.toMatch(/ENOTFOUND|Unable to fetch|^\s+at /m);
  }, TEST_MS);

  it('runs the build step and serves the bundled site from its assets, as the Node server does', async () => {
    expect(output).toMatch(/feedgen worker-data: 17 articles, 282 representations/);
    const node = await startServer();
    try {
      for (const urlPath of ['/china/world/atom.xml', '/%E4%B8%AD%E6%96%87/', '/opml.xml']) {
        const get = (base: string) => fetch(`${base}${urlPath}`, { headers: { 'accept-encoding': 'identity' } });
        const [fromDev, fromNode] = await Promise.all([get(origin), get(node.url)]);
        expect(fromDev.status, urlPath).toBe(200);
        for (const name of ['etag', 'last-modified', 'content-type', 'cache-control', 'content-security-policy']) {
          expect(fromDev.headers.get(name), `${urlPath} ${name}`).toBe(fromNode.headers.get(name));
        }
        expect(await fromDev.text(), urlPath).toBe(await fromNode.text());
      }
    } finally {
      await node.close();
    }
    const manifest = await fetch(`${origin}/_feedgen/site.json`);
    expect(manifest.status).toBe(404);
    await manifest.arrayBuffer();
  });

  it('renders once per change: the runs that the change and the ledger it updates start after it find nothing to do', async () => {
    const file = path.join(project, 'articles/africa/lagos-tech-hub.md');
    const before = { full: fullRuns(), started: startedRuns() };
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^title: (.*)$/m, 'title: $1 (corrected)'));
    const served = () => fetch(`${origin}/africa/atom.xml`).then((response) => response.text(), () => '');
    await until(async () => (await served()).includes('(corrected)'), 'the corrected title being served');
    await untilBuildsSettle();
    expect(startedRuns()).toBeGreaterThan(before.started + 1);
    expect(fullRuns() - before.full).toBe(1);
  }, TEST_MS);
});
