/**
 * The persistent cache: a folder that makes the next `build`, `serve`, `check` or `worker-data`
 * faster and never changes what they produce. Deleting it, or `--no-cache`, costs time only.
 * Nothing in it is trusted blindly: parses are checked against file stamps and the inherited
 * settings (content/load.ts), everything is tied to the exact code of this feedgen, and a file
 * that cannot be read is treated as absent. Every file is written atomically.
 *
 *   <cache>/parses/<NN>.bin            parsed articles, in shards by file name: an edit rewrites one
 *   <cache>/parses/<NN>-<hash>.pack    their bodies (UTF-8, one after the other), read when rendered;
 *                                      named by content, so that two processes writing one shard at
 *                                      once never pair a shard file with the other's pack
 *   <cache>/builds/<hash of --out>.bin what `build` last wrote to that folder, and what from
 *   <cache>/builds/<hash of --out>.detail.bin  each file's key and facts (build-record.ts)
 *   <cache>/media.bin                  the hash of each media file, with the stamp of the file it was read from
 *   <cache>/worker-data/<hash of --out>.bin  what `worker-data` last wrote there from (up-to-date.ts)
 *   <cache>/worker-data/<hash of --out>.assets.bin  every file it wrote there (asset-record.ts)
 *   <cache>/sites/<name>.bin, .site.bin, .responses.bin  the kept snapshot of a server's start (kept-site.ts)
 *   <cache>/preview-ledger.tsv        what a preview learnt (site-history.ts)
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { BodySpillTarget, CachedParse, ParseCache } from '../content/load.js';
import type { MediaHashes } from '../content/media-files.js';
import type { ArticleData } from '../content/model.js';
import { codeFingerprint } from './fingerprint.js';
import { writeFileAtomically } from './ledger-file.js';

export const CACHE_FOLDER = '.feedgen-cache';

/**
 * Beside the articles folder (in a project, its root, as other tools keep theirs), named after it:
 * outside the folders that `serve --watch` and `wrangler dev` watch, which its writes would wake.
 */
export function defaultCacheDir(articlesDir: string): string {
  const articles = path.resolve(articlesDir);
  return path.join(path.dirname(articles), CACHE_FOLDER, path.basename(articles));
}

interface Envelope<T> {
  code: string;
  value: T;
}

/** The value of a cache file written by this code, or undefined (absent, unreadable, another version). */
export function readCacheFile<T>(file: string): T | undefined {
  try {
    const envelope = deserialize(readFileSync(file)) as Envelope<T>;
    return envelope.code === codeFingerprint() ? envelope.value : undefined;
  } catch {
    return undefined;
  }
}

export function writeCacheFile<T>(file: string, value: T): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const envelope: Envelope<T> = { code: codeFingerprint(), value };
  writeFileAtomically(file, serialize(envelope));
}

const PARSE_SHARDS = 64;

function shardOf(source: string): number {
  // FNV-1a: cheap, and spreads similar names.
  let hash = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) hash = Math.imul(hash ^ source.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % PARSE_SHARDS;
}

function shardName(shard: number): string {
  return String(shard).padStart(2, '0');
}

/** Where an article's body lies in its shard's pack file: UTF-8 bytes from `offset`. */
export type BodySpan = [offset: number, length: number];

/** An article as a shard keeps it: without its body, which is in the pack. */
export type StoredArticle = Omit<ArticleData, 'html'>;

/** A shard on disk: the parses with each body left out, where each body is in the pack, and the pack's name and size. */
interface ShardFile {
  pack: string;
  packBytes: number;
  entries: Array<[key: string, parse: CachedParse, body: BodySpan | undefined]>;
}

const utf8 = new TextDecoder();

/**
 * An open pack file. Articles read their bodies through it for as long as they live, which may be
 * longer than their shard (a server keeps an article's last good version after an edit broke
 * it): it is closed when no article refers to it any more, never while one does.
 */
class Pack {
  closed = false;
  /** `file`: where it is named, for a pack of the cache; undefined for a spill file, whose name is gone. */
  constructor(
    readonly fd: number,
    readonly file?: string,
  ) {
    packsToClose.register(this, fd, this);
  }

  close(): void {
    packsToClose.unregister(this);
    this.closed = true;
    closeSync(this.fd);
  }
}

const packsToClose = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Closed already.
  }
});

/**
 * The parsed articles of one articles folder, kept between runs. Article bodies, most of the
 * bytes, stay on disk in one pack file per shard and are read when something renders them: a
 * build that renders a few resources, or a server whose requests touch a few articles, never
 * holds the rest in memory.
 */
