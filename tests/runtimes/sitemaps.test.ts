/**
 * The sitemaps at instants around a change, in the Worker (workerd, the versions `worker-data`
 * rendered ahead, its clock fixed by FEEDGEN_NOW), the Node server (its clock moved, no restart) and
 * the static build (`build --now`): a scheduled article appears in them at its instant and leaves at
 * its expiry, an article leaves the news sitemap two days after its date, a deleted one leaves them
 * all; at each instant every URL is answered alike by all three. Only the news sitemap's max-age
 * is bounded by its next age-out.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHttpDate, formatRfc3339 } from '../../src/time/index.js';
import { exchange, expectIdenticalEverywhere, type Runtimes } from '../helpers/runtimes.js';
import { startServer } from '../helpers/server.js';
import { TimedSite, at, cli } from '../helpers/timed-site.js';
import { sitemapProblems } from '../helpers/validators.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const PUBLISH = NOW + HOUR;
/** When the recent article, dated 46 hours before NOW, leaves the news sitemap. */
const AGE_OUT = NOW + 2 * HOUR;
const EXPIRE = NOW + 3 * HOUR;
const LATER = NOW + 5 * HOUR;
const ORIGIN = 'http://127.0.0.1:8787';

const EMBARGOED = '/china/world/embargoed-report/';
const RECENT = '/us/recent-report/';
const GONE = '/europe/withdrawn-report/';
const date = (epochMs: number) => formatRfc3339({ epochMs, offsetSeconds: 0 });
const ARTICLES: Record<string, string> = {
  'china/world/embargoed-report.md': `---\ntitle: Embargoed report\ndate: ${date(PUBLISH)}\nexpires: ${date(EXPIRE)}\n---\n\nHeld until the embargo lifts.\n`,
  'us/recent-report.md': `---\ntitle: Recent report\ndate: ${date(NOW - 46 * HOUR)}\n---\n\nTwo days old soon.\n`,
  'europe/withdrawn-report.md': `---\ntitle: Withdrawn report\ndate: ${date(NOW - 10 * HOUR)}\n---\n\nTo be deleted.\n`,
};

let site: TimedSite;

beforeAll(async () => {
  site = await TimedSite.prepare('sitemaps-runtimes', NOW, async (articles) => {
    for (const [file, text] of Object.entries(ARTICLES)) await writeFile(path.join(articles, file), text);
  });
}, 120_000);

afterAll(() => site?.close());

/** The same document from the three runtimes, checked against the schemas' rules; its `loc`s. */
async function locsOf(runtimes: Runtimes, urlPath: string, now: number): Promise<string[]> {
  const { worker, node: fromNode } = await exchange(runtimes, urlPath);
  const xml = fromNode.body.toString();
  expect(worker.body.toString(), urlPath).toBe(xml);
  expect(sitemapProblems(xml, { location: `${ORIGIN}${urlPath}`, now, allowEmpty: urlPath === '/news-sitemap.xml' }), urlPath).toEqual([]);
  return [...xml.matchAll(/<url><loc>([^<]*)<\/loc>/g)].map((m) => (m[1] as string).slice(ORIGIN.length));
}

describe('sitemaps around scheduled changes, in every runtime', () => {
  // The Node server moves forward only: the instants are visited in order.
  const instants = [
    { name: 'before the embargo lifts', now: NOW, embargoed: false, recent: true },
    { name: 'at the instant it lifts', now: PUBLISH, embargoed: true, recent: true },
    { name: 'a second before the recent article is two days old', now: AGE_OUT - 1000, embargoed: true, recent: true },
    { name: 'when it is two days old', now: AGE_OUT, embargoed: true, recent: false },
    { name: 'at the embargoed article’s expiry', now: EXPIRE, embargoed: false, recent: false },
  ];
  for (const { name, now, embargoed, recent } of instants) {
    it(`list what is live ${name}, alike in the Worker, the Node server and the static build`, async () => {
      const runtimes = await site.runtimesAt(now);
      for (const urlPath of ['/robots.txt', '/sitemap.xml', '/news-sitemap.xml']) expect(runtimes.paths, urlPath).toContain(urlPath);
      for (const urlPath of runtimes.paths) await expectIdenticalEverywhere(runtimes, urlPath);
      const listed = await locsOf(runtimes, '/sitemap.xml', now);
      expect(listed.includes(EMBARGOED), EMBARGOED).toBe(embargoed);
      expect(listed).toContain(RECENT);
      expect(listed).toContain(GONE);
      const news = await locsOf(runtimes, '/news-sitemap.xml', now);
      expect(news).toEqual([...(embargoed ? [EMBARGOED] : []), GONE, ...(recent ? [RECENT] : [])]);
      if (now === AGE_OUT) {
        // Dated by the instant the article left it, however late a runtime came to it.
        const { worker, node: fromNode } = await exchange(runtimes, '/news-sitemap.xml');
        expect([fromNode.headers['last-modified'], worker.headers['last-modified'], runtimes.host.lastModified('/news-sitemap.xml')]).toEqual(Array(3).fill(formatHttpDate(AGE_OUT)));
      }
    }, 180_000);
  }
});

