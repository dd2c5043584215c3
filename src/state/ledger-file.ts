/**
 * The ledger on disk. Written atomically (a temporary file renamed over the old one, after fsync),
 * under a lock file, after taking in whatever another process wrote since this one read it: a crash
 * leaves the old file or the new one, and two processes at once (`serve --watch` while `build`
 * runs) lose no record.
 */
import { accessSync, closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { sha256Base64url } from './digest.js';
import { Ledger, type LedgerProblem } from './ledger.js';
import { acquireLock } from './lock.js';

export type LedgerRead = { ok: true; ledger: Ledger } | { ok: false; problems: LedgerProblem[] };

/**
 * A missing file is a fresh site: an empty ledger. A symbolic link is refused: it could make feedgen
 * read a file outside the articles folder and quote its lines in errors, and a save would rename a
 * new file over the link rather than write where it points.
 */
export function readLedger(file: string): LedgerRead {
  let bytes: Buffer;
  let identity: string;
  try {
    if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
      return { ok: false, problems: [{ line: 1, message: 'is a symbolic link: feedgen reads and writes the ledger only as a regular file in the articles folder (replace the link with the file it points to)' }] };
    }
    const fd = openSync(file, 'r');
    try {
      identity = identityOf(fstatSync(fd));
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      const ledger = new Ledger();
      seen.set(ledger, { file, identity: ABSENT, revision: ledger.revision, digest: sha256Base64url(ledger.serialize()) });
      return { ok: true, ledger };
    }
    return { ok: false, problems: [{ line: 1, message: `cannot read the ledger: ${(error as Error).message}` }] };
  }
  const { ledger, problems } = Ledger.parse(bytes);
  // A ledger read and recorded to no effect is not saved.
  seen.set(ledger, { file, identity, revision: ledger.revision, digest: sha256Base64url(bytes) });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ledger };
}

/**
 * What each ledger knows of its file: the file's identity when it was read or last written, the
 * ledger's revision then (Ledger.revision: it moves whenever a record changes) and a digest of the
 * file's bytes. Every write renames a new file into place and an edit in place changes its size or
 * times, so while the file keeps this identity nobody else has written it and there is nothing to
 * take in. (The inode alone is not enough: a renamed file may get the inode of one deleted before.)
 */
interface Seen {
  file: string;
  identity: string;
  revision: number;
  digest: string;
  /** The digest of the text the file as read would be written as (see hasNews), once worked out. */
  canonical?: string;
}

const seen = new WeakMap<Ledger, Seen>();
const ABSENT = 'absent';

function identityOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

function identityOfFile(file: string): string {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? identityOf(stats) : ABSENT;
}

/**
 * Whether saving would write anything: the ledger learnt something since it was read or saved.
 * What records history says so (Ledger.changed); a ledger changed without saying so, or read from
 * a file in another form than the one it is written in (a union merge leaves two lines for one
 * record), is compared by its text.
 */
export function hasNews(ledger: Ledger): boolean {
  const known = seen.get(ledger);
  if (!known || ledger.revision !== known.revision) return true;
  const digest = sha256Base64url(ledger.serialize());
  if (digest === known.digest) return false;
  if (known.canonical === undefined) {
    // The file as read, written as this code writes it; another process's write since is news.
    if (identityOfFile(known.file) !== known.identity) return true;
    const reread = readLedger(known.file);
    if (!reread.ok) return true;
    known.canonical = sha256Base64url(reread.ledger.serialize());
  }
  return digest !== known.canonical;
}

/** Why `file` cannot be written (a read-only folder or file system), if it cannot. */
export function unwritable(file: string): string | undefined {
  try {
    accessSync(path.dirname(file), constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Takes in what another process wrote since this ledger was read, then writes it. Returns the
 * problems (and writes nothing) when the file on disk has become unreadable, which a person must
 * look at.
 */
export async function saveLedger(file: string, ledger: Ledger): Promise<{ ok: true; written: boolean } | { ok: false; problems: LedgerProblem[] }> {
  if (!hasNews(ledger)) return { ok: true, written: false };
  const lock = `${file}.lock`;
  const release = await acquireLock(lock, {
    staleMs: LEDGER_STALE_LOCK_MS,
    wait: { ms: LEDGER_LOCK_WAIT_MS, busy: `the ledger is locked by another feedgen (${lock}); remove that file if no feedgen is running` },
  });
  try {
    if (identityOfFile(file) !== seen.get(ledger)?.identity) {
      const current = readLedger(file);
      if (!current.ok) return current;
      ledger.absorb(current.ledger);
      // What the other process wrote already holds everything this one learnt.
      const text = ledger.serialize();
      if (text === current.ledger.serialize()) {
        seen.set(ledger, { ...(seen.get(current.ledger) as Seen), revision: ledger.revision, canonical: sha256Base64url(text) });
        return { ok: true, written: false };
      }
    }
    const text = ledger.serialize();
    writeFileAtomically(file, text);
    // Under the lock: no other writer can have replaced it since.
    seen.set(ledger, { file, identity: identityOfFile(file), revision: ledger.revision, digest: sha256Base64url(text) });
    return { ok: true, written: true };
  } finally {
    release();
  }
}

/**
 * Writes a temporary file beside `file`, flushes it to disk and renames it over `file`: readers
 * and a crash see the old bytes or the new ones, never a mix.
 */
export function writeFileAtomically(file: string, data: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** A lock older than 30 s is left over from a crash: no write takes that long. */
const LEDGER_STALE_LOCK_MS = 30_000;
const LEDGER_LOCK_WAIT_MS = 10_000;
