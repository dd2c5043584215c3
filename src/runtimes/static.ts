/**
 * The static build: every URL of the site written as a file, with the bytes the server sends, plus
 * `_headers` and `_redirects` for hosts that read them (Cloudflare Pages, Netlify). The new tree is
 * written beside the old one and swapped in at the end: a failed build leaves `out` as it was.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, utimesSync, writeFileSync, writevSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chunk } from '../feeds/chunks.js';
import { BUILD_ENTRY_CAPACITY, EntryCache } from '../feeds/entries.js';
import { maxAgeCap, representationHeaders } from '../http/headers.js';
import { prepareResource } from '../publish/render.js';
import { etagOfDigest, responseFacts, type ResponseFacts } from '../publish/store.js';
import { allResources, renderOrder } from '../site/resources.js';
import type { SiteSnapshot } from '../site/snapshot.js';
import { formatUtc } from '../time/index.js';
import { basePathOf, servedFilePath } from '../urls/paths.js';
import type { BuildRecord, BuiltFile } from '../state/cache.js';

export interface BuildProgress {
  /** `written`: how many of the `done` files were written (the rest were as the last build left them). */
  (done: number, total: number, written: number): void;
}

export interface BuildResult {
  /** Files of the output, `_headers` and `_redirects` included. */
  files: number;
  bytes: number;
  /** Files whose bytes were written by this build, and files it deleted. */
  written: number;
  deleted: number;
  /** Site paths of every resource. */
  paths: Set<string>;
  /** What the output folder holds now, for the next build. */
  record: BuildRecord;
}

/** `/china/world/` -> `china/world/index.html`; segments decoded, as static hosts look files up. */
export function fileForPath(urlPath: string): string {
  return servedFilePath(urlPath).split('/').filter(Boolean).map(decodeURIComponent).join('/');
}

/**
 * Fills a new folder beside `outDir` and swaps it in at the end: if `fill` fails, `outDir` stays
 * as it was.
 */