describe('max-age of the news sitemap', () => {
  it('runs no further than its next age-out, while every other response keeps its own, in the Worker and the Node server', async () => {
    const now = AGE_OUT - 100_000;
    const worker = await site.worker(site.assets, now);
    // A server of its own, whose clock stands 100 s before the age-out, on a copy of the folder as the Worker's was made.
    const copy = path.join(site.work, 'max-age', 'articles');
    await cp(site.prepared, copy, { recursive: true });
    const server = await startServer(copy, undefined, { now: () => now });
    try {
      const runtimes = { worker, node: server } as unknown as Runtimes;
      // The embargoed article expires at EXPIRE, 1 h 1 min 40 s away: beyond the site's max-age of 300 s.
      for (const [urlPath, seconds] of [['/news-sitemap.xml', 100], ['/sitemap.xml', 300], ['/rss.xml', 300], ['/robots.txt', 300]] as const) {
        const { worker: fromWorker, node: fromNode } = await exchange(runtimes, urlPath);
        expect(fromNode.headers['cache-control'], urlPath).toBe(`public, max-age=${seconds}`);
        expect(fromWorker.headers, urlPath).toEqual(fromNode.headers);
        const revalidated = await exchange(runtimes, urlPath, { headers: { 'if-none-match': fromNode.headers.etag as string } });
        expect([revalidated.node.status, revalidated.node.headers['cache-control']], urlPath).toEqual([304, `public, max-age=${seconds}`]);
        expect(revalidated.worker.headers, urlPath).toEqual(revalidated.node.headers);
      }
    } finally {
      await server.close();
    }
    // The static build writes the bound as of the build into _headers, for that file alone.
    const built = path.join(site.work, 'max-age-static');
    await cp(site.prepared, path.join(built, 'articles'), { recursive: true });
    await cli(['build', '--articles', 'articles', '--out', 'dist', '--now', at(now)], built);
    const headers = await readFile(path.join(built, 'dist', '_headers'), 'utf8');
    expect(headers).toMatch(/^\/news-sitemap\.xml\n(?: {2}.*\n)*? {2}cache-control: public, max-age=100\n/m);
    expect(headers).toMatch(/^\/sitemap\.xml\n(?: {2}.*\n)*? {2}cache-control: public, max-age=300\n/m);
  }, 120_000);
});

describe('a deleted article', () => {
  it('leaves every sitemap of every runtime', async () => {
    site.clock = LATER;
    await rm(path.join(site.articles, 'europe/withdrawn-report.md'));
    await rm(path.join(site.staticSite, 'articles/europe/withdrawn-report.md'));
    // The server reads the folder again on restart; the Worker needs its assets made again, as a deploy would.
    await site.restartNode();
    const later = path.join(site.work, 'assets-later');
    await cli(['worker-data', '--articles', site.articles, '--out', later, '--now', at(LATER)], site.work);
    const runtimes = await site.runtimesAt(LATER, later);
    for (const urlPath of ['/robots.txt', '/sitemap.xml', '/news-sitemap.xml']) await expectIdenticalEverywhere(runtimes, urlPath);
    expect(await locsOf(runtimes, '/sitemap.xml', LATER)).not.toContain(GONE);
    expect(await locsOf(runtimes, '/news-sitemap.xml', LATER)).toEqual([]);
    const { node: fromNode } = await exchange(runtimes, '/sitemap.xml');
    expect(fromNode.headers['last-modified']).toBe(formatHttpDate(LATER));
  }, 180_000);
});
