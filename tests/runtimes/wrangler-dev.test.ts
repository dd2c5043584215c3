/**
 * `npx wrangler dev` serves the bundled site from its static assets with no manual step: wrangler.toml's
 * build step compiles feedgen and runs `feedgen worker-data`. Run in a copy of the project (the build
 * step rewrites lib/ and .generated/, which other tests read), on loopback, offline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import { OFFLINE_WRANGLER } from '../helpers/worker-bundle.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const PROJECT_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'wrangler.toml', 'bin', 'src', 'articles'];

let dev: ChildProcess | undefined;
let origin = '';
let output = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  const project = await mkdtemp(path.join(tmpdir(), 'feedgen-wrangler-dev-'));
  await Promise.all(PROJECT_FILES.map((name) => cp(path.join(ROOT, name), path.join(project, name), { recursive: true })));
  await symlink(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  const [port, inspectorPort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${port}`;
  dev = spawn('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-ip', '127.0.0.1', '--inspector-port', String(inspectorPort)], {
    cwd: project,
    env: { ...process.env, ...OFFLINE_WRANGLER, CI: 'true' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Compiling and writing the assets come first; then workerd starts.
  for (let attempt = 0; attempt < 240; attempt++) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited (${dev.exitCode}):\n${output}`);
    const ready = await fetch(`${origin}/`).then((response) => response.arrayBuffer().then(() => response.ok), () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`wrangler dev did not answer:\n${output}`);
}, 150_000);

afterAll(() => {
  // The whole process group: npx, wrangler and its workerd.
  if (dev?.pid && dev.exitCode === null) process.kill(-dev.pid, 'SIGTERM');
});

describe('npx wrangler dev', () => {
  it('runs the build step and serves the bundled site from its assets, as the Node server does', async () => {
    expect(output).toMatch(/feedgen worker-data: 17 articles, 459 representations/);
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
});