export async function replaceFolder<T>(outDir: string, fill: (staging: string) => Promise<T>): Promise<T> {
  const out = path.resolve(outDir);
  const staging = `${out}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  let result: T;
  try {
    result = await fill(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const previous = `${out}.previous-${process.pid}`;
  await rename(out, previous).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(staging, out);
  await rm(previous, { recursive: true, force: true });
  return result;
}

/** Creates the folder of every file first (in parallel: far fewer calls than one per file). */
export async function makeFolders(files: readonly string[]): Promise<void> {
  await Promise.all([...new Set(files.map((file) => path.dirname(file)))].map((dir) => mkdir(dir, { recursive: true })));
}

export interface BuildOptions {
  progress?: BuildProgress;
  /**
   * What an earlier build wrote to `outDir` (the cache's build record). With it, the folder is
   * updated in place: a resource whose content key is the one recorded, and whose file is as that
   * build left it, is not rendered again; a file is written only when its bytes changed; files no
   * longer produced are deleted. Without it, the whole folder is written anew and swapped in at
   * the end. Either way the folder ends as a build without the cache leaves it, file for file,
   * byte for byte, modification time for modification time.
   */
  previous?: BuildRecord;
}

/*
 * Files are written synchronously, one after the other, from a reused scratch buffer. Measured on
 * 10k and 100k articles: allocating a buffer per file (and the garbage collections that external
 * memory triggers) cost more than a second thread rendering or 32 asynchronous writes in flight
 * ever gained, and a second thread rendering half the files made 10k articles slower (it has to
 * receive the whole site first, and the other core is already busy writing).
 */
export async function buildStatic(snapshot: SiteSnapshot, outDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  if (options.previous && existsSync(outDir)) return writeSite(snapshot, path.resolve(outDir), options.previous, options);
  return replaceFolder(outDir, (staging) => writeSite(snapshot, staging, undefined, options));
}

async function writeSite(snapshot: SiteSnapshot, root: string, previous: BuildRecord | undefined, options: BuildOptions): Promise<BuildResult> {
  const { progress } = options;
  const entries = new EntryCache(BUILD_ENTRY_CAPACITY);
  const writer = new ChunkWriter();
  const headerRules = new HeaderRules(basePathOf(snapshot.site.baseUrl));
  const resources = [...allResources(snapshot)];
  const files = resources.map(({ path: urlPath }) => path.join(root, fileForPath(urlPath)));
  const builtFiles = new Array<BuiltFile>(resources.length);
  const staticMaxAge = (facts: ResponseFacts) => Math.min(snapshot.site.cacheMaxAge, maxAgeCap(snapshot.nextSiteChange, facts.until, snapshot.now) ?? Infinity);
  let written = 0;
  let done = 0;
  if (!previous) await makeFolders(files);
  for (const i of renderOrder(snapshot, resources)) {
    const { path: urlPath, resource } = resources[i] as (typeof resources)[number];
    const file = files[i] as string;
    // The same bytes the server sends.
    const prepared = prepareResource(snapshot, resource, entries);
    const key = prepared.key === undefined ? undefined : hashOfKey(prepared.key);
    const before = previous?.get(urlPath);
    const intact = before !== undefined && isAsRecorded(file, before);
    let built: BuiltFile;
    if (intact && key !== undefined && before.key === key) {
      built = before;
    } else {
      const rendered = prepared.render();
      const etag = etagOfDigest(digestOf(rendered.chunks));
      const facts = responseFacts(snapshot, rendered);
      if (intact && before.etag === etag) {
        built = { ...before, facts, mtimeMs: dateFile(file, rendered.lastModified, before.mtimeMs) };
      } else {
        if (previous) mkdirSync(path.dirname(file), { recursive: true });
        const size = writer.write(file, rendered.chunks);
        written++;
        built = { etag, size, mtimeMs: dateFile(file, rendered.lastModified), facts };
      }
      if (key !== undefined) built.key = key;
    }
    builtFiles[i] = built;
    progress?.(++done, resources.length, written);
  }
  // Recorded in the listed order, which the _headers rules follow.
  const record: BuildRecord = new Map();
  let bytes = 0;
  builtFiles.forEach((built, i) => {
    const { path: urlPath } = resources[i] as (typeof resources)[number];
    record.set(urlPath, built);
    bytes += built.size;
    // Static hosts cannot give full archives their longer max-age: a rule for them would also
    // match the subscription documents, and rules number 100 at most (Cloudflare). Nor can they
    // count down to a scheduled change: max-age runs no further than it from the build on.
    headerRules.add(urlPath, { ...built.facts, maxAge: staticMaxAge(built.facts) });
  });
  // Whatever else the folder holds goes: files no build wrote or that are no longer produced.
  const kept = new Set([...files, ...HOST_FILES.map((name) => path.join(root, name))]);
  const deleted = previous ? removeOthers(root, kept) : 0;
  // Dated by the latest change of anything, as every file they speak for is.
  const modified = snapshot.publication?.latest;
  for (const [name, text] of [['_headers', headerRules.toString()], ['_redirects', redirectsFile(snapshot, record)]] as const) {
    const file = path.join(root, name);
    if (!(previous && existsSync(file) && readFileSync(file, 'utf8') === text)) {
      writeFileSync(file, text);
      written++;
    }
    dateFile(file, modified, undefined);
  }
  return { files: resources.length + 2, bytes, written, deleted, paths: new Set(record.keys()), record };
}

/** What the output holds besides the site's resources: rules for the host. */
const HOST_FILES = ['_headers', '_redirects'];

/**
 * Sets a file's modification time to its Last-Modified, which static hosts serve, unless it is that
 * already; returns the time as the file system keeps it. Without one, the file keeps the time it
 * was written.
 */
function dateFile(file: string, lastModified: number | undefined, mtimeMs?: number): number {
  if (lastModified === undefined) return mtimeMs ?? statSync(file).mtimeMs;
  if (mtimeMs !== undefined && Math.floor(mtimeMs / 1000) * 1000 === lastModified) return mtimeMs;
  utimesSync(file, new Date(lastModified), new Date(lastModified));
  return statSync(file).mtimeMs;
}

/** Whether a file is still what a build wrote (a person, or a build that stopped half-way, may have changed it). */
function isAsRecorded(file: string, built: BuiltFile): boolean {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats !== undefined && stats.isFile() && stats.size === built.size && stats.mtimeMs === built.mtimeMs;
}

/**
 * Deletes every file under `root` that is not in `kept` (absolute paths), and the folders left
 * empty: what earlier builds wrote that this one does not produce, whichever build wrote it.
 */
function removeOthers(root: string, kept: ReadonlySet<string>): number {
  let deleted = 0;
  const walk = (dir: string): boolean => {
    let empty = true;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.isSymbolicLink()) {
        if (walk(file)) rmdirSync(file);
        else empty = false;
      } else if (kept.has(file)) empty = false;
      else {
        rmSync(file, { force: true });
        deleted++;
      }
    }
    return empty;
  };
  walk(root);
  return deleted;
}

function hashOfKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/**
 * Writes a file's chunks with writev: encoded chunks (the shared article bodies) as they are, text
 * chunks encoded into one scratch buffer that every file reuses.
 */
class ChunkWriter {
  private scratch = new Uint8Array(1 << 20);
  private readonly encoder = new TextEncoder();

  /** Returns the number of bytes written. */
  write(file: string, chunks: readonly Chunk[]): number {
    let textLength = 0;
    for (const chunk of chunks) if (typeof chunk === 'string') textLength += chunk.length;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.scratch.byteLength < textLength * 3) this.scratch = new Uint8Array(textLength * 3);
    const views: Uint8Array[] = [];
    let offset = 0;
    for (const chunk of chunks) {
      if (typeof chunk === 'string') {
        const { written } = this.encoder.encodeInto(chunk, this.scratch.subarray(offset));
        views.push(this.scratch.subarray(offset, offset + written));
        offset += written;
      } else {
        views.push(chunk);
      }
    }
    const fd = openSync(file, 'w');
    try {
      return writeAll(fd, views);
    } finally {
      closeSync(fd);
    }
  }
}

function writeAll(fd: number, views: Uint8Array[]): number {
  let total = 0;
  let pending = views;
  while (pending.length > 0) {
    // writev takes at most IOV_MAX (1024) buffers at a time, and may write less than asked.
    const batch = pending.slice(0, 1024);
    let written = writevSync(fd, batch);
    total += written;
    let done = 0;
    while (done < batch.length && written >= (batch[done] as Uint8Array).byteLength) written -= (batch[done++] as Uint8Array).byteLength;
    pending = pending.slice(done);
    if (written > 0) pending[0] = (pending[0] as Uint8Array).subarray(written);
  }
  return total;
}

/**
 * `_headers` for hosts that read it (Cloudflare Pages and Workers assets, Netlify), from the same
 * header policy as the servers: one rule per kind of path under the base path. The patterns never
 * overlap, since hosts join the values of a header that two matching rules set.
 */
class HeaderRules {
  private readonly rules = new Map<string, Record<string, string>>();
  /** The facts already seen under each pattern, as splat templates: most files add nothing new. */
  private readonly seen = new Set<string>();

  constructor(private readonly basePath: string) {}

  /** `path`: site-relative and percent-encoded, as served. */
  add(path: string, facts: ResponseFacts): void {
    const { pattern, splat } = patternOf(path);
    // The self link names the path: the host fills in the part the splat matched.
    const templated = (value: string) => (splat === undefined ? value : value.replaceAll(`/${splat}/`, '/:splat/'));
    const signature = `${pattern}\n${Object.entries(facts)
      .map(([name, value]) => `${name}=${templated(String(value))}`)
      .join('\n')}`;
    if (this.seen.has(signature)) return;
    this.seen.add(signature);
    const headers = representationHeaders(facts);
    const template = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, templated(value)]));
    const known = this.rules.get(pattern);
    if (!known) this.rules.set(pattern, template);
    else if (JSON.stringify(known) !== JSON.stringify(template)) {
      throw new Error(`the header policy gives ${path} other headers than the rest of ${pattern}, which _headers cannot express`);
    }
  }

  toString(): string {
    return [...this.rules]
      .map(([pattern, headers]) => `${this.basePath}${pattern}\n${Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`).join('\n')}\n`)
      .join('');
  }
}

