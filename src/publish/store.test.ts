import { describe, expect, it } from 'vitest';
import { article, writeArticles } from '../../tests/helpers/articles.js';
import { loadSite } from '../content/load.js';
import { SiteSnapshot } from '../site/snapshot.js';
import { heldBytes, RepresentationStore, type Representation } from './store.js';

const FEEDS = ['/news/rss.xml', '/sport/rss.xml', '/arts/rss.xml'];

async function snapshot(): Promise<SiteSnapshot> {
  const dir = await writeArticles({
    'news/one.md': article('title: One\ndate: 2020-01-01 10:00'),
    'sport/two.md': article('title: Two\ndate: 2020-01-02 10:00'),
    'arts/three.md': article('title: Three\ndate: 2020-01-03 10:00'),
  });
  const { data } = await loadSite(dir);
  if (!data) throw new Error('the test site does not load');
  return new SiteSnapshot(data);
}

async function get(store: RepresentationStore, path: string): Promise<Representation> {
  const found = store.resolve(path);
  if (found.kind !== 'found') throw new Error(`${path}: ${found.kind}`);
  return found.representation();
}

describe('RepresentationStore', () => {
  it('over its budget, lets go of the representation used least recently, not the one held longest', async () => {
    const site = await snapshot();
    const sizes = new RepresentationStore(site);
    const [news, sport, arts] = await Promise.all(FEEDS.map(async (path) => heldBytes(await get(sizes, path))));
    // Room for all three but one byte: one must go when the third comes.
    const store = new RepresentationStore(site, { maxBytes: news! + sport! + arts! - 1 });
    await get(store, '/news/rss.xml');
    await get(store, '/sport/rss.xml');
    expect(store.peek('/news/rss.xml')).toBeDefined();
    await get(store, '/arts/rss.xml');
    expect(store.peek('/sport/rss.xml')).toBeUndefined();
    expect(store.renders).toBe(3);
    expect(store.held().map(([path]) => path)).toEqual(['/arts/rss.xml', '/news/rss.xml']);
    await get(store, '/news/rss.xml');
    expect(store.renders).toBe(3);
  });
});
