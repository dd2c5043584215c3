import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/cli/serve.js';
import { compressWithZlib, startNodeServer } from '../../src/runtimes/node.js';
import { article, writeArticles } from '../helpers/articles.js';

describe('serve on an ephemeral port', () => {
  it('links to the port it listens on when the site has no base_url', async () => {
    const dir = await writeArticles({
      '_index.md': '---\ntitle: No Base URL\ntimezone: UTC\n---\n',
      'news/one.md': article('title: One\ndate: 2020-01-01 10:00'),
    });
    const logs: string[] = [];
    const server = await startNodeServer({ articlesDir: dir, port: 0, host: '127.0.0.1', log: (line) => logs.push(line) });
    try {
      const port = new URL(server.url).port;
      expect(port).not.toBe('0');
      const rss = await (await fetch(`${server.url}/rss.xml`)).text();
      expect(rss).toContain(`http://127.0.0.1:${port}/news/one`);
      expect(rss).not.toContain(':0/');
      expect(logs).toContain(`feedgen: serving 1 article at http://127.0.0.1:${port}/`);
    } finally {
      await server.close();
    }
  });
});

describe('compressWithZlib', () => {
  it('gives bodies of their own size, which a cache can keep without holding the larger buffers zlib writes into', () => {
    for (const size of [2_000, 40_000, 400_000]) {
      const body = new TextEncoder().encode('<item><title>A title &amp; more</title></item>\n'.repeat(size / 50));
      const br = compressWithZlib(body, 'br');
      const gzip = compressWithZlib(body, 'gzip');
      for (const compressed of [br, gzip]) expect(compressed.buffer.byteLength, `${size} bytes`).toBe(compressed.byteLength);
      expect(Buffer.compare(brotliDecompressSync(br), body)).toBe(0);
      expect(Buffer.compare(gunzipSync(gzip), body)).toBe(0);
    }
  });
});

describe('serve --memory', () => {
  it('keeps at most that many bytes of bodies: a feed let go is rendered again, with the same bytes and validators', async () => {
    const dir = await writeArticles({
      '_index.md': '---\ntitle: Budget\nbase_url: https://example.com\ntimezone: UTC\n---\n',
      'news/one.md': article('title: One\ndate: 2020-01-01 10:00'),
      'sport/two.md': article('title: Two\ndate: 2020-01-02 10:00'),
    });
    const server = await startNodeServer({ articlesDir: dir, port: 0, host: '127.0.0.1', log: () => {}, memoryBytes: 1 });
    try {
      const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });
      const first = await get('/news/rss.xml');
      const firstBody = await first.text();
      const rendersAfterFirst = (await server.store()).renders;
      // Another feed takes the only room there is; the first one is let go.
      await (await get('/sport/rss.xml')).text();
      const again = await get('/news/rss.xml');
      expect(await again.text()).toBe(firstBody);
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(again.headers.get('last-modified')).toBe(first.headers.get('last-modified'));
      expect((await server.store()).renders).toBe(rendersAfterFirst + 2);
      const conditional = await get('/news/rss.xml', { 'if-none-match': first.headers.get('etag') ?? '' });
      expect(conditional.status).toBe(304);
    } finally {
      await server.close();
    }
  });

  it('refuses a budget that is not a whole number of MiB from 1', async () => {
    const io = { out: () => {}, err: () => {}, stdin: process.stdin, isTTY: false };
    await expect(serveCommand.run(['--memory', '0'], io)).rejects.toThrow('--memory must be a whole number of MiB from 1, not "0"');
    await expect(serveCommand.run(['--memory', '1.5'], io)).rejects.toThrow('--memory must be');
  });
});