export class ParseCacheFolder {
  /** What is on disk, shard by shard, to rewrite only the shards that changed. */
  private readonly onDisk = new Map<number, Map<string, CachedParse>>();
  /** The current pack file of each shard that has one. */
  private readonly packs = new Map<number, Pack>();

  constructor(private readonly dir: string) {}

  private shardFile(shard: number): string {
    return path.join(this.dir, 'parses', `${shardName(shard)}.bin`);
  }

  read(): ParseCache {
    const cache: ParseCache = new Map();
    const strings = new StringPool();
    for (let shard = 0; shard < PARSE_SHARDS; shard++) {
      const entries = this.readShard(shard, strings);
      this.onDisk.set(shard, entries);
      for (const [source, parse] of entries) cache.set(source, parse);
    }
    return cache;
  }

  private readShard(shard: number, strings: StringPool): Map<string, CachedParse> {
    const entries = new Map<string, CachedParse>();
    const file = readCacheFile<ShardFile>(this.shardFile(shard));
    if (!file) return entries;
    let pack: Pack;
    try {
      const packFile = path.join(this.dir, 'parses', file.pack);
      pack = new Pack(openSync(packFile, 'r'), packFile);
    } catch {
      return entries;
    }
    // A pack of another size is not the one the shard was written with.
    if (fstatSync(pack.fd).size !== file.packBytes) {
      pack.close();
      return entries;
    }
    this.packs.set(shard, pack);
    for (const [source, parse, body] of file.entries) {
      if (shardOf(source) !== shard) continue;
      const article = parse.result.article as StoredArticle | undefined;
      if (article && body) usePackedBody(article, pack, body);
      if (article) strings.share(parse, article);
      entries.set(source, parse);
    }
    return entries;
  }

  /**
   * Rewrites the shards whose entries are not those on disk. The loader keeps an unchanged
   * article's entry as the same object, so comparing identities is enough.
   */
  write(cache: ParseCache): void {
    const shards = new Map<number, Map<string, CachedParse>>();
    for (let shard = 0; shard < PARSE_SHARDS; shard++) shards.set(shard, new Map());
    for (const [source, parse] of cache) shards.get(shardOf(source))?.set(source, parse);
    for (const [shard, entries] of shards) {
      const before = this.onDisk.get(shard);
      const same = before !== undefined && before.size === entries.size && [...entries].every(([source, parse]) => before.get(source) === parse);
      if (same) continue;
      this.writeShard(shard, entries);
      this.onDisk.set(shard, entries);
    }
  }

  private writeShard(shard: number, entries: Map<string, CachedParse>): void {
    const binFile = this.shardFile(shard);
    // The old pack stays open for the articles that still read from it.
    this.packs.delete(shard);
    if (entries.size === 0) {
      rmSync(binFile, { force: true });
      this.removePacks(shard);
      return;
    }
    // Bodies are read (from the old pack, still open) before anything is replaced.
    const bodies: Buffer[] = [];
    const spans: Array<[ArticleData, BodySpan]> = [];
    const shardEntries: ShardFile['entries'] = [];
    let offset = 0;
    for (const [source, parse] of entries) {
      const article = parse.result.article;
      if (!article) {
        shardEntries.push([source, parse, undefined]);
        continue;
      }
      const { html, ...stored } = article;
      const body = Buffer.from(html, 'utf8');
      const span: BodySpan = [offset, body.byteLength];
      bodies.push(body);
      spans.push([article, span]);
      // The shard's type says html is there: it is added back, read from the pack, when the shard is read.
      shardEntries.push([source, { ...parse, result: { ...parse.result, article: stored as ArticleData } }, span]);
      offset += body.byteLength;
    }
    // The pack first: a shard file never names a pack that is not there yet.
    const packBytes = Buffer.concat(bodies);
    const packName = `${shardName(shard)}-${createHash('sha256').update(packBytes).digest('base64url').slice(0, 16)}.pack`;
    const packFile = path.join(path.dirname(binFile), packName);
    mkdirSync(path.dirname(binFile), { recursive: true });
    this.removePacks(shard, packName);
    writeFileAtomically(packFile, packBytes);
    writeCacheFile<ShardFile>(binFile, { pack: packName, packBytes: offset, entries: shardEntries });
    const pack = new Pack(openSync(packFile, 'r'), packFile);
    this.packs.set(shard, pack);
    for (const [article, span] of spans) usePackedBody(article, pack, span);
  }

