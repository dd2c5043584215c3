/**
 * The ledger on disk. Written atomically (a temporary file renamed over the old one, after fsync),
 * under a lock file, after merging whatever another process wrote since this one read it: a crash
 * leaves the old file or the new one, and two processes at once (`serve --watch` while `build`
 * runs) lose no entry.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { Ledger, type LedgerProblem } from './ledger.js';

/** `digest`: textDigest of the file as read ('' when there is none). */
export type LedgerRead = { ok: true; ledger: Ledger; digest: string } | { ok: false; problems: LedgerProblem[] };

/** A missing file is a fresh site: an empty ledger. */
export function readLedger(file: string): LedgerRead {
  let bytes: Buffer;
  let identity: string;
  try {
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
      lastSeen.set(ledger, ABSENT);
      return { ok: true, ledger, digest: '' };
    }
    return { ok: false, problems: [{ line: 1, message: `cannot read the ledger: ${(error as Error).message}` }] };
  }
  const { ledger, problems } = Ledger.parse(bytes);
  const digest = textDigest(bytes);
  ledger.savedDigest = digest;
  lastSeen.set(ledger, identity);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ledger, digest };
}

/**
 * The file each ledger was read from or last written as. Every write renames a new file into
 * place and an edit in place changes its size or times, so while the file keeps this identity
 * nobody else has written it, and saving has nothing to merge. (The inode alone is not enough: a
 * renamed file may get the inode of one deleted before.) At 100,000 articles, reading the file
 * back at every save raised a crawled server's peak memory by about half a GiB.
 */
const lastSeen = new WeakMap<Ledger, string>();
const ABSENT = 'absent';

function identityOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

function identityOfFile(file: string): string {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? identityOf(stats) : ABSENT;
}

/** Equal digests, equal texts: what is compared instead of keeping a ledger's whole text. */
function textDigest(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('base64url');
}

const LOCK_WAIT_MS = 10_000;
/** A lock older than this is left over from a crash: no write takes this long. */
const STALE_LOCK_MS = 30_000;

/**
 * Merges the file's current records into `ledger`, then writes it. Returns false (and writes
 * nothing) when the file on disk has become unreadable, which a person must look at.
 */
export async function saveLedger(file: string, ledger: Ledger): Promise<{ ok: true } | { ok: false; problems: LedgerProblem[] }> {
  let text = ledger.serialize();
  let digest = textDigest(text);
  // Nothing learnt since it was read: the file, whoever wrote it last, holds all this process knows.
  if (digest === ledger.savedDigest) return { ok: true };
  const lock = `${file}.lock`;
  await acquire(lock);
  try {
    if (identityOfFile(file) !== lastSeen.get(ledger)) {
      const current = readLedger(file);
      if (!current.ok) return current;
      ledger.mergeFrom(current.ledger);
      text = ledger.serialize();
      digest = textDigest(text);
      // Nothing new: the file (and a checkout holding it) stays untouched.
      if (digest === current.digest) {
        ledger.savedDigest = current.digest;
        lastSeen.set(ledger, lastSeen.get(current.ledger) ?? ABSENT);
        return { ok: true };
      }
    }
    writeFileAtomically(file, text);
    ledger.savedDigest = digest;
    // Under the lock: no other writer can have replaced it since.
    lastSeen.set(ledger, identityOfFile(file));
    return { ok: true };
  } finally {
    rmSync(lock, { force: true });
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

async function acquire(lock: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isStale(lock)) rmSync(lock, { force: true });
    else if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`the ledger is locked by another feedgen (${lock}); remove that file if no feedgen is running`);
    else await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function isStale(lock: string): boolean {
  try {
    const holder = Number(readFileSync(lock, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) return true;
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
