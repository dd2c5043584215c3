/**
 * The three runtimes over one core: every URL of the bundled site fetched from the Worker (real
 * workerd, through Miniflare, bundled exactly as `wrangler deploy` bundles it), from the Node server
 * over HTTP, and read from the static build. Bodies, content types and ETags must be identical.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { allResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { strongEtag } from '../../src/site/store.js';
import { buildStatic, fileForPath } from '../../src/runtimes/static.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const ORIGIN = 'http://127.0.0.1:8787';

let worker: Miniflare;
let node: Awaited<ReturnType<typeof startServer>>;
let staticDir: string;
let paths: string[];

beforeAll(async () => {
  const bundleDir = await mkdtemp(path.join(tmpdir(), 'feedgen-worker-'));
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', bundleDir], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' },
  });
  const compatibilityDate = /^compatibility_date = "([\d-]+)"/m.exec(await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8'))?.[1];
  worker = new Miniflare({ scriptPath: path.join(bundleDir, 'worker.js'), modulesRoot: bundleDir, modules: true, compatibilityDate });

  node = await startServer(BUNDLED_ARTICLES, ORIGIN);
  const { data } = await loadSite(BUNDLED_ARTICLES, { baseUrl: ORIGIN });
  staticDir = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-static-')), 'dist');
  await buildStatic(new SiteSnapshot(data!), staticDir);
  paths = [...allResources(new SiteSnapshot(data!))].map((r) => r.path);
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
  await node?.close();
});

/** The content type a static host gives a file, from the build's own _headers rules. */
async function staticContentType(file: string): Promise<string> {
  const rules = await readFile(path.join(staticDir, '_headers'), 'utf8');
  const name = path.basename(file);
  const explicit = new RegExp(`^/(?:\\*/)?${name.replace('.', '\\.')}\\n  Content-Type: (.+)$`, 'm').exec(rules)?.[1];
  if (explicit) return explicit;
  return { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8' }[path.extname(file)] ?? 'application/octet-stream';
}

describe('Worker, Node server and static build', () => {
  it('cover every URL of the bundled site', () => {
    expect(paths.length).toBeGreaterThan(40);
  });

  it('answer every URL with identical bodies, content types and ETags', async () => {
    for (const urlPath of paths) {
      const fromWorker = await worker.dispatchFetch(`${ORIGIN}${urlPath}`);
      const fromNode = await fetch(`${node.url}${urlPath}`, { headers: { 'accept-encoding': 'identity' } });
      const workerBody = Buffer.from(await fromWorker.arrayBuffer());
      const nodeBody = Buffer.from(await fromNode.arrayBuffer());
      const file = path.join(staticDir, fileForPath(urlPath));
      const staticBody = await readFile(file);

      expect(fromWorker.status, urlPath).toBe(200);
      expect(fromNode.status, urlPath).toBe(200);
      expect(workerBody.equals(nodeBody), `${urlPath}: Worker and Node bodies differ`).toBe(true);
      expect(staticBody.equals(nodeBody), `${urlPath}: static file and Node body differ`).toBe(true);
      expect(fromWorker.headers.get('content-type'), urlPath).toBe(fromNode.headers.get('content-type'));
      expect(await staticContentType(file), urlPath).toBe(fromNode.headers.get('content-type'));
      expect(fromWorker.headers.get('etag'), urlPath).toBe(fromNode.headers.get('etag'));
      expect(await strongEtag(staticBody), urlPath).toBe(fromNode.headers.get('etag'));
    }
  }, 60_000);
});
