/**
 * Each article's entry in each format, rendered and encoded once and shared by every feed page it
 * is on: an article appears in the site's feed and in the feed of every section above it. The
 * escaped body is encoded once per article and the cached entries point to it, so caching them
 * copies no body. An entry also depends on its feed's item style (summary or full content, the
 * feed's language, podcast tags): entries are kept per format and per the parts of the style that
 * format depends on.
 */
import { atomEntryParts } from './atom.js';
import { ByteArena, type Chunk } from './chunks.js';
import type { FeedItem, ItemStyle } from './document.js';
import { jsonItemParts } from './json.js';
import { rssItemParts } from './rss.js';
import { escapeText } from './xml.js';

const encoder = new TextEncoder();

class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  /** The value for `key`, made by `make` on a miss; the oldest entries go first when over capacity. */
  obtain(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) {
      value = make();
      this.set(key, value);
      if (this.size > this.capacity) this.delete(this.keys().next().value as K);
    }
    return value;
  }
}

export class EntryCache {
  private readonly escaped: BoundedMap<FeedItem, Uint8Array>;
  /** By format and the style parts it depends on, then by item. */
  private readonly variants = new BoundedMap<string, BoundedMap<FeedItem, readonly Chunk[]>>(64);
  private readonly encodeText: (text: string) => Uint8Array;
  private readonly encode = (chunk: Chunk): Uint8Array => (typeof chunk === 'string' ? this.encodeText(chunk) : chunk);

  /**
   * `capacity`: articles kept per format and style (a static build keeps all; a server, its hot
   * ones). Only a cache that keeps everything encodes into an arena: one whose entries come and go
   * would keep a whole slab alive for any entry still in it (measured: 184 MiB of slabs after a
   * crawl of a 10k-article site, for far fewer bytes of live entries).
   */
  constructor(private readonly capacity = Infinity) {
    this.escaped = new BoundedMap(capacity);
    if (capacity === Infinity) {
      const arena = new ByteArena();
      this.encodeText = (text) => arena.encode(text);
    } else this.encodeText = (text) => encoder.encode(text);
  }

  private escapedHtml(item: FeedItem): Uint8Array {
    return this.escaped.obtain(item, () => this.encodeText(escapeText(item.html)));
  }

  private entry(variant: string, item: FeedItem, render: () => ReadonlyArray<string | Uint8Array>): readonly Chunk[] {
    const entries = this.variants.obtain(variant, () => new BoundedMap(this.capacity));
    return entries.obtain(item, () => render().map(this.encode));
  }

  /** RSS items depend on the content mode and on whether the feed is a podcast's. */
  rss(item: FeedItem, style: ItemStyle): readonly Chunk[] {
    return this.entry(`rss\0${style.content}\0${style.podcast}`, item, () => rssItemParts(item, style, this.body(item, style)));
  }

  /** Atom entries depend on the content mode and the feed's language (an entry in another one says so with xml:lang). */
  atom(item: FeedItem, style: ItemStyle): readonly Chunk[] {
    return this.entry(`atom\0${style.content}\0${style.language}`, item, () => atomEntryParts(item, style, this.body(item, style)));
  }

  json(item: FeedItem, style: ItemStyle): readonly Chunk[] {
    return this.entry(`json\0${style.content}`, item, () => jsonItemParts(item, style, style.content === 'full' ? JSON.stringify(item.html) : ''));
  }

  /** The escaped body, encoded once per article; summary entries carry none, so none is made for them. */
  private body(item: FeedItem, style: ItemStyle): Uint8Array | string {
    return style.content === 'full' ? this.escapedHtml(item) : '';
  }
}
