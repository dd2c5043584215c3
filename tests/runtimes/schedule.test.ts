/**
 * Scheduled and expiring articles with a fixed "now": an article dated ahead appears at its
 * instant and disappears at its `expires`, in the Worker (workerd, switching between the versions
 * `worker-data` rendered ahead, its clock fixed by FEEDGEN_NOW), in the Node server (its clock moved
 * by the test, no restart) and in the static build (`build --now`), and every URL is answered alike
 * by all three at each instant; max-age never runs past the next instant. `check` lists the articles
 * as information, and `build` says when to build again.
 */
import { cp, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHttpDate, formatRfc3339 } from '../../src/time/index.js';
import { exchange, expectIdenticalEverywhere, type Runtimes } from '../helpers/runtimes.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';
import { TimedSite, at, cli } from '../helpers/timed-site.js';

const HOUR = 3_600_000;
/** After every stamp of the bundled ledger: a run's clock does not go back before them. */
const NOW = Date.parse('2030-01-01T00:00:00Z');
const PUBLISH = NOW + HOUR;
const EXPIRE = NOW + 3 * HOUR;
const TITLE = 'Embargoed report on the harbour';
const PAGE = '/china/world/embargoed-report/';
const TAG = '/tags/embargo/';
const SHANGHAI = 8 * 3600;

/** `date` with its offset; `expires` a local time, read in the section's zone (Asia/Shanghai). */
const ARTICLE = `---
title: ${TITLE}
date: ${formatRfc3339({ epochMs: PUBLISH, offsetSeconds: SHANGHAI })}
expires: ${formatRfc3339({ epochMs: EXPIRE, offsetSeconds: SHANGHAI }).slice(0, 16).replace('T', ' ')}
tags: [Embargo]
summary: Goes out at its time, and comes down at its time.
---

Held until the embargo lifts.
`;

let site: TimedSite;

beforeAll(async () => {
  site = await TimedSite.prepare('schedule', NOW, async (articles) => {
    // Archives of two: the embargoed article seals its section's first archive when it goes out.
    const index = path.join(articles, '_index.md');
    await writeFile(index, (await readFile(index, 'utf8')).replace(/^---\n/, '---\narchive_size: 2\n'));
    await writeFile(path.join(articles, 'china/world/embargoed-report.md'), ARTICLE);
  });
}, 120_000);

afterAll(() => site?.close());

async function rebuildAt(now: number): Promise<string | undefined> {
  return readFile(path.join(site.staticSite, `dist-${now}.rebuild-at`), 'utf8').catch(() => undefined);
}

