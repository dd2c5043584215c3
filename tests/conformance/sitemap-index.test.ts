/**
 * A generated site of 60,000 articles (bench/corpus.ts, in a temporary folder): /sitemap.xml is a
 * sitemap index, every numbered sitemap holds at most 50,000 URLs and 50 MB and is valid by the
 * schemas' rules, and publishing one article changes two sitemap files, the last numbered one
 * and the index. Only the crawler files are rendered, not the whole site; the render time is printed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCorpus } from '../../bench/corpus.js';
import { loadSite } from '../../src/content/load.js';
import type { SiteData } from '../../src/content/model.js';
import { SITEMAP_MAX_BYTES, SITEMAP_MAX_URLS } from '../../src/feeds/sitemap.js';
import { renderResource } from '../../src/publish/render.js';
import { crawlerResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { BodySpill } from '../../src/state/cache.js';
import { publicationOf, recordHistory } from '../../src/state/history.js';
import { Ledger } from '../../src/state/ledger.js';
import { chunksToText } from '../helpers/chunks.js';
import { libxml2Problems, sitemapIndexProblems, sitemapProblems } from '../helpers/validators.js';

const ARTICLES = 60_000;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const BASE = 'https://news.example.com';
let scratch: string | undefined;
afterAll(() => (scratch ? rm(scratch, { recursive: true, force: true }) : undefined));

/** Every crawler file of the site at `now`, path -> text, and how long rendering them took (ms). */
function crawlerFiles(snapshot: SiteSnapshot): { files: Map<string, string>; ms: number } {
  const started = performance.now();
  const files = new Map<string, string>();
  for (const { path: urlPath, resource } of crawlerResources(snapshot)) files.set(urlPath, chunksToText(renderResource(snapshot, resource).chunks));
  return { files, ms: performance.now() - started };
}

describe(`a generated site of ${ARTICLES.toLocaleString('en')} articles`, () => {
  it('gets a sitemap index of valid sitemaps, and publishing one article changes two sitemap files', async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'feedgen-sitemap-index-'));
    const articles = await ensureCorpus(ARTICLES, `${scratch}/`);
    const loaded = await loadSite(articles, { spill: new BodySpill() });
    const data = loaded.data as SiteData;
    expect(data.articles).toHaveLength(ARTICLES);
    const ledger = new Ledger();
    recordHistory(ledger, data, NOW);
    const before = crawlerFiles(new SiteSnapshot(data, publicationOf(ledger, data, NOW)));

    const index = before.files.get('/sitemap.xml') as string;
    expect(index).toContain('<sitemapindex');
    expect(sitemapIndexProblems(index, { location: `${BASE}/sitemap.xml` })).toEqual([]);
    const parts = [...before.files.keys()].filter((p) => /^\/sitemap-\d+\.xml$/.test(p));
    expect(parts.length).toBeGreaterThan(1);
    let urls = 0;
    for (const part of parts) {
      const xml = before.files.get(part) as string;
      expect(sitemapProblems(xml, { location: `${BASE}${part}` }), part).toEqual([]);
      const count = xml.split('<url>').length - 1;
      expect(count, part).toBeLessThanOrEqual(SITEMAP_MAX_URLS);
      expect(Buffer.byteLength(xml), part).toBeLessThanOrEqual(SITEMAP_MAX_BYTES);
      urls += count;
    }
    expect(urls).toBeGreaterThan(ARTICLES);
    expect(Object.fromEntries(await libxml2Problems([...before.files].filter(([p]) => p.endsWith('.xml')).map(([label, xml]) => ({ label, xml }))))).toEqual({});

    // One article more, published an hour later (its file read again, the others from the parse cache).
    const file = path.join(articles, 'world/trade/one-more.md');
    await writeFile(file, `---\ntitle: One more\ndate: 2029-12-31 23:30\n---\n\nThe newest story.\n`);
    const again = await loadSite(articles, { cache: loaded.cache, changed: new Set([file]), spill: new BodySpill() });
    const more = again.data as SiteData;
    recordHistory(ledger, more, NOW + 3_600_000);
    // What the Worker's version at an age-out of the news sitemap costs besides the news sitemap: the snapshot.
    const snapshotStarted = performance.now();
    const snapshot = new SiteSnapshot(more, publicationOf(ledger, more, NOW + 3_600_000));
    const snapshotMs = performance.now() - snapshotStarted;
    const after = crawlerFiles(snapshot);
    const changed = [...new Set([...before.files.keys(), ...after.files.keys()])].filter((p) => before.files.get(p) !== after.files.get(p));
    const sitemaps = changed.filter((p) => p.startsWith('/sitemap'));
    expect(sitemaps.sort()).toEqual([parts[parts.length - 1], '/sitemap.xml'].sort());
    // Besides them, the news sitemap: the article is dated within the two days.
    expect(changed.filter((p) => !p.startsWith('/sitemap'))).toEqual(['/news-sitemap.xml']);
    console.log(
      `${ARTICLES} articles: ${parts.length} numbered sitemaps, ${urls} URLs; crawler files rendered in ${before.ms.toFixed(0)} ms, ` +
        `again after one article in ${after.ms.toFixed(0)} ms (its snapshot made in ${snapshotMs.toFixed(0)} ms); changed: ${changed.join(', ')}`,
    );
  }, 900_000);
});
