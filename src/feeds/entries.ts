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

/**
 * A map that holds `capacity` entries at most and drops the oldest first. Entries leave in the
 * order they came, so bytes encoded into an arena of the map's own are let go slab by slab.
 */
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

/**
 * How many articles a build keeps per format and style. A build goes through the archives in
 * publication order (site/resources.ts renderOrder), so an article's entries are wanted again soon
 * after they are made, by the other scopes it is in; keeping every one instead held 1.2 GiB at
 * 100,000 articles. At 10,000 articles everything is kept.
 */
export const BUILD_ENTRY_CAPACITY = 20_000;

/**
 * Where encoded entries live: `arena`, slabs shared by the entries of one map (a build, which
 * makes entries fast and drops them in order); `own`, a buffer per entry (a server, whose entries
 * are many fewer and made one request at a time).
 */
export type EntryEncoding = 'arena' | 'own';

export class EntryCache {
  private readonly escaped: BoundedMap<FeedItem, Uint8Array>;
  private readonly encodeEscaped: (text: string) => Uint8Array;
  /** By format and the style parts it depends on, then by item, with the encoder of its bytes. */
  private readonly variants = new BoundedMap<string, { entries: BoundedMap<FeedItem, readonly Chunk[]>; encode: (chunk: Chunk) => Uint8Array }>(64);

  /**
   * `capacity`: articles kept per format and style (a build: BUILD_ENTRY_CAPACITY; a server, its
   * hot ones). An arena is one per map: a map drops its entries in the order they were encoded,
   * so its old slabs are let go, while one arena shared by maps that fill at different rates
   * would keep a slab alive for any entry of a slow map in it (measured: 184 MiB of slabs after a
   * crawl of a 10k-article site, for far fewer bytes of live entries).
   */
  constructor(
    private readonly capacity = Infinity,
    private readonly encoding: EntryEncoding = 'arena',
  ) {
    this.escaped = new BoundedMap(capacity);
    this.encodeEscaped = this.textEncoder();
  }

  private textEncoder(): (text: string) => Uint8Array {
    if (this.encoding === 'own') return (text) => encoder.encode(text);
    const arena = new ByteArena();
    return (text) => arena.encode(text);
  }

  private escapedHtml(item: FeedItem): Uint8Array {
    return this.escaped.obtain(item, () => this.encodeEscaped(escapeText(item.html)));
  }

  private entry(variant: string, item: FeedItem, render: () => ReadonlyArray<string | Uint8Array>): readonly Chunk[] {
    const { entries, encode } = this.variants.obtain(variant, () => {
      const encodeText = this.textEncoder();
      return { entries: new BoundedMap(this.capacity), encode: (chunk: Chunk) => (typeof chunk === 'string' ? encodeText(chunk) : chunk) };
    });
    return entries.obtain(item, () => render().map(encode));
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