  /** Deletes the shard's packs but `keep` (files still open here or elsewhere stay readable until closed). */
  private removePacks(shard: number, keep?: string): void {
    const folder = path.join(this.dir, 'parses');
    const prefix = `${shardName(shard)}-`;
    const names = existsSync(folder) ? readdirSync(folder) : [];
    for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.pack') && n !== keep)) rmSync(path.join(folder, name), { force: true });
  }

  /** Closes the current pack files (a server that stops; a command's exit closes them anyway). */
  close(): void {
    for (const pack of this.packs.values()) pack.close();
    this.packs.clear();
  }
}

/**
 * Where a large load's bodies go as they are parsed (content/load.ts BodySpillTarget), cache or
 * no cache: a temporary file, appended to and read back through one descriptor, whose name is
 * removed at once where the system allows it (it then goes when the last article reading from it
 * does).
 */
export class BodySpill implements BodySpillTarget {
  private pack: Pack | undefined;
  private offset = 0;
  private failed = false;

  /**
   * `from`: the loads whose bodies are spilled, by articles parsed. Measured on a 100,000-article
   * cold build: the bodies were about half of the 935 MiB the load held when it was over, and the
   * process peaked at 2.9 GiB. Under this many, they stay in memory, which renders faster.
   */
  constructor(readonly from = 20_000) {}

  /**
   * An article like `article` whose body is read from the spill file; `article` itself if the file
   * cannot be written (a full disk): the body then stays in memory, as do those after it.
   */
  readonly spill = (article: ArticleData): ArticleData => {
    if (this.failed) return article;
    const { html, ...stored } = article;
    try {
      const pack = (this.pack ??= this.open());
      const length = Buffer.byteLength(html, 'utf8');
      if (scratch.byteLength < length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.byteLength));
      scratch.write(html, 0, 'utf8');
      for (let written = 0; written < length; ) written += writeSync(pack.fd, scratch, written, length - written, this.offset + written);
      // A new object, not `article` with its property redefined: that would make it a slow dictionary object.
      usePackedBody(stored, pack, [this.offset, length]);
      this.offset += length;
      return stored as ArticleData;
    } catch {
      this.failed = true;
      return article;
    }
  };

  private open(): Pack {
    const folder = mkdtempSync(path.join(tmpdir(), 'feedgen-bodies-'));
    const pack = new Pack(openSync(path.join(folder, 'bodies'), 'w+'));
    try {
      rmSync(folder, { recursive: true });
    } catch {
      // Windows keeps the name of an open file: it is removed when the process exits.
      process.once('exit', () => {
        pack.close();
        rmSync(folder, { recursive: true, force: true });
      });
    }
    return pack;
  }
}

/** Where an article of the cache finds its body: a property of its own, so that a copy of its properties finds it too. */
const PACKED_BODY = Symbol('body in a pack');

interface PackedBody {
  pack: Pack;
  span: BodySpan;
}

/**
 * `article.html` of a cached article: its bytes are read from the pack at each use, so that no body
 * stays in memory. One getter for every article, so that they all keep one shape (a getter per
 * object, or turning a data property into a getter, makes V8 keep each article as a slow
 * dictionary, which measured slower in every pass over the articles).
 */
function readPackedBody(this: { [PACKED_BODY]?: PackedBody }): string {
  const packed = this[PACKED_BODY];
  if (!packed) throw new Error('an article of the cache has lost its body');
  const { pack, span: [offset, length] } = packed;
  if (pack.closed) throw new Error('the cache this article was read from is closed');
  if (scratch.byteLength < length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.byteLength));
  let read = 0;
  while (read < length) {
    const got = readSync(pack.fd, scratch, read, length - read, offset + read);
    if (got === 0) throw new Error('a pack file of the cache was cut short: delete the cache folder');
    read += got;
  }
  return utf8.decode(scratch.subarray(0, length));
}

/** Bodies are read into one buffer, decoded at once: a buffer per read measured as costly as the reads under a crawl. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Makes an article's `html` its body in the pack: an article read from a shard (which has no
 * `html`), or one parsed in this process, whose body is dropped once written (turning its data
 * property into a getter makes it a slow object; only articles parsed here, fewer than those
 * read, are).
 */
function usePackedBody(article: StoredArticle, pack: Pack, span: BodySpan): void {
  // A body already in a pack moves where it is: the article's copies (content/across.ts links
  // translations on copies of its properties) share this record, and move with it.
  const moved = (article as { [PACKED_BODY]?: PackedBody })[PACKED_BODY];
  if (moved) {
    moved.pack = pack;
    moved.span = span;
    return;
  }
  const packed: PackedBody = { pack, span };
  Object.defineProperty(article, PACKED_BODY, { configurable: true, value: packed });
  Object.defineProperty(article, 'html', { configurable: true, enumerable: true, get: readPackedBody });
}

