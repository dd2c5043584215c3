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
    const entries = new EntryCache(2, 'own');
    const rendered = [1, 2, 3].flatMap((n) => [...bytesOf(entries.rss(item(n), STYLE)), ...bytesOf(entries.atom(item(n), STYLE)), ...bytesOf(entries.json(item(n), STYLE))]);
    expect(rendered.length).toBeGreaterThan(0);
    for (const chunk of rendered) expect(chunk.buffer.byteLength).toBe(chunk.byteLength);
  });

  it('kept in arenas (a build): an entry is rendered once, and the entries of one format share slabs', () => {
    const entries = new EntryCache();
    const one = item(1);
    expect(entries.rss(one, STYLE)).toBe(entries.rss(one, STYLE));
    const [a] = bytesOf(entries.rss(one, STYLE));
    const [b] = bytesOf(entries.rss(item(2), STYLE));
    expect(a!.buffer).toBe(b!.buffer);
    expect(a!.buffer.byteLength).toBeGreaterThan(a!.byteLength + b!.byteLength);
  });

  it('keeps one arena per format, and drops the oldest entries first, so that a slab is let go once its entries are', () => {
    const entries = new EntryCache(2);
    const first = item(1);
    const rss = bytesOf(entries.rss(first, STYLE));
    const atom = bytesOf(entries.atom(first, STYLE));
    const json = bytesOf(entries.json(first, STYLE));
    // The escaped body: one copy, in both XML formats.
    const body = rss.find((chunk) => atom.includes(chunk));
    expect(new TextDecoder().decode(body)).toBe('&lt;p&gt;Body 1 &amp;amp; more&lt;/p&gt;');
    const slabs = (chunks: Uint8Array[]) => new Set(chunks.filter((chunk) => chunk !== body).map((chunk) => chunk.buffer));
    expect(slabs(rss).size).toBe(1);
    for (const other of [atom, json]) for (const slab of slabs(other)) expect(slabs(rss).has(slab)).toBe(false);

    const kept = entries.rss(first, STYLE);
    const [second, third] = [item(2), item(3)];
    entries.rss(second, STYLE);
    const thirdEntry = entries.rss(third, STYLE);
    expect(entries.rss(third, STYLE)).toBe(thirdEntry);
    expect(entries.rss(first, STYLE)).not.toBe(kept);
  });
});
