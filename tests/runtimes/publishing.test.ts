/**
 * What the publish ledger is for, end to end through the CLI and the servers: a poller that sends
 * only If-Modified-Since never misses a change (Node across restarts and under --watch, workerd),
 * archives never change membership, moved articles redirect, deleted ones are tombstoned, and the
 * hub hears of exactly the feeds whose bytes changed.
 */
import { execFile } from 'node:child_process';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHttpDate } from '../../src/time/index.js';
import { article, writeArticles } from '../helpers/articles.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { startServer } from '../helpers/server.js';
import { StaticHost } from '../helpers/static-host.js';
import { atomSchemaProblems } from '../helpers/validators.js';
import { startWorker } from '../helpers/worker-bundle.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const T1 = 1_790_000_000;
const BASE = 'https://feeds.example.com';

async function feedgen(args: string[], articles: string, epochSeconds: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args, '--articles', articles], {
    cwd: path.dirname(articles),
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epochSeconds) },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

function newsroom(extra: Record<string, string> = {}): Promise<string> {
  const files: Record<string, string> = {
    '_index.md': `---\ntitle: Newsroom\nbase_url: ${BASE}\ntimezone: UTC\nfeed_limit: 3\narchive_size: 2\n---\n`,
    ...extra,
  };
  for (let i = 1; i <= 5; i++) files[`us/story-${i}.md`] = article(`title: Story ${i}\ndate: 2026-01-0${i} 10:00`, `Body ${i}.`);
  files['sport/match.md'] = article('title: Match\ndate: 2026-01-02 18:00', 'Score.');
  return writeArticles(files);
}

/** The edits that used to hide behind an older Last-Modified, each made to a copy of the newsroom. */
const CHANGES: Array<[string, (articles: string) => Promise<void>]> = [
  ['a late filing, dated before the newest item', (a) => writeFile(path.join(a, 'us/late.md'), article('title: Late\ndate: 2026-01-04 09:00'))],
  ['a body corrected without "updated"', (a) => writeFile(path.join(a, 'us/story-5.md'), article('title: Story 5\ndate: 2026-01-05 10:00', 'Body 5, corrected.'))],
  ['a deleted article', (a) => rm(path.join(a, 'us/story-4.md'))],
  ['items shifting out of the subscription document', (a) => writeFile(path.join(a, 'us/new.md'), article('title: New\ndate: 2026-01-06 10:00'))],
];