/** `/` and files at the top stand for themselves; deeper paths become a splat and their last segment. */
function patternOf(path: string): { pattern: string; splat?: string } {
  const slash = path.lastIndexOf('/');
  if (slash === 0) return { pattern: path };
  const name = path.slice(slash + 1);
  return { pattern: `/*/${name}`, splat: path.slice(1, slash) };
}

/** Beside the output folder (`dist.rebuild-at`), outside what a host serves: the next instant the output changes. */
export const REBUILD_AT_SUFFIX = '.rebuild-at';

/**
 * Tells a scheduler when to build again: writes the next scheduled change as one RFC 3339 UTC line
 * to `<outDir>.rebuild-at`, or removes that file when nothing is pending. Not inside `outDir`: a
 * host would serve it, and announce when an embargoed article goes out.
 */
export async function writeRebuildAt(outDir: string, nextChange: number | undefined): Promise<{ file: string; instant: string } | undefined> {
  const file = `${path.resolve(outDir)}${REBUILD_AT_SUFFIX}`;
  if (nextChange === undefined) {
    await rm(file, { force: true });
    return undefined;
  }
  const instant = formatUtc(nextChange);
  await writeFile(`${file}.partial`, `${instant}\n`);
  await rename(`${file}.partial`, file);
  return { file: path.relative(process.cwd(), file) || file, instant };
}

/**
 * Moved articles: their old paths redirect to the new ones, unless the old path is in use again
 * (hosts such as Cloudflare follow a redirect before they look for a file, which would hide it).
 */
function redirectsFile(snapshot: SiteSnapshot, produced: ReadonlyMap<string, unknown>): string {
  const base = basePathOf(snapshot.site.baseUrl);
  const lines = [...snapshot.redirects].filter(([from]) => !produced.has(from)).map(([from, to]) => `${base}${from} ${base}${to} 301\n`);
  return lines.join('');
}

function digestOf(chunks: readonly Chunk[]): Uint8Array {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest();
}
