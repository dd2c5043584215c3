/**
 * The static build: every URL of the site written as a file, with the bytes the server sends, plus
 * `_headers` and `_redirects` for hosts that read them (Cloudflare Pages, Netlify). The new tree is
 * written beside the old one and swapped in at the end: a failed build leaves `out` as it was.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, utimesSync, writeFileSync, writevSync } from 'node:fs';
import path from 'node:path';
import type { MediaFile } from '../content/model.js';
import type { Chunk } from '../feeds/chunks.js';
import { BUILD_ENTRY_CAPACITY, EntryCache } from '../feeds/entries.js';
import { maxAgeCap, representationHeaders } from '../http/headers.js';
import { prepareResource, type PreparedResource } from '../publish/render.js';
import { etagOfDigest, mediaHead, responseFacts, type ResponseFacts } from '../publish/store.js';
import { allResources, renderOrder } from '../site/resources.js';
import type { SiteSnapshot } from '../site/snapshot.js';
import { basePathOf } from '../urls/paths.js';
import type { BuildRecord, BuiltFile } from '../state/build-record.js';
import { sha256Base64url } from '../state/digest.js';
import { FactTable, dependenciesOf, siteFacts } from '../publish/dependencies.js';
import { copyMediaFile } from './media.js';
import type { OutputSurvey } from './output-survey.js';
import { HOST_FILES, fileForPath, folderOf, foldersOf, makeFolders, removeUnproduced, replaceFolder, stampsAfter, stampsOf, throughLinks, type KeptOutput } from './output-folder.js';

export { fileForPath } from './output-folder.js';

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
  /** What the output folder holds now, for the next build (state/build-record.ts). */
  kept: KeptOutput;
}

export interface BuildOptions {
  progress?: BuildProgress;
  /**
   * What an earlier build wrote to `outDir` (the cache's build record). With it, the folder is
   * updated in place: a resource none of whose facts changed (publish/dependencies.ts), or whose
   * content key is the one recorded, and whose file is as that build left it, is not rendered
   * again; a file is written only when its bytes changed; files no longer produced are deleted.
   * Without it, the whole folder is written anew and swapped in at the end. Either way the folder
   * ends as a build without the cache leaves it, file for file, byte for byte, modification time
   * for modification time. `survey`: the folder as it was against that build's record before this
   * run wrote anything (output-survey.ts).
   */
  previous?: KeptOutput & { survey: Promise<OutputSurvey> };
}

/*
 * Files are written synchronously, one after the other, from a reused scratch buffer. Measured on
 * 10k and 100k articles: allocating a buffer per file (and the garbage collections that external
 * memory triggers) cost more than a second thread rendering or 32 asynchronous writes in flight
 * ever gained, and a second thread rendering half the files made 10k articles slower (it has to
 * receive the whole site first, and the other core is already busy writing).
 */
export async function buildStatic(snapshot: SiteSnapshot, outDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const previous = options.previous && existsSync(outDir) ? options.previous : undefined;
  const { folders, touched, ...result } = previous ? await writeSite(snapshot, throughLinks(outDir), previous, options) : await replaceFolder(outDir, (staging) => writeSite(snapshot, staging, undefined, options));
  // Stamped where the folders are now (a folder renamed into place has a new change time).
  const root = throughLinks(outDir);
  const stamps = previous ? stampsAfter(root, folders, previous.stamps, touched) : stampsOf(root, folders);
  for (const [name, stamp] of stampsOf(root, HOST_FILES)) stamps.set(name, stamp);
  return { ...result, kept: { ...result.kept, stamps } };
}

