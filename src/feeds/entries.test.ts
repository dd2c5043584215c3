import { describe, expect, it } from 'vitest';
import type { Chunk } from './chunks.js';
import type { FeedItem, ItemStyle } from './document.js';
import { EntryCache } from './entries.js';

const STYLE: ItemStyle = { content: 'full', language: 'en', podcast: false };

function item(n: number): FeedItem {
  const url = `https://news.example.com/a/${n}/`;
  return { id: url, url, link: url, title: `Article ${n}`, published: { epochMs: n * 60_000, offsetSeconds: 0 }, authors: [], tags: [], language: 'en', html: `<p>Body ${n} &amp; more</p>` };
}

const bytesOf = (chunks: readonly Chunk[]) => chunks.filter((chunk): chunk is Uint8Array => typeof chunk !== 'string');

describe('EntryCache', () => {
  it('kept for a while (a server): every encoded chunk owns its bytes, so an entry let go frees them', () => {
    const entries = new EntryCache(2);
    const rendered = [1, 2, 3].flatMap((n) => [...bytesOf(entries.rss(item(n), STYLE)), ...bytesOf(entries.atom(item(n), STYLE)), ...bytesOf(entries.json(item(n), STYLE))]);
    expect(rendered.length).toBeGreaterThan(0);
    for (const chunk of rendered) expect(chunk.buffer.byteLength).toBe(chunk.byteLength);
  });

  it('kept for good (a build): chunks share slabs, and an entry is rendered once', () => {
    const entries = new EntryCache();
    const one = item(1);
    expect(entries.rss(one, STYLE)).toBe(entries.rss(one, STYLE));
    const [a, b] = bytesOf(entries.rss(one, STYLE));
    expect(a!.buffer).toBe(b!.buffer);
    expect(a!.buffer.byteLength).toBeGreaterThan(a!.byteLength + b!.byteLength);
  });
});
