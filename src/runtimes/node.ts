/**
 * The Node server: loads the articles folder, serves the shared Hono app over node:http, compresses
 * with zlib (brotli and gzip), and reports invalid articles on stderr while serving the rest.
 */
import { serve, type ServerType } from '@hono/node-server';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { formatProblem } from '../content/model.js';
import { loadSite } from '../content/load.js';
import { createApp } from '../http/app.js';
import type { Compressor } from '../http/middleware/representation/index.js';
import { publish } from '../site/index.js';
import type { RepresentationStore } from '../site/store.js';

export interface NodeServerOptions {
  articlesDir: string;
  port: number;
  host: string;
  baseUrl?: string;
  /** Where problems and status lines go (stderr by default). */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  store: () => RepresentationStore;
  close: () => Promise<void>;
}

export const compressWithZlib: Compressor = (body, coding) =>
  coding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
    : gzipSync(body, { level: 6 });

export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const fallbackBaseUrl = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  const loaded = await loadSite(options.articlesDir, { baseUrl: options.baseUrl, fallbackBaseUrl });
  for (const problem of loaded.problems) log(formatProblem(problem));
  if (!loaded.data) throw new Error(`cannot serve ${options.articlesDir}: the site settings are unusable (see above)`);
  const store = publish(loaded.data);
  const app = createApp({ site: () => store, compress: compressWithZlib });

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const errors = loaded.problems.filter((p) => p.severity === 'error').length;
  log(`feedgen: serving ${loaded.data.articles.length} articles${errors ? ` (${errors} problems, see above)` : ''} at http://${host}:${port}/`);
  return {
    url: `http://${host}:${port}`,
    store: () => store,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