/** `touched`: the folders whose names the build may have changed (see stampsAfter). */
async function writeSite(snapshot: SiteSnapshot, root: string, previous: BuildOptions['previous'], options: BuildOptions): Promise<BuildResult & { folders: string[]; touched: Set<string> }> {
  const { progress } = options;
  const entries = new EntryCache(BUILD_ENTRY_CAPACITY);
  const writer = new ChunkWriter();
  const headerRules = new HeaderRules(snapshot.site.baseUrl);
  const resources = [...allResources(snapshot)];
  const relatives = resources.map(({ path: urlPath }) => fileForPath(urlPath));
  const files = relatives.map((relative) => path.join(root, relative));
  const builtFiles = new Array<BuiltFile>(resources.length);
  const staticMaxAge = (response: ResponseFacts) => Math.min(snapshot.site.cacheMaxAge, maxAgeCap(snapshot.nextSiteChange, response.until, snapshot.now) ?? Infinity);
  const facts = new FactTable(siteFacts(snapshot));
  // The last build's resources none of whose facts changed, with their facts as this build's table reads them.
  const carry = previous ? facts.carryFrom(previous.facts) : undefined;
  const survey = previous ? await previous.survey : undefined;
  // Folders whose names changed since the last build (someone added or removed something), looked through below.
  const moved = survey?.moved ?? [];
  const touched = new Set(moved);
  let written = 0;
  let done = 0;
  if (!previous) await makeFolders(files);
  for (const i of renderOrder(snapshot, resources)) {
    const { path: urlPath, resource } = resources[i] as (typeof resources)[number];
    const file = files[i] as string;
    const before = previous?.files.get(urlPath);
    const intact = before !== undefined && survey !== undefined && !survey.changed.has(urlPath);
    const carried = intact && before.deps ? carry?.(before.deps) : undefined;
    let built: BuiltFile;
    if (before && carried) {
      // Made from the same facts as last time: the same key, the same file.
      built = { ...before, deps: carried };
    } else {
      // The same bytes the server sends.
      const source = resource.kind === 'media' ? mediaSource(snapshot, resource.file) : renderedSource(snapshot, prepareResource(snapshot, resource, entries), writer);
      const key = source.key === undefined ? undefined : sha256Base64url(source.key);
      if (intact && key !== undefined && before.key === key) {
        built = { ...before };
      } else {
        const { etag, facts: responseFacts, lastModified, write } = source.make();
        if (intact && before.etag === etag) {
          built = { ...before, facts: responseFacts, mtimeMs: dateFile(file, lastModified, before.mtimeMs) };
        } else {
          if (previous) mkdirSync(path.dirname(file), { recursive: true });
          const size = write(file);
          touched.add(folderOf(relatives[i] as string));
          written++;
          built = { etag, size, mtimeMs: dateFile(file, lastModified), facts: responseFacts };
        }
        if (key !== undefined) built.key = key;
      }
      const deps = key === undefined ? undefined : dependenciesOf(snapshot, resource);
      if (deps) built.deps = facts.indices(deps);
      else delete built.deps;
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
  const folders = foldersOf(relatives);
  const produced = new Set([...files, ...HOST_FILES.map((name) => path.join(root, name))]);
  // The last build's files that this one produced again are not looked at.
  const gone = previous ? [...previous.files.keys()].filter((urlPath) => !record.has(urlPath)).map(fileForPath) : [];
  const deleted = previous ? removeUnproduced(root, { files: gone, stamps: previous.stamps }, produced, folders, moved, touched) : 0;
  // Dated by the latest change of anything, as every file they speak for is.
  const modified = snapshot.publication?.latest;
  for (const [name, text] of [['_headers', headerRules.toString()], ['_redirects', redirectsFile(snapshot)]] as const) {
    const file = path.join(root, name);
    if (!(previous && existsSync(file) && readFileSync(file, 'utf8') === text)) {
      writeFileSync(file, text);
      touched.add('');
      written++;
    }
    dateFile(file, modified, undefined);
  }
  return { files: resources.length + 2, bytes, written, deleted, paths: new Set(record.keys()), kept: { files: record, facts: { ids: facts.ids, values: facts.values }, stamps: new Map() }, folders, touched };
}

/** A file of the build: what it is made from (equal keys make equal files), and how it is made. */
interface BuildSource {
  key?: string;
  make(): { etag: string; facts: ResponseFacts; lastModified: number | undefined; write: (file: string) => number };
}

function renderedSource(snapshot: SiteSnapshot, prepared: PreparedResource, writer: ChunkWriter): BuildSource {
  const source: BuildSource = {
    make() {
      const rendered = prepared.render();
      return { etag: etagOfDigest(digestOf(rendered.chunks)), facts: responseFacts(snapshot, rendered), lastModified: rendered.lastModified, write: (file) => writer.write(file, rendered.chunks) };
    },
  };
  if (prepared.key !== undefined) source.key = prepared.key;
  return source;
}

/** A media file is copied, never read into memory; what it is made from is its hash and its headers' facts. */
function mediaSource(snapshot: SiteSnapshot, file: MediaFile): BuildSource {
  const { etag, lastModified, ...facts } = mediaHead(snapshot, file);
  return {
    key: `media\n${etag}\n${lastModified ?? ''}\n${JSON.stringify(facts)}`,
    make: () => ({
      etag,
      facts,
      lastModified,
      write: (to) => {
        copyMediaFile(file, to);
        return file.size;
      },
    }),
  };
}

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

  private readonly basePath: string;

  constructor(private readonly baseUrl: string) {
    this.basePath = basePathOf(baseUrl);
  }

  /** `path`: site-relative and percent-encoded, as served. */
  add(path: string, facts: ResponseFacts): void {
    const pattern = patternOf(path);
    // The self link is this file's URL: the host fills in the part the splat matched. Only that
    // URL is templated, whole, so that a section named like a segment of the base path stays put.
    const url = `${this.baseUrl}${path}`;
    const template = `${this.baseUrl}${pattern.replace('*', ':splat')}`;
    const templated = (value: string) => value.replaceAll(url, template);
    const signature = `${pattern}\n${Object.entries(facts)
      .map(([name, value]) => `${name}=${templated(String(value))}`)
      .join('\n')}`;
    if (this.seen.has(signature)) return;
    this.seen.add(signature);
    const headers = Object.fromEntries(Object.entries(representationHeaders(facts)).map(([name, value]) => [name, templated(value)]));
    const known = this.rules.get(pattern);
    if (!known) this.rules.set(pattern, headers);
    else if (JSON.stringify(known) !== JSON.stringify(headers)) {
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
function patternOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === 0 ? path : `/*/${path.slice(slash + 1)}`;
}

/**
 * Moved articles: their old paths redirect to the new ones. (Hosts such as Cloudflare follow a
 * redirect before they look for a file: a path an article took again is no redirect, the history
 * drops it then.)
 */
function redirectsFile(snapshot: SiteSnapshot): string {
  const base = basePathOf(snapshot.site.baseUrl);
  return [...snapshot.redirects].map(([from, to]) => `${base}${from} ${base}${to} 301\n`).join('');
}

function digestOf(chunks: readonly Chunk[]): Uint8Array {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest();
}
