/**
 * Each article's entry in each format, rendered and encoded once and shared by every feed page it
 * is on: an article appears in the site's feed and in the feed of every section above it. The
 * escaped body is encoded once per article and the cached entries point to it, so caching them
 * copies no body.
 */
import { atomEntryParts } from './atom.js';
import { ByteArena, type Chunk } from './chunks.js';
import type { FeedItem } from './document.js';
import { jsonItemParts } from './json.js';
import { rssItemParts } from './rss.js';
import { escapeText } from './xml.js';

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
  private readonly rssParts: BoundedMap<FeedItem, readonly Chunk[]>;
  private readonly atomParts: BoundedMap<string, BoundedMap<FeedItem, readonly Chunk[]>>;
  private readonly jsonParts: BoundedMap<FeedItem, readonly Chunk[]>;
  private readonly bytes = new ByteArena();
  private readonly encode = (chunk: Chunk): Uint8Array => (typeof chunk === 'string' ? this.bytes.encode(chunk) : chunk);

  /** `capacity`: articles kept per format (a static build keeps all; a server, its hot ones). */
  constructor(private readonly capacity = Infinity) {
    this.escaped = new BoundedMap(capacity);
    this.rssParts = new BoundedMap(capacity);
    this.atomParts = new BoundedMap(16);
    this.jsonParts = new BoundedMap(capacity);
  }

  private escapedHtml(item: FeedItem): Uint8Array {
    return this.escaped.obtain(item, () => this.bytes.encode(escapeText(item.html)));
  }

  rss(item: FeedItem): readonly Chunk[] {
    return this.rssParts.obtain(item, () => rssItemParts(item, this.escapedHtml(item)).map(this.encode));
  }

  /** Atom entries depend on the feed's language (an entry in another one says so with xml:lang). */
  atom(item: FeedItem, feedLanguage: string): readonly Chunk[] {
    const byLanguage = this.atomParts.obtain(feedLanguage, () => new BoundedMap(this.capacity));
    return byLanguage.obtain(item, () => atomEntryParts(item, feedLanguage, this.escapedHtml(item)).map(this.encode));
  }

  json(item: FeedItem): readonly Chunk[] {
    return this.jsonParts.obtain(item, () => jsonItemParts(item, JSON.stringify(item.html)).map(this.encode));
  }
}
