/**
 * `feedgen serve` from its cache: a second start reads no article, and every URL answers exactly
 * as a server without the cache does (status, bytes, validators); an edit under --watch is in the
 * cache the next start reads.
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { defaultCacheDir } from '../../src/state/cache.js';
import { allResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { scratchFolder } from '../helpers/scratch.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';

const NOW = () => 1_790_000_000_000;
let articles: string;

/** Stamps taken within two seconds of a file's change are not trusted (cache.ts): let them settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2100));

async function answers(origin: string, paths: string[]): Promise<string[]> {
  return Promise.all(
    paths.map(async (sitePath) => {
      const response = await fetch(`${origin}${sitePath}`);
      const body = Buffer.from(await response.arrayBuffer()).toString('base64');
      return [sitePath, response.status, response.headers.get('etag'), response.headers.get('last-modified'), body].join(' ');
    }),
  );
}

describe('feedgen serve from its cache', () => {
  beforeAll(async () => {
    articles = path.join(await scratchFolder('feedgen-serve-cache-'), 'articles');
    await cp(BUNDLED_ARTICLES, articles, { recursive: true });
    await settle();
  });

  it('reads no article at its second start, and answers every URL as a server without the cache', async () => {
    const cacheDir = defaultCacheDir(articles);
    const first = await startServer(articles, undefined, { cacheDir, now: NOW });
    await first.close();
    expect(first.logs.at(-1)).not.toContain('from the cache');
    expect(await readdir(path.join(cacheDir, 'parses'))).not.toEqual([]);

    const cached = await startServer(articles, undefined, { cacheDir, now: NOW });
    const plain = await startServer(articles, undefined, { now: NOW });
    try {
      expect(cached.logs.find((line) => line.includes('serving'))).toMatch(/ \(17 read from the cache\)$/);
      const { data } = await loadSite(articles, { baseUrl: 'http://127.0.0.1:8787' });
      const paths = [...allResources(new SiteSnapshot(data!))].map((r) => r.path);
      expect(paths.length).toBeGreaterThan(250);
      expect(await answers(cached.url, paths)).toEqual(await answers(plain.url, paths));
    } finally {
      await Promise.all([cached.close(), plain.close()]);
    }
  }, 120_000);

  it('keeps in the cache what --watch read, for the next start', async () => {
    const cacheDir = defaultCacheDir(articles);
    const watching = await startServer(articles, undefined, { cacheDir, now: NOW, watch: true });
    const file = path.join(articles, 'africa/lagos-tech-hub.md');
    try {
      const reloaded = watching.reloaded();
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^title: .*$/m, 'title: Edited under watch'));
      await reloaded;
    } finally {
      await watching.close();
    }
    const next = await startServer(articles, undefined, { cacheDir, now: NOW });
    try {
      // The edited file is read again (its stamp was taken within two seconds of the edit), not parsed.
      expect(next.logs.find((line) => line.includes('serving'))).toMatch(/ \(16 read from the cache\)$/);
      expect(await (await fetch(`${next.url}/africa/rss.xml`)).text()).toContain('<title>Edited under watch</title>');
    } finally {
      await next.close();
    }
  }, 120_000);

  it('serves the last good version of an article an edit broke, its body read from the cache it came from', async () => {
    const cacheDir = defaultCacheDir(articles);
    await settle();
    const server = await startServer(articles, undefined, { cacheDir, now: NOW, watch: true });
    const file = path.join(articles, 'europe/rail-night-trains-return.md');
    const page = `${server.url}/europe/rail-night-trains-return/`;
    try {
      // The article edited above may be read again (its stamp was taken soon after the edit).
      expect(server.logs.find((line) => line.includes('serving'))).toMatch(/ \(1[67] read from the cache\)$/);
      const text = await readFile(file, 'utf8');
      const sentence = /^[A-Z][^\n<>&"]{20,80}/m.exec(text.slice(text.indexOf('---', 3) + 3))?.[0] as string;
      const reloaded = server.reloaded();
      // No title: invalid, so the server keeps the version it read from the cache, whose page it
      // has not rendered yet: its body is read from the pack of a shard rewritten since.
      await writeFile(file, text.replace(/^title: .*\n/m, ''));
      await reloaded;
      expect(server.logs.some((line) => line.includes('still serving its last good version'))).toBe(true);
      const after = await fetch(page);
      expect(after.status).toBe(200);
      expect(await after.text()).toContain(sentence);
    } finally {
      await server.close();
    }
  }, 120_000);
});
