/**
 * What `build` last wrote into an output folder, kept in the cache (`builds/<hash of --out>.bin`):
 * what that run was made from and what it said (up-to-date.ts), every file it wrote with what the
 * file is made from (its content key, and the facts of publish/dependencies.ts it depends on), and
 * the stamp of every folder of the output. A build whose inputs still hold and whose output is as
 * recorded stops there; a build after a change keys only the resources whose facts changed.
 *
 * The record is removed before the folder is changed in place, so that a build stopped half-way
 * is followed by a full one; it is written again, whole and atomically, when the build is done.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { ResponseFacts } from '../publish/store.js';
import { outputRecordFile, readCacheFile, writeCacheFile } from './cache.js';
import type { RunRecord } from './up-to-date.js';

/** A file `build` wrote: what it was made from, its bytes as written, and what its headers come from. */
export interface BuiltFile {
  /** Hash of the resource's content key (publish/render.ts), when it has one. */
  key?: string;
  /** Strong ETag of the bytes. */
  etag: string;
  size: number;
  /** The file's modification time as written (its Last-Modified). */
  mtimeMs: number;
  facts: ResponseFacts;
  /** The facts it is made from, as indices into its build's FactRecord; none for a file that is always made. */
  deps?: Uint32Array;
}

/** What one `build` wrote into its output folder: site path -> file, in the order the resources are listed. */
export type BuildRecord = Map<string, BuiltFile>;

/** The facts of a build (publish/dependencies.ts FactTable): their names and values, by index. */
export interface FactRecord {
  ids: string[];
  values: string[];
}

/** Files a run wrote, by name, with the size and modification time it left each with: the check of a build, or of a survey (runtimes/output-survey.ts). */
export interface RecordedFiles {
  paths: string[];
  sizes: Float64Array;
  mtimes: Float64Array;
}

export function recordedFiles(files: ReadonlyMap<string, { size: number; mtimeMs: number }>): RecordedFiles {
  const paths = [...files.keys()];
  const sizes = new Float64Array(paths.length);
  const mtimes = new Float64Array(paths.length);
  let i = 0;
  for (const { size, mtimeMs } of files.values()) {
    sizes[i] = size;
    mtimes[i++] = mtimeMs;
  }
  return { paths, sizes, mtimes };
}

/** What a build's last line said, for a build that finds nothing to do to say again. */
export interface BuildSummary {
  /** Articles loaded (valid), live ones, and invalid ones left out. */
  articles: number;
  live: number;
  invalid: number;
  /** Parse results the cache held (what "all N articles from the cache" counts). */
  parses: number;
  files: number;
  bytes: number;
  /** The run was a preview (it read the ledger and wrote nothing to it). */
  preview: boolean;
  /** The next scheduled change, which `<out>.rebuild-at` names. */
  next?: number;
}

/**
 * What a build that finds nothing to do reads: what the last build was made from and said, and
 * what the folder should hold (every file's size and modification time, every folder's stamp).
 * Kept apart from the detail of each file, which only a build that has something to do reads.
 */
export interface BuildCheck {
  run: RunRecord;
  summary: BuildSummary;
  /** Each file the build wrote (its site path), with its size and modification time as written. */
  files: RecordedFiles;
  /**
   * Stamps of what the output holds besides the resources' files: every folder (whose stamp moves
   * when a name is added to it or removed) and the host files (`_headers`, `_redirects`), by path
   * relative to the output folder.
   */
  stamps: Map<string, string>;
  /** The name of the detail written with it: a check is read with its own detail only. */
  detail: string;
}

/** What a build that has something to do reads besides the check: each file's key, facts and dependencies. */
interface BuildDetail {
  name: string;
  files: BuildRecord;
  facts: FactRecord;
}

/** What a build leaves for the next one. */
export interface KeptBuild {
  run: RunRecord;
  summary: BuildSummary;
  files: BuildRecord;
  facts: FactRecord;
  stamps: Map<string, string>;
}

function checkFile(cacheDir: string, outDir: string): string {
  return outputRecordFile(cacheDir, 'builds', outDir);
}

function detailFile(cacheDir: string, outDir: string): string {
  return outputRecordFile(cacheDir, 'builds', outDir, 'detail.bin');
}

export function readBuildCheck(cacheDir: string, outDir: string): BuildCheck | undefined {
  return readCacheFile<BuildCheck>(checkFile(cacheDir, outDir));
}

/** The whole record of the last build, or undefined (none, unreadable, or a check and a detail that were not written together). */
export function readKeptBuild(cacheDir: string, outDir: string, check = readBuildCheck(cacheDir, outDir)): KeptBuild | undefined {
  if (!check) return undefined;
  const detail = readCacheFile<BuildDetail>(detailFile(cacheDir, outDir));
  if (!detail || detail.name !== check.detail) return undefined;
  return { run: check.run, summary: check.summary, files: detail.files, facts: detail.facts, stamps: check.stamps };
}

/** The detail first, then the check that names it: a crash between the two leaves no check, or the old one with a detail it does not name. */
export function writeKeptBuild(cacheDir: string, outDir: string, kept: KeptBuild): void {
  const name = randomUUID();
  writeCacheFile<BuildDetail>(detailFile(cacheDir, outDir), { name, files: kept.files, facts: kept.facts });
  writeBuildCheck(cacheDir, outDir, { run: kept.run, summary: kept.summary, files: recordedFiles(kept.files), stamps: kept.stamps, detail: name });
}

/** The check alone, for a build that found nothing to do and records its inputs as they have settled (up-to-date.ts settledRecord). */
export function writeBuildCheck(cacheDir: string, outDir: string, check: BuildCheck): void {
  writeCacheFile<BuildCheck>(checkFile(cacheDir, outDir), check);
}

/**
 * Called before a build changes its output folder in place: if it stops half-way, no record
 * claims that the folder holds what it held before, and the next build starts afresh.
 */
export function forgetKeptBuild(cacheDir: string, outDir: string): void {
  rmSync(checkFile(cacheDir, outDir), { force: true });
}
