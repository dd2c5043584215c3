/** Reading article files: strict UTF-8, and the hashes that version their content. */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

function readFailure(error: unknown): ReadResult {
  return { ok: false, message: error instanceof TypeError ? 'file is not valid UTF-8' : `cannot read file: ${(error as Error).message}` };
}

export function readTextSync(file: string): ReadResult {
  try {
    return { ok: true, text: utf8.decode(readFileSync(file)) };
  } catch (error) {
    return readFailure(error);
  }
}

export async function readText(file: string): Promise<ReadResult> {
  try {
    return { ok: true, text: utf8.decode(await readFile(file)) };
  } catch (error) {
    return readFailure(error);
  }
}

export function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

/**
 * What a file looked like when it was read, to know later without reading it that it has not
 * changed (as git's index does): size, inode and both times. `ctime` cannot be set by tools that
 * restore an old `mtime` (rsync -t, tar, touch -d), so a rewrite always shows in it.
 */
export interface FileStamp {
  size: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
  /** When the stamp was taken (epoch ms, the same clock file times come from). */
  takenAt: number;
}

/**
 * A file changed within this long before its stamp was taken could change again within the same
 * tick of a coarse file-system clock (FAT: 2 s) and keep its stamp: such a stamp is never trusted.
 */
const RACY_MS = 2000;

export function stampOf(stats: Stats, takenAt = Date.now()): FileStamp {
  return { size: stats.size, ino: stats.ino, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, takenAt };
}

export function stampFile(file: string): FileStamp | undefined {
  try {
    return stampOf(statSync(file));
  } catch {
    return undefined;
  }
}

/** Whether a file whose stats are now `stats` still holds the text read when `stamp` was taken. */
export function stampHolds(stamp: FileStamp | undefined, stats: Stats): boolean {
  if (!stamp) return false;
  const settled = Math.max(stamp.mtimeMs, stamp.ctimeMs) < stamp.takenAt - RACY_MS;
  return settled && stamp.size === stats.size && stamp.ino === stats.ino && stamp.mtimeMs === stats.mtimeMs && stamp.ctimeMs === stats.ctimeMs;
}
