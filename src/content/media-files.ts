/**
 * Files served as they are (MediaFile): those of the articles folder's media/ folder, and those
 * beside an article, in its page bundle. Each is known by its size and a hash of its bytes (its
 * strong ETag), never by its bytes: the runtimes read them from disk when they send or copy them.
 * The hash is computed by reading the file once, as a stream, and kept with the file's stamp (see
 * source.ts FileStamp): while the file keeps its size, inode and times it is not read again.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { SERVED_EXTENSIONS, mediaTypeOfName } from '../feeds/media-types.js';
import { RESERVED_NAMES } from '../urls/paths.js';
import { describeError, type FoundFile } from './folder.js';
import type { MediaFile } from './model.js';
import { contentTag } from './etag.js';
import { stampHolds, stampOf, type FileStamp } from './source.js';

/** A file's hash as computed from its bytes, and the file as it was then. */
export interface MediaHash {
  stamp: FileStamp;
  /** See MediaFile.hash. */
  hash: string;
}

/** By the file's path in the articles folder (FoundFile.key). */
export type MediaHashes = Map<string, MediaHash>;

export interface MediaCandidate {
  found: FoundFile;
  /** Its URL path's segments (MediaFile.path). */
  path: string[];
  /** What serves it, for messages: "media/", "a page bundle". */
  servedBy: string;
}

/** Files hashed at once: enough to keep a disk busy, few enough to hold no more than a few buffers. */
const CONCURRENT_READS = 4;

/**
 * The candidates that can be served, with their size and hash; `refuse` hears why each other one
 * is not (an unknown type, a reserved name, a link the boundary refuses, a file that cannot be
 * read). `previous`: the hashes of an earlier load; the result's `hashes` holds those of this one.
 */
export async function loadMediaFiles(
  candidates: readonly MediaCandidate[],
  previous: MediaHashes | undefined,
  refuse: (found: FoundFile, message: string) => void,
): Promise<{ files: MediaFile[]; hashes: MediaHashes }> {
  const hashes: MediaHashes = new Map();
  const files = new Array<MediaFile | undefined>(candidates.length);
  let next = 0;
  const work = async (): Promise<void> => {
    while (next < candidates.length) {
      const index = next++;
      const { found, path, servedBy } = candidates[index] as MediaCandidate;
      const { name, real } = found;
      const type = mediaTypeOfName(name);
      const why = found.refused ?? (RESERVED_NAMES.has(name) || name.includes('\\') || /[\t\n\r]/.test(name)
        ? `the name "${name}" is reserved for generated URLs or cannot be part of a URL or of the publish ledger: rename the file`
        : type === undefined
          ? `${servedBy} serves files ending in .${SERVED_EXTENSIONS.join(', .')}`
          : undefined);
      if (why !== undefined || real === undefined || type === undefined) {
        refuse(found, `not served: ${why ?? 'it cannot be read'}`);
        continue;
      }
      try {
        const known = await hashOf(real, previous?.get(found.key));
        hashes.set(found.key, known);
        files[index] = { path, type, size: known.stamp.size, hash: known.hash, file: real };
      } catch (error) {
        refuse(found, `not served: cannot read it (${describeError(error)})`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_READS }, work));
  return { files: files.filter((file): file is MediaFile => file !== undefined), hashes };
}

/** The cached hash while the file's stamp holds; else the file read once, as a stream. */
async function hashOf(file: string, cached: MediaHash | undefined): Promise<MediaHash> {
  const stats = statSync(file);
  if (cached && stampHolds(cached.stamp, stats)) return cached;
  // Stamped before reading: a change while it is read shows at the next load.
  const stamp = stampOf(stats);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  // The size read, which a file growing while it was read may make other than the stamp's.
  return { stamp: { ...stamp, size }, hash: contentTag(hash.digest()) };
}
