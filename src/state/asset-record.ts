/**
 * What `worker-data` last wrote into an assets folder, kept in the cache
 * (`worker-data/<hash of --out>.assets.bin`): each representation of the current version with its
 * manifest head, the file's size and modification time as written, and the facts it is made from
 * (publish/dependencies.ts); every other file (scheduled versions, manifests) with the hash of its
 * bytes; every folder's stamp. A run after a change renders only the resources whose facts changed,
 * writes only the files whose bytes changed, and looks for files it did not write only in the
 * folders whose stamps moved; the folder ends as a run without the cache writes it, byte for byte.
 *
 * The record is removed before the folder is changed in place, so that a run stopped half-way is
 * followed by one that writes the folder anew; it is written again, whole and atomically, at the end.
 */
import { rmSync } from 'node:fs';
import type { RepresentationHead } from '../publish/store.js';
import type { FactRecord } from './build-record.js';
import { outputRecordFile, readCacheFile, writeCacheFile } from './cache.js';

/** A file as a run left it: a later run trusts it only while it still has this size and time. */
export interface WrittenFile {
  size: number;
  mtimeMs: number;
}

/** A representation of the current version: its manifest head and, unless it is always rendered, its facts. */
export interface KeptAsset extends WrittenFile {
  head: RepresentationHead & { size?: number };
  /** Indices into the run's FactRecord. */
  deps?: Uint32Array;
}

export interface KeptAssets {
  /** Site path -> its representation's file. */
  assets: Map<string, KeptAsset>;
  /** Every other file, by its path in the folder, with a hash of its bytes. */
  others: Map<string, WrittenFile & { hash: string }>;
  facts: FactRecord;
  /** Each folder's stamp as the run left it (runtimes/output-folder.ts stampsOf): a folder whose stamp held has nothing else in it. */
  stamps: Map<string, string>;
}

function recordFile(cacheDir: string, outDir: string): string {
  return outputRecordFile(cacheDir, 'worker-data', outDir, 'assets.bin');
}

export function readKeptAssets(cacheDir: string, outDir: string): KeptAssets | undefined {
  return readCacheFile<KeptAssets>(recordFile(cacheDir, outDir));
}

export function writeKeptAssets(cacheDir: string, outDir: string, kept: KeptAssets): void {
  writeCacheFile(recordFile(cacheDir, outDir), kept);
}

/** Called before the folder is changed in place (see above). */
export function forgetKeptAssets(cacheDir: string, outDir: string): void {
  rmSync(recordFile(cacheDir, outDir), { force: true });
}
