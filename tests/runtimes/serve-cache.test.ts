/**
 * `feedgen serve` from its cache: a second start reads no article, and every URL answers exactly
 * as a server without the cache does (status, bytes, validators); an edit under --watch is in the
 * cache the next start reads.
 */
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { defaultCacheDir } from '../../src/state/cache.js';
import { allResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { scratchFolder } from '../helpers/scratch.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';

const NOW = () => 1_790_000_000_000;
/** How a start from the kept snapshot says so. */
const KEPT = 'the kept snapshot in the cache';
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

  it('starts from the kept snapshot, then from the responses the last server held, and answers every URL as a server without the cache', async () => {
    const cacheDir = defaultCacheDir(articles);
    const first = await startServer(articles, undefined, { cacheDir, now: NOW });
    await first.close();
    expect(first.logs.at(-1)).not.toContain('from the cache');
    expect(first.logs.at(-1)).not.toContain(KEPT);
    expect(await readdir(path.join(cacheDir, 'parses'))).not.toEqual([]);

    const { data } = await loadSite(articles, { baseUrl: 'http://127.0.0.1:8787' });
    const paths = [...allResources(new SiteSnapshot(data!))].map((r) => r.path);
    expect(paths.length).toBeGreaterThan(250);
    const plain = await startServer(articles, undefined, { now: NOW });
    try {
      const expected = await answers(plain.url, paths);
      // The second start reads the kept site when the first request comes, and renders every URL.
      const second = await startServer(articles, undefined, { cacheDir, now: NOW });
      expect(second.logs.find((line) => line.includes('serving'))).toContain(KEPT);
      expect(await answers(second.url, paths)).toEqual(expected);
      await second.close();
      // The third answers from the responses the second held when it stopped: it renders nothing.
      const third = await startServer(articles, undefined, { cacheDir, now: NOW });
      try {
        expect(await answers(third.url, paths)).toEqual(expected);
        expect((await third.store()).renders).toBe(0);
      } finally {
        await third.close();
      }
    } finally {
      await plain.close();
    }
  }, 120_000);

  it('keeps in the cache what a reload under --watch published, for the next start', async () => {
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
      // The site the reload published was kept: the next start reads no article.
      expect(next.logs.find((line) => line.includes('serving'))).toContain(KEPT);
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
      // Nothing changed since the last start: this one starts from what that one kept.
      expect(server.logs.find((line) => line.includes('serving'))).toContain(KEPT);
      const text = await readFile(file, 'utf8');
      const sentence = /^[A-Z][^\n<>&"]{20,80}/m.exec(text.slice(text.indexOf('---', 3) + 3))?.[0] as string;
      const reloaded = server.reloaded();
      // No title: invalid, so the server keeps the version it started from, whose page it has not
      // rendered yet: its body is read from the pack of a shard rewritten since.
      await writeFile(file, text.replace(/^title: .*\n/m, ''));
      await reloaded;
      expect(server.logs.some((line) => line.includes('still serving its last good version'))).toBe(true);
      const after = await fetch(page);
      expect(after.status).toBe(200);
      expect(await after.text()).toContain(sentence);
    } finally {
      await server.close();
    }
    // What it served is not what a start publishes from the folder, which leaves the broken article out: it was not kept.
    const next = await startServer(articles, undefined, { cacheDir, now: NOW });
    try {
      expect(next.logs.find((line) => line.includes('serving'))).not.toContain(KEPT);
      expect((await fetch(`${next.url}/europe/rail-night-trains-return/`)).status).toBe(404);
    } finally {
      await next.close();
    }
  }, 120_000);
});

