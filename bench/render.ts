/**
 * Rendering one 50-item feed page in each format: feedgen's renderers (fresh, and with the entry
 * cache warm, as every page after an article's first appearance is) next to the npm `feed` package
 * rendering the same items, the baseline the design started from.
 *
 *   npx tsx bench/render.ts
 */
import { Feed } from 'feed';
import { loadSite } from '../src/content/load.js';
import { chunksToBytes } from '../src/feeds/chunks.js';
import { EntryCache } from '../src/feeds/entries.js';
import type { FeedFormat } from '../src/feeds/formats.js';
import { renderFeed } from '../src/publish/render.js';
import { buildFeedDocument } from '../src/site/feed-document.js';
import { SiteSnapshot } from '../src/site/snapshot.js';
import { ensureCorpus } from './corpus.js';

const ROUNDS = 200;

function perPage(render: () => unknown): number {
  for (let i = 0; i < 20; i++) render();
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) render();
  return (performance.now() - started) / ROUNDS;
}

const { data } = await loadSite(await ensureCorpus(1000));
if (!data) throw new Error('corpus has no usable site');
const snapshot = new SiteSnapshot(data);
const scope = snapshot.root;

function withFeedPackage(format: FeedFormat): string {
  const doc = buildFeedDocument(snapshot, scope, format, 1);
  const feed = new Feed({
    title: doc.title,
    description: doc.description,
    id: doc.links.current,
    link: doc.links.html,
    language: doc.language,
    updated: new Date(doc.updated.epochMs),
    copyright: '',
    feedLinks: { rss: doc.links.self, atom: doc.links.self, json: doc.links.self },
  });
  for (const item of doc.items) {
    feed.addItem({
      title: item.title,
      id: item.id,
      link: item.link,
      description: item.summary,
      content: item.html,
      date: new Date((item.updated ?? item.published).epochMs),
      published: new Date(item.published.epochMs),
      author: item.authors.map((a) => ({ name: a.name })),
      category: item.tags.map((name) => ({ name, term: name })),
    });
  }
  return format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : feed.json1();
}

console.log(`render: one 50-item page of the 1k corpus's site feed; mean of ${ROUNDS}\n`);
console.log('format   feedgen, fresh   feedgen, entries cached   feed 6.0.0   fresh vs feed   cached vs feed');
for (const format of ['rss', 'atom', 'json'] as const) {
  const doc = buildFeedDocument(snapshot, scope, format, 1);
  const fresh = perPage(() => chunksToBytes(renderFeed(snapshot, { kind: 'feed', scope, format }, doc, new EntryCache()).chunks));
  const entries = new EntryCache();
  const cached = perPage(() => chunksToBytes(renderFeed(snapshot, { kind: 'feed', scope, format }, doc, entries).chunks));
  const baseline = perPage(() => new TextEncoder().encode(withFeedPackage(format)));
  console.log(
    `${format.padEnd(6)} ${`${fresh.toFixed(2)} ms`.padStart(16)} ${`${cached.toFixed(2)} ms`.padStart(25)} ${`${baseline.toFixed(2)} ms`.padStart(12)} ` +
      `${`${(fresh / baseline).toFixed(2)}x`.padStart(15)} ${`${(cached / baseline).toFixed(2)}x`.padStart(16)}`,
  );
}