describe('a scheduled article that expires, with a fixed now', () => {
  it('is listed by check as information at the line of its date, then of its expires, with exit status 0', async () => {
    const before = await cli(['check', '--articles', site.articles, '--now', at(NOW)], site.work);
    expect(before.stdout).toContain(`articles/china/world/embargoed-report.md:3: info: scheduled: published at ${at(PUBLISH)}, until ${at(EXPIRE)}; left out until then\n`);
    const after = await cli(['check', '--articles', site.articles, '--now', at(EXPIRE)], site.work);
    expect(after.stdout).toContain(`articles/china/world/embargoed-report.md:4: info: expired at ${at(EXPIRE)}: left out\n`);
    expect(after.stderr).toMatch(/0 errors, \d+ warnings, 1 note;/);
  });

  it('is refused by check when it expires before it is published, at the line of expires', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-schedule-bad-')), 'articles');
    await cp(BUNDLED_ARTICLES, dir, { recursive: true });
    await writeFile(path.join(dir, 'china/world/backwards.md'), ARTICLE.replace(/^expires: .*$/m, 'expires: 2019-01-01 00:00'));
    const failed = await cli(['check', '--articles', dir, '--now', at(NOW)], path.dirname(dir)).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    // Read in the section's zone, as `date` is.
    expect(failed?.stdout).toContain('articles/china/world/backwards.md:4: "expires" (2019-01-01T00:00:00+08:00) must be after "date" (2030-01-01T09:00:00+08:00)');
  });

  // The Node server moves forward only: the instants are visited in order.
  const instants: Array<{ name: string; now: number; live: boolean; next?: number }> = [
    { name: 'before its instant', now: NOW, live: false, next: PUBLISH },
    { name: 'at its instant', now: PUBLISH, live: true, next: EXPIRE },
    { name: 'an hour after it', now: PUBLISH + HOUR, live: true, next: EXPIRE },
    // Its tombstone leaves the Atom feeds tombstone_days (30) after the expiry: the site changes again then.
    { name: 'at its expiry', now: EXPIRE, live: false, next: EXPIRE + 30 * 24 * HOUR },
  ];
  for (const { name, now, live, next } of instants) {
    it(`${live ? 'is' : 'is not'} on the site ${name}, alike in the Worker, the Node server and the static build`, async () => {
      const runtimes = await site.runtimesAt(now);
      expect(runtimes.paths.includes(PAGE), PAGE).toBe(live);
      expect(runtimes.paths.includes(TAG), TAG).toBe(live);
      for (const urlPath of runtimes.paths) await expectIdenticalEverywhere(runtimes, urlPath);
      for (const urlPath of [PAGE, `${TAG}rss.xml`]) {
        const { worker, node: fromNode } = await exchange(runtimes, urlPath);
        expect([worker.status, fromNode.status], urlPath).toEqual(live ? [200, 200] : [404, 404]);
      }
      for (const feed of ['/rss.xml', '/china/world/atom.xml', '/editions/asia/feed.json']) {
        const { worker, node: fromNode } = await exchange(runtimes, feed);
        expect(fromNode.body.toString().includes(TITLE), feed).toBe(live);
        expect(worker.body.equals(fromNode.body), feed).toBe(true);
      }
      expect(await rebuildAt(now)).toBe(next === undefined ? undefined : `${at(next)}\n`);
      if (live) {
        // Bytes that appeared at the instant are dated by it, however late a runtime came to them.
        const { worker, node: fromNode } = await exchange(runtimes, '/rss.xml');
        expect(fromNode.headers['last-modified']).toBe(formatHttpDate(PUBLISH));
        expect(worker.headers['last-modified']).toBe(formatHttpDate(PUBLISH));
        expect(runtimes.host.lastModified('/rss.xml')).toBe(formatHttpDate(PUBLISH));
      }
    }, 120_000);
  }

  it('is recorded in the ledger as published at its instant and deleted at its expiry', async () => {
    await site.closeNode();
    const ledger = await readFile(path.join(site.articles, '_ledger.tsv'), 'utf8');
    expect(ledger).toMatch(new RegExp(`^article\\tchina/world/embargoed-report\\t${at(PUBLISH)}\\t.*\\tdeleted:${at(EXPIRE)}\\tscheduled$`, 'm'));
    // Atom announces it deleted (RFC 6721) from its expiry on: the static file is dated by it.
    expect((await stat(path.join(site.staticSite, `dist-${EXPIRE}`, 'atom.xml'))).mtimeMs).toBe(EXPIRE);
  });
});

describe('max-age while a change is pending', () => {
  const paths = ['/rss.xml', '/', '/archive/1/atom.xml', '/feed.css', '/media/logo.png'];

  for (const { name, now, seconds } of [
    { name: '100 s before the instant', now: PUBLISH - 100_000, seconds: 100 },
    { name: 'half a second before the expiry', now: EXPIRE - 500, seconds: 0 },
  ]) {
    it(`runs no further than the next instant ${name}, in every runtime and on 304s`, async () => {
      const worker = await site.worker(site.assets, now);
      const copy = path.join(site.work, `max-age-${now}`, 'articles');
      await cp(site.prepared, copy, { recursive: true });
      const server = await startServer(copy, undefined, { now: () => now });
      try {
        const runtimes = { worker, node: server } as unknown as Runtimes;
        for (const urlPath of paths) {
          const { worker: fromWorker, node: fromNode } = await exchange(runtimes, urlPath);
          expect(fromNode.headers['cache-control'], urlPath).toBe(`public, max-age=${seconds}`);
          expect(fromWorker.headers, urlPath).toEqual(fromNode.headers);
          const revalidated = await exchange(runtimes, urlPath, { headers: { 'if-none-match': fromNode.headers.etag as string } });
          expect(revalidated.node.status, urlPath).toBe(304);
          expect(revalidated.node.headers['cache-control'], urlPath).toBe(`public, max-age=${seconds}`);
          expect(revalidated.worker.headers, urlPath).toEqual(revalidated.node.headers);
        }
      } finally {
        await server.close();
      }
    }, 120_000);
  }
});
