/** Starts the real Node server on an ephemeral loopback port for a test file. */
import { startNodeServer, type NodeServerOptions, type RunningServer } from '../../src/runtimes/node.js';

export const BUNDLED_ARTICLES = new URL('../../articles', import.meta.url).pathname;

export async function startServer(
  articlesDir = BUNDLED_ARTICLES,
  baseUrl = 'http://127.0.0.1:8787',
  options: Partial<NodeServerOptions> = {},
): Promise<RunningServer & { logs: string[] }> {
  const logs: string[] = [];
  const server = await startNodeServer({ articlesDir, port: 0, host: '127.0.0.1', baseUrl, log: (line) => logs.push(line), ...options });
  return { ...server, logs };
}
