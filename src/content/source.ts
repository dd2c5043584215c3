/** Reading article files: strict UTF-8, and the hashes that version their content. */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Keeps a byte order mark as U+FEFF: for files served as they are. */
const utf8WithBom = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `line`: where the problem is (1 when it is not in the text). */
export type ReadResult = { ok: true; text: string } | { ok: false; message: string; line: number };

/** Strict UTF-8; `keepBom`: a leading byte order mark stays in the text, which then encodes back to the same bytes. */
export function decode(bytes: Uint8Array, keepBom = false): ReadResult {
  try {
    return { ok: true, text: (keepBom ? utf8WithBom : utf8).decode(bytes) };
  } catch {
    return notUtf8(bytes);
  }
}

function cannotRead(error: unknown): ReadResult {
  return { ok: false, message: `cannot read file: ${(error as Error).message}`, line: 1 };
}

export function readTextSync(file: string): ReadResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return cannotRead(error);
  }
  return decode(bytes);
}

export async function readText(file: string): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return cannotRead(error);
  }
  return decode(bytes);
}

/**
 * Where the first byte that is not UTF-8 is: its line (a line ends at LF, CRLF or a lone CR, as
 * front matter counts them), its column, and the byte itself. Latin-1 and Windows-1252 files
 * fail at their first accented letter.
 */
function notUtf8(bytes: Uint8Array): ReadResult {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, line: 1, message: 'file is not valid UTF-8: it is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8' };
  }
  const at = firstInvalidUtf8(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const byte = bytes[i];
    if (byte === 0x0a || (byte === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  const hex = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  // What comes before it on its line is UTF-8: its column counts characters, as editors do.
  const column = [...utf8.decode(bytes.subarray(lineStart, at))].length + 1;
  return {
    ok: false,
    line,
    message: `file is not valid UTF-8: the byte 0x${hex} at column ${column} (byte ${at + 1} of the file) begins no UTF-8 character; save the file as UTF-8 (it may be Latin-1 or Windows-1252)`,
  };
}

/** The offset of the first byte that starts no valid UTF-8 sequence, or ends one too soon (RFC 3629). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // The number of continuation bytes, and the range of the first (which rules out overlong
    // forms, surrogates and code points past U+10FFFF).
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf ? [1, 0x80, 0xbf]
      : lead === 0xe0 ? [2, 0xa0, 0xbf]
      : lead === 0xed ? [2, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [2, 0x80, 0xbf]
      : lead === 0xf0 ? [3, 0x90, 0xbf]
      : lead === 0xf4 ? [3, 0x80, 0x8f]
      : lead >= 0xf1 && lead <= 0xf3 ? [3, 0x80, 0xbf]
      : [0, 0, 0];
    if (length === 0) return i;
    for (let k = 1; k <= length; k++) {
      const byte = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) return i;
    }
    i += length + 1;
  }
  return bytes.length;
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

/** Whether the file had not changed for a while when the stamp was taken (see RACY_MS). */
export function stampSettled(stamp: FileStamp): boolean {
  return Math.max(stamp.mtimeMs, stamp.ctimeMs) < stamp.takenAt - RACY_MS;
}

/** Whether a file's stats are still those of the stamp (settled or not). */
export function statsMatch(stamp: FileStamp, stats: Pick<Stats, 'size' | 'ino' | 'mtimeMs' | 'ctimeMs'>): boolean {
  return stamp.size === stats.size && stamp.ino === stats.ino && stamp.mtimeMs === stats.mtimeMs && stamp.ctimeMs === stats.ctimeMs;
}

/** Whether a file whose stats are now `stats` still holds the text read when `stamp` was taken. */
export function stampHolds(stamp: FileStamp | undefined, stats: Pick<Stats, 'size' | 'ino' | 'mtimeMs' | 'ctimeMs'>): boolean {
  return stamp !== undefined && stampSettled(stamp) && statsMatch(stamp, stats);
}

/** Absolute path -> how messages name it: relative to `base` with "/" separators, or absolute outside it. */
export function displayPathsFrom(base: string): (absolute: string) => string {
  const from = path.resolve(base);
  return (absolute) => {
    const relative = path.relative(from, absolute);
    const shown = relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
    return shown.split(path.sep).join('/');
  };
}