/** Where an article's body lies: a pack file of the cache, its size, and the span. */
export interface BodyLocation {
  file: string;
  bytes: number;
  span: BodySpan;
}

/**
 * Where an article's body lies in a pack file of the cache, if it does and the file is still
 * there by its name (packs are named by their content, so that name holds those bytes); undefined
 * for a body held in memory or in a spill file. Each pack is looked at once per locator.
 */
export function bodyLocator(): (article: ArticleData) => BodyLocation | undefined {
  const sizes = new Map<Pack, number | undefined>();
  return (article) => {
    const packed = (article as { [PACKED_BODY]?: PackedBody })[PACKED_BODY];
    const file = packed?.pack.file;
    if (!packed || packed.pack.closed || file === undefined) return undefined;
    const { pack, span } = packed;
    if (!sizes.has(pack)) {
      const bytes = fstatSync(pack.fd).size;
      sizes.set(pack, statSync(file, { throwIfNoEntry: false })?.size === bytes ? bytes : undefined);
    }
    const bytes = sizes.get(pack);
    return bytes === undefined ? undefined : { file, bytes, span };
  };
}

/** Pack files of the cache opened by name, so that articles kept elsewhere (kept-site.ts) read their bodies from them. */
export class PackFiles {
  private readonly packs = new Map<string, Pack | undefined>();

  /** Makes `article`'s `html` its body at `location`; false when that file is not there as it was. */
  attach(article: StoredArticle, { file, bytes, span }: BodyLocation): boolean {
    let pack = this.packs.get(file);
    if (!this.packs.has(file)) {
      try {
        pack = new Pack(openSync(file, 'r'), file);
        if (fstatSync(pack.fd).size !== bytes) {
          pack.close();
          pack = undefined;
        }
      } catch {
        pack = undefined;
      }
      this.packs.set(file, pack);
    }
    if (!pack) return false;
    usePackedBody(article, pack, span);
    return true;
  }

  close(): void {
    for (const pack of this.packs.values()) if (pack && !pack.closed) pack.close();
    this.packs.clear();
  }
}

/**
 * Deserializing gives every article its own copy of each string, the same URL three times over
 * and "en" once per article: equal strings are made one again, which at 100,000 articles keeps
 * tens of MiB out of a server's heap.
 */
class StringPool {
  private readonly pool = new Map<string, string>();

  private one(text: string): string {
    const known = this.pool.get(text);
    if (known !== undefined) return known;
    this.pool.set(text, text);
    return text;
  }

  share(parse: CachedParse, article: StoredArticle): void {
    if (article.link === article.url) article.link = article.url;
    if (article.id === article.url) article.id = article.url;
    if (parse.textHash === article.contentHash) parse.textHash = article.contentHash;
    if (parse.key === article.version) parse.key = article.version;
    parse.inherited = this.one(parse.inherited);
    article.language = this.one(article.language);
    for (const list of [article.section, article.editions, article.tags]) for (let i = 0; i < list.length; i++) list[i] = this.one(list[i] as string);
    for (const author of article.authors) author.name = this.one(author.name);
  }
}

/**
 * The hashes of the media files (content/media-files.ts): a file whose stamp still holds is not
 * read again, however large. Rewritten only when a hash was added or dropped.
 */
export class MediaHashFile {
  private onDisk: MediaHashes = new Map();

  constructor(private readonly dir: string) {}

  private get file(): string {
    return path.join(this.dir, 'media.bin');
  }

  read(): MediaHashes {
    this.onDisk = readCacheFile<MediaHashes>(this.file) ?? new Map();
    return this.onDisk;
  }

  /** The loader keeps a hash that still holds as the same object: comparing identities is enough. */
  write(hashes: MediaHashes): void {
    const before = this.onDisk;
    if (before.size === hashes.size && [...hashes].every(([key, hash]) => before.get(key) === hash)) return;
    writeCacheFile(this.file, hashes);
    this.onDisk = hashes;
  }
}

/** Where the record of what a command wrote into `outDir` lives: one per output folder. */
export function outputRecordFile(cacheDir: string, kind: 'builds' | 'worker-data', outDir: string, extension = 'bin'): string {
  return path.join(cacheDir, kind, `${createHash('sha256').update(path.resolve(outDir)).digest('base64url').slice(0, 22)}.${extension}`);
}