describe('a poller that sends only If-Modified-Since', () => {
  it.each(CHANGES)('sees %s on Node across a restart, and 304 when nothing changed', async (_label, change) => {
    const articles = await newsroom();
    let server = await startServer(articles, BASE, { now: () => T1 * 1000 });
    const before = await fetch(`${server.url}/us/rss.xml`);
    const lastModified = before.headers.get('last-modified') as string;
    await server.close();

    server = await startServer(articles, BASE, { now: () => (T1 + 5) * 1000 });
    expect((await fetch(`${server.url}/us/rss.xml`, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    await server.close();

    await change(articles);
    // The clock of the next run is behind: Last-Modified must still move forwards.
    server = await startServer(articles, BASE, { now: () => (T1 - 3600) * 1000 });
    try {
      const after = await fetch(`${server.url}/us/rss.xml`, { headers: { 'if-modified-since': lastModified } });
      expect(after.status).toBe(200);
      expect(Date.parse(after.headers.get('last-modified') as string)).toBeGreaterThan(Date.parse(lastModified));
    } finally {
      await server.close();
    }
  });

  it('sees a change under serve --watch at once', async () => {
    const articles = await newsroom();
    let now = T1 * 1000;
    const server = await startServer(articles, BASE, { now: () => now, watch: true });
    try {
      const lastModified = (await fetch(`${server.url}/us/atom.xml`)).headers.get('last-modified') as string;
      now += 1000;
      const reloaded = server.reloaded();
      await writeFile(path.join(articles, 'us/story-5.md'), article('title: Story 5\ndate: 2026-01-05 10:00', 'Body 5, corrected.'));
      await reloaded;
      const after = await fetch(`${server.url}/us/atom.xml`, { headers: { 'if-modified-since': lastModified } });
      expect(after.status).toBe(200);
      expect(after.headers.get('last-modified')).toBe(formatHttpDate(now));
    } finally {
      await server.close();
    }
  });

  it('sees each of them in workerd, from what worker-data prepared', async () => {
    const articles = await newsroom();
    const assets = path.join(path.dirname(articles), 'worker-assets');
    expect((await feedgen(['worker-data', '--out', assets], articles, T1)).code).toBe(0);
    let worker = await startWorker(assets);
    let lastModified = (await worker.dispatchFetch(`${BASE}/us/rss.xml`)).headers.get('last-modified') as string;
    await worker.dispose();
    for (const [index, [label, change]] of CHANGES.entries()) {
      await change(articles);
      const now = T1 + 60 * (index + 1);
      expect((await feedgen(['worker-data', '--out', assets], articles, now)).code).toBe(0);
      worker = await startWorker(assets);
      try {
        const after = await worker.dispatchFetch(`${BASE}/us/rss.xml`, { headers: { 'if-modified-since': lastModified } });
        expect(after.status, label).toBe(200);
        expect(after.headers.get('last-modified'), label).toBe(formatHttpDate(now * 1000));
        lastModified = after.headers.get('last-modified') as string;
      } finally {
        await worker.dispose();
      }
    }
  }, 120_000);
});

describe('archives', () => {
  it('keep their membership as articles are published, backdated ones too: full archives keep their bytes', async () => {
    const articles = await newsroom();
    const dist = path.join(path.dirname(articles), 'dist');
    expect((await feedgen(['build', '--out', dist], articles, T1)).code).toBe(0);
    // Archives exist only once full: us/ has two of its five stories' worth, and Story 5 waits in the subscription document.
    const full = ['archive/1/rss.xml', 'archive/2/atom.xml', 'us/archive/1/feed.json'];
    const before = await Promise.all(full.map((file) => readFile(path.join(dist, file), 'utf8')));
    const newestBefore = await readFile(path.join(dist, 'us/archive/2/rss.xml'), 'utf8');
    await expect(readFile(path.join(dist, 'us/archive/3/rss.xml'), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await readFile(path.join(dist, 'us/rss.xml'), 'utf8')).toContain('<title>Story 5</title>');
    await writeFile(path.join(articles, 'us/backdated.md'), article('title: Backdated\ndate: 2025-06-01 10:00'));
    const built = await feedgen(['build', '--out', dist], articles, T1 + 60);
    expect(built.code, built.stderr).toBe(0);
    expect(await Promise.all(full.map((file) => readFile(path.join(dist, file), 'utf8')))).toEqual(before);
    // The archive before the new one gains its next-archive link, and keeps its entries.
    const guids = (rss: string) => [...rss.matchAll(/<guid[^>]*>([^<]*)<\/guid>/g)].map((m) => m[1]);
    expect(guids(await readFile(path.join(dist, 'us/archive/2/rss.xml'), 'utf8'))).toEqual(guids(newestBefore));
    const newest = await readFile(path.join(dist, 'us/archive/3/rss.xml'), 'utf8');
    expect(newest).toContain('<title>Backdated</title>');
    expect(newest).toContain('<title>Story 5</title>');
  });
});

describe('moved and deleted articles', () => {
  it('check warns of a renamed file before build publishes it; build, serve and the Worker redirect the old URL', async () => {
    const articles = await newsroom();
    const dist = path.join(path.dirname(articles), 'dist');
    expect((await feedgen(['build', '--out', dist], articles, T1)).code).toBe(0);
    await rename(path.join(articles, 'us/story-2.md'), path.join(articles, 'us/second-story.md'));
    const checked = await feedgen(['check'], articles, T1 + 60);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(`articles/us/second-story.md:1: warning: the article moved from /us/story-2/ since it was published`);
    expect((await feedgen(['build', '--out', dist], articles, T1 + 60)).code).toBe(0);
    expect(await readFile(path.join(dist, '_redirects'), 'utf8')).toBe('/us/story-2/ /us/second-story/ 301\n');
    const server = await startServer(articles, BASE, { now: () => (T1 + 60) * 1000 });
    try {
      const old = await fetch(`${server.url}/us/story-2/`, { redirect: 'manual' });
      expect(old.status).toBe(301);
      expect(old.headers.get('location')).toBe('/us/second-story/');
    } finally {
      await server.close();
    }
    const assets = path.join(path.dirname(articles), 'worker-assets');
    expect((await feedgen(['worker-data', '--out', assets], articles, T1 + 60)).code).toBe(0);
    const worker = await startWorker(assets);
    try {
      const old = await worker.dispatchFetch(`${BASE}/us/story-2/`, { redirect: 'manual' });
      expect(old.status).toBe(301);
      expect(old.headers.get('location')).toBe('/us/second-story/');
      await old.arrayBuffer();
    } finally {
      await worker.dispose();
    }
  }, 120_000);

  it('check warns of an id changed since publication', async () => {
    const articles = await newsroom();
    expect((await feedgen(['build', '--out', path.join(path.dirname(articles), 'dist')], articles, T1)).code).toBe(0);
    await writeFile(path.join(articles, 'sport/match.md'), article('title: Match\ndate: 2026-01-02 18:00\nid: tag:feeds.example.com,2026:match', 'Score.'));
    const checked = await feedgen(['check'], articles, T1 + 60);
    expect(checked.stdout).toContain(`articles/sport/match.md:1: warning: "id" changed since the article was published (it was ${BASE}/sport/match/)`);
  });

  it('announce a deletion in the Atom feeds it was in for tombstone_days, validly', async () => {
    const articles = await newsroom();
    const dist = path.join(path.dirname(articles), 'dist');
    expect((await feedgen(['build', '--out', dist], articles, T1)).code).toBe(0);
    await rm(path.join(articles, 'us/story-3.md'));
    expect((await feedgen(['build', '--out', dist], articles, T1 + 60)).code).toBe(0);
    const tombstone = `<at:deleted-entry ref="${BASE}/us/story-3/" when="${new Date((T1 + 60) * 1000).toISOString().replace('.000', '')}"/>`;
    for (const feed of ['atom.xml', 'us/atom.xml']) expect(await readFile(path.join(dist, feed), 'utf8')).toContain(tombstone);
    expect(await readFile(path.join(dist, 'sport/atom.xml'), 'utf8')).not.toContain('deleted-entry');
    const atom = await readFile(path.join(dist, 'us/atom.xml'), 'utf8');
    expect(Object.fromEntries(await atomSchemaProblems([{ label: 'us/atom.xml', xml: atom }]))).toEqual({});
    expect((await feedgen(['build', '--out', dist], articles, T1 + 60 + 31 * 86_400)).code).toBe(0);
    expect(await readFile(path.join(dist, 'us/atom.xml'), 'utf8')).not.toContain('deleted-entry');
  });
});

describe('WebSub publish', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub.close());

  it('pings the hub for the subscription feeds of the scopes a change touched; a failing hub is reported, never fatal', async () => {
    const articles = await newsroom();
    const index = path.join(articles, '_index.md');
    await writeFile(index, (await readFile(index, 'utf8')).replace('---\n', `---\nhub: ${hub.url}\n`));
    const dist = path.join(path.dirname(articles), 'dist');
    expect((await feedgen(['build', '--out', dist], articles, T1)).code).toBe(0);
    const everything = ['', 'us/', 'sport/'].flatMap((scope) => ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `${BASE}/${scope}${file}`));
    expect([...hub.pings].sort()).toEqual([...everything].sort());

    hub.pings.length = 0;
    expect((await feedgen(['build', '--out', dist], articles, T1 + 60)).code).toBe(0);
    expect(hub.pings).toEqual([]);

    // In the site's subscription documents (feed_limit 3) and its section's.
    await writeFile(path.join(articles, 'us/story-5.md'), article('title: Story 5\ndate: 2026-01-05 10:00', 'Body 5, corrected.'));
    expect((await feedgen(['build', '--out', dist], articles, T1 + 120)).code).toBe(0);
    expect([...hub.pings].sort()).toEqual(everything.filter((url) => !url.includes('/sport/')).sort());
    // Too old for the site's subscription documents, which change their Last-Modified all the same
    // (the latest change to anything they are made from): the site's and its section's, not us/.
    hub.pings.length = 0;
    await writeFile(path.join(articles, 'sport/match.md'), article('title: Match\ndate: 2026-01-02 18:00', 'Final score.'));
    expect((await feedgen(['build', '--out', dist], articles, T1 + 150)).code).toBe(0);
    expect([...hub.pings].sort()).toEqual(everything.filter((url) => !url.includes('/us/')).sort());

    hub.status = 500;
    await writeFile(path.join(articles, 'sport/match.md'), article('title: Match\ndate: 2026-01-02 18:00', 'Final score, corrected.'));
    const failed = await feedgen(['build', '--out', dist], articles, T1 + 180);
    expect(failed.code).toBe(0);
    expect(failed.stderr).toContain(`feedgen: WebSub ping to ${hub.url} for ${BASE}/sport/rss.xml failed: the hub answered 500`);
    hub.status = 202;
  });
});

describe('the static build', () => {
  it('dates every file by the ledger, so hosts that send modification times agree with the servers', async () => {
    const articles = await newsroom();
    const dist = path.join(path.dirname(articles), 'dist');
    expect((await feedgen(['build', '--out', dist], articles, T1)).code).toBe(0);
    const host = await StaticHost.open(dist);
    const server = await startServer(articles, BASE, { now: () => (T1 + 999) * 1000 });
    try {
      for (const urlPath of host.files()) {
        expect(host.lastModified(urlPath), urlPath).toBe((await fetch(`${server.url}${urlPath}`)).headers.get('last-modified'));
      }
    } finally {
      await server.close();
    }
  });
});
