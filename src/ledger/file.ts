/**
 * The ledger on disk. Written atomically (a temporary file renamed over the old one, after fsync),
 * under a lock file, after merging whatever another process wrote since this one read it: a crash
 * leaves the old file or the new one, and two processes at once (`serve --watch` while `build`
 * runs) lose no entry.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { Ledger, type LedgerProblem } from './ledger.js';

export type LedgerRead = { ok: true; ledger: Ledger; text: string } | { ok: false; problems: LedgerProblem[] };

/** A missing file is a fresh site: an empty ledger. */
export function readLedger(file: string): LedgerRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, ledger: new Ledger(), text: '' };
    return { ok: false, problems: [{ line: 1, message: `cannot read the ledger: ${(error as Error).message}` }] };
  }
  const { ledger, problems } = Ledger.parse(text);
  ledger.savedText = text;
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ledger, text };
}

const LOCK_WAIT_MS = 10_000;
/** A lock older than this is left over from a crash: no write takes this long. */
const STALE_LOCK_MS = 30_000;

/**
 * Merges the file's current records into `ledger`, then writes it. Returns false (and writes
 * nothing) when the file on disk has become unreadable, which a person must look at.
 */
export async function saveLedger(file: string, ledger: Ledger): Promise<{ ok: true } | { ok: false; problems: LedgerProblem[] }> {
  // Nothing learnt since it was read: the file, whoever wrote it last, holds all this process knows.
  if (ledger.serialize() === ledger.savedText) return { ok: true };
  const lock = `${file}.lock`;
  await acquire(lock);
  try {
    const current = readLedger(file);
    if (!current.ok) return current;
    ledger.mergeFrom(current.ledger);
    const text = ledger.serialize();
    ledger.savedText = text;
    // Nothing new: the file (and a checkout holding it) stays untouched.
    if (text === current.text) return { ok: true };
    writeFileAtomically(file, text);
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
