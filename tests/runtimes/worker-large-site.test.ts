/**
 * The Worker over the static assets of a generated 2,000-article site (bench/corpus.ts: 40 nested
 * sections, several zones, some Chinese): every URL answered by the Worker, the Node server and the
 * static build alike, and the edges of the RFC 5005 archives too. The slowest test file (about a minute here).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus } from '../../bench/corpus.js';
import { allResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { exchange, expectEveryPathIdentical, runtimesFor, type Runtimes } from '../helpers/runtimes.js';

const ARTICLES = 2000;
let runtimes: Runtimes;
let scratch: string | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'feedgen-corpus-'));
  const articles = await ensureCorpus(ARTICLES, scratch);
  runtimes = await runtimesFor(articles);
}, 120_000);

afterAll(async () => {
  await runtimes?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe(`Worker, Node server and static build on a generated site of ${ARTICLES} articles`, () => {
  it('answer every URL with identical statuses, bodies and headers', async () => {
    expect(runtimes.data.articles.length).toBe(ARTICLES);
    const paths = runtimes.paths;
    expect(paths.length).toBeGreaterThan(ARTICLES + 300);
    expect(paths.sort()).toEqual([...allResources(new SiteSnapshot(runtimes.data))].map((r) => r.path).sort());
    await expectEveryPathIdentical(runtimes, paths);
  }, 120_000);

  it('answer archive edges, redirects and conditional requests alike', async () => {
    const snapshot = new SiteSnapshot(runtimes.data);
    const last = snapshot.archiveCount(snapshot.root);
    expect(last).toBeGreaterThan(10);
    const { node: archived } = await exchange(runtimes, `/archive/1/atom.xml`);
    const cases: Array<[string, RequestInit?]> = [
      [`/archive/${last}/rss.xml`],
      [`/archive/${last + 1}/rss.xml`],
      [`/page/2/feed.json`],
      [`/asia/south/archive/1/feed.json`],
      [`/asia/south`],
      [`/asia/south/article-0`],
      [`/asia/south/no-such-article/`],
      [`/archive/1/atom.xml`, { headers: { 'if-none-match': archived.headers.etag as string } }],
      [`/archive/1/atom.xml`, { headers: { 'if-modified-since': archived.headers['last-modified'] as string } }],
      [`/archive/1/atom.xml`, { headers: { 'if-match': '"stale"' } }],
    ];
    for (const [urlPath, init] of cases) {
      const label = `${urlPath} ${JSON.stringify(init?.headers ?? {})}`;
      const { worker, node } = await exchange(runtimes, urlPath, init);
      expect(node.status, label).not.toBe(500);
      expect(worker.status, label).toBe(node.status);
      expect(worker.headers, label).toEqual(node.headers);
      expect(worker.body.equals(node.body), label).toBe(true);
    }
  });
});