describe('a start from the kept snapshot', () => {
  let folder: string;
  let cacheDir: string;
  const SAMPLE = ['/rss.xml', '/africa/feed.json', '/', '/africa/lagos-tech-hub/', '/tags/', '/news-sitemap.xml'];

  /** A start at `now`: whether it started from the kept snapshot, and its answers beside those of a server without the cache. */
  async function start(now: number, baseUrl?: string): Promise<{ kept: boolean; same: boolean }> {
    const cached = await startServer(folder, baseUrl, { cacheDir, now: () => now });
    const plain = await startServer(folder, baseUrl, { now: () => now });
    try {
      const kept = cached.logs.some((line) => line.includes('serving') && line.includes(KEPT));
      return { kept, same: JSON.stringify(await answers(cached.url, SAMPLE)) === JSON.stringify(await answers(plain.url, SAMPLE)) };
    } finally {
      await Promise.all([cached.close(), plain.close()]);
    }
  }

  beforeAll(async () => {
    const root = await scratchFolder('feedgen-kept-site-');
    folder = path.join(root, 'articles');
    cacheDir = path.join(root, 'cache');
    await cp(BUNDLED_ARTICLES, folder, { recursive: true });
    // Published an hour after NOW: the kept snapshot of a start before then holds until then only.
    await writeFile(path.join(folder, 'africa/later.md'), `---\ntitle: Scheduled story\ndate: ${new Date(NOW() + 3_600_000).toISOString()}\n---\n\nLater.\n`);
    // Two days old half an hour after NOW: it leaves the news sitemap then, and nothing else changes.
    await writeFile(path.join(folder, 'africa/aging.md'), `---\ntitle: Aging story\ndate: ${new Date(NOW() - 2 * 86_400_000 + 1_800_000).toISOString()}\n---\n\nNews.\n`);
    await settle();
  });

  it('is used only while everything it was made from holds, and answers as a server without the cache', async () => {
    expect(await start(NOW())).toEqual({ kept: false, same: true });
    expect(await start(NOW())).toEqual({ kept: true, same: true });

    // An article edited.
    const file = path.join(folder, 'africa/lagos-tech-hub.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^title: .*$/m, 'title: Edited while stopped'));
    expect(await start(NOW())).toEqual({ kept: false, same: true });
    expect(await start(NOW())).toEqual({ kept: true, same: true });

    // The ledger changed (removed: the next start records the site afresh).
    await rm(path.join(folder, '_ledger.tsv'));
    expect(await start(NOW())).toEqual({ kept: false, same: true });
    expect(await start(NOW())).toEqual({ kept: true, same: true });

    // Another address: another kept snapshot (a preview, which keeps its own history in the cache).
    expect(await start(NOW(), 'http://127.0.0.1:9999')).toEqual({ kept: false, same: true });
    expect(await start(NOW(), 'http://127.0.0.1:9999')).toEqual({ kept: true, same: true });
    await writeFile(path.join(cacheDir, 'preview-ledger.tsv'), 'not the history it kept\n');
    expect((await start(NOW(), 'http://127.0.0.1:9999')).kept).toBe(false);

    // The scheduled story's hour has come.
    expect(await start(NOW() + 7_200_000)).toEqual({ kept: false, same: true });
    expect(await start(NOW() + 7_200_000)).toEqual({ kept: true, same: true });
    // A clock set back before the kept start.
    expect(await start(NOW())).toEqual({ kept: false, same: true });
    // Set back behind what the ledger recorded (the scheduled story's publication at NOW + 1 h):
    // what a start publishes may then change at any instant, so that start's site holds at its instant only.
    expect(await start(NOW() + 60_000)).toEqual({ kept: false, same: true });
  }, 180_000);

  it('holds past an article leaving the news sitemap, which it then answers anew', async () => {
    await rm(path.join(folder, '_ledger.tsv'), { force: true });
    await start(NOW());
    expect((await start(NOW())).kept).toBe(true);
    const newsAt = async (now: number) => {
      const server = await startServer(folder, undefined, { now: () => now });
      try {
        return await (await fetch(`${server.url}/news-sitemap.xml`)).text();
      } finally {
        await server.close();
      }
    };
    expect(await newsAt(NOW())).toContain('Aging story');
    expect(await newsAt(NOW() + 2_700_000)).not.toContain('Aging story');
    // Past the age-out, before the scheduled story.
    expect(await start(NOW() + 2_700_000)).toEqual({ kept: true, same: true });
  }, 60_000);

  it('switches to the scheduled version when its instant comes, as a server that read the folder does, and keeps it', async () => {
    await rm(path.join(folder, '_ledger.tsv'), { force: true });
    expect((await start(NOW())).kept).toBe(false);
    let clock = NOW();
    const server = await startServer(folder, undefined, { cacheDir, now: () => clock });
    try {
      expect(server.logs.find((line) => line.includes('serving'))).toContain(KEPT);
      expect(await (await fetch(`${server.url}/africa/rss.xml`)).text()).not.toContain('Scheduled story');
      clock = NOW() + 3_600_000;
      expect(await (await fetch(`${server.url}/africa/rss.xml`)).text()).toContain('Scheduled story');
    } finally {
      await server.close();
    }
    // The version it switched to was kept: a start after the instant begins from it.
    expect(await start(clock)).toEqual({ kept: true, same: true });
  }, 60_000);

  it('reads the folder when what it points into is gone, and ignores a kept file it cannot read', async () => {
    await start(NOW());
    expect((await start(NOW())).kept).toBe(true);
    // Its articles' bodies are in the parse cache's packs: without them, the site is read from the folder.
    for (const name of await readdir(path.join(cacheDir, 'parses'))) if (name.endsWith('.pack')) await rm(path.join(cacheDir, 'parses', name));
    expect(await start(NOW())).toEqual({ kept: true, same: true });
    for (const name of await readdir(path.join(cacheDir, 'sites'))) await writeFile(path.join(cacheDir, 'sites', name), 'broken');
    expect(await start(NOW())).toEqual({ kept: false, same: true });
    expect(await start(NOW())).toEqual({ kept: true, same: true });
  }, 120_000);
});
