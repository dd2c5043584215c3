import { describe, expect, it } from 'vitest';
import { startNodeServer } from '../../src/runtimes/node.js';
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
      expect(logs).toContain(`feedgen: serving 1 articles at http://127.0.0.1:${port}/`);
    } finally {
      await server.close();
    }
  });
});
