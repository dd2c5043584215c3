/**
 * Whether an output folder already holds what a run would write, so that the run can stop there:
 * `build` from the cache (which checks its files as well, static.ts), and `worker-data
 * --if-changed`. wrangler 4.86's `dev` runs the build step once to start, again as soon as its
 * file watcher is ready, and once more for every file event in `watch_dir`, the ledger that the
 * run itself saves included (workers-sdk issue 7934, fixed only in wranglers that need Node 22).
 * Each of those runs waits for the one before it (a lock beside the record) and finds nothing to do.
 *
 * A run is up to date when, since the last run that wrote the folder:
 *   - feedgen's code and the options are the same (a fixed "now" included);
 *   - every file of the articles folder has the stats it had when that run began (a file that had
 *     just changed then is compared by its text, since a coarse clock could hide a second change);
 *   - the ledger holds the text that run left in it;
 *   - the folder is the one it wrote;
 *   - no scheduled change has come.
 * Deleting the cache, or `--no-cache`, makes every run write.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../content/model.js';
import { walkFiles } from '../content/folder.js';
import { stampOf, stampSettled, statsMatch, type FileStamp } from '../content/source.js';
import { LEDGER_FILE } from './ledger.js';
import { outputRecordFile, readCacheFile, writeCacheFile } from './cache.js';
import { fileDigest } from './digest.js';
import { codeFingerprint } from './fingerprint.js';
import { acquireLock } from './lock.js';

/** A file as a run found it before reading it; with its text's hash when it had just changed. */
interface InputStamp extends FileStamp {
  hash?: string;
}

/** What a run is made from, seen before it reads anything. */
export interface Inputs {
  /** feedgen's code and the options. */
  key: string;
  /** Every file of the articles folder (the ledger aside) by its path there. */
  files: Map<string, InputStamp>;
}

/** What a run that wrote its output was made from, and what it said: enough for a run with the same inputs to stop early. */
export interface RunRecord extends Inputs {
  /** Hash of the ledger's text as the run left it ('' when there was none). */
  ledger: string;
  /** The first instant (epoch ms) from which a run writes something else (a scheduled change). */
  until?: number;
  /** What the run reported, and its exit status, for a run that stops early to say again. */
  problems: Problem[];
  status: number;
}

/** What the last run into an assets folder was made from, and what it said. */
export interface OutputRecord extends RunRecord {
  /** The folder the run wrote (see folderIdentity). */
  out: string;
}

export function recordFile(cacheDir: string, outDir: string): string {
  return outputRecordFile(cacheDir, 'worker-data', outDir);
}

/** `options`: whatever else decides the output (resolved folders, base URL, a fixed now). */
export function seeInputs(articlesDir: string, options: Record<string, unknown>): Inputs {
  return { key: JSON.stringify({ code: codeFingerprint(), ...options }), files: stampFolder(path.resolve(articlesDir)) };
}

export function upToDate(record: OutputRecord | undefined, inputs: Inputs, articlesDir: string, outDir: string, now: number): boolean {
  return record !== undefined && inputsHold(record, inputs, articlesDir, now) && folderIdentity(outDir) === record.out;
}

/**
 * Whether a run now would be made from what `record`'s run was: the same code and options, every
 * file of the articles folder as it was (by its stats, or by its text when it had just changed),
 * the ledger as that run left it, and no scheduled change come since.
 */
export function inputsHold(record: RunRecord, inputs: Inputs, articlesDir: string, now: number): boolean {
  if (record.key !== inputs.key || record.files.size !== inputs.files.size) return false;
  if (record.until !== undefined && now >= record.until) return false;
  for (const [name, before] of record.files) {
    const current = inputs.files.get(name);
    if (!current || !statsMatch(before, current)) return false;
    if (before.hash !== undefined && (current.hash ?? fileDigest(path.resolve(articlesDir, name))) !== before.hash) return false;
  }
  // Last: the ledger is read and hashed whole (0.9 s at 100k articles), and an edit shows in the stats first.
  return ledgerDigest(articlesDir) === record.ledger;
}

/**
 * `record` (whose inputs hold) with the stamps of `inputs`, when files it could only compare by
 * their text, having changed just before its run, have settled since: otherwise every run after
 * it reads and hashes them again (after a `git checkout` of the whole folder, all of it). Undefined
 * when there is nothing to settle.
 */
export function settledRecord<T extends RunRecord>(record: T, inputs: Inputs): T | undefined {
  for (const [name, before] of record.files) {
    if (before.hash !== undefined && inputs.files.get(name)?.hash === undefined) return { ...record, files: inputs.files };
  }
  return undefined;
}

/** What a run made from `inputs` leaves to be recorded (after it saved the ledger). */
export function runRecord(inputs: Inputs, articlesDir: string, outcome: Pick<RunRecord, 'until' | 'problems' | 'status'>): RunRecord {
  return { ...inputs, ledger: ledgerDigest(articlesDir), ...outcome };
}

/** After a run that wrote `outDir` (and saved the ledger) from `inputs`. */
export function recordOutput(cacheDir: string, inputs: Inputs, articlesDir: string, outDir: string, outcome: Pick<OutputRecord, 'until' | 'problems' | 'status'>): void {
  writeOutputRecord(cacheDir, outDir, { ...runRecord(inputs, articlesDir, outcome), out: folderIdentity(outDir) });
}

export function readOutputRecord(cacheDir: string, outDir: string): OutputRecord | undefined {
  return readCacheFile<OutputRecord>(recordFile(cacheDir, outDir));
}

export function writeOutputRecord(cacheDir: string, outDir: string, record: OutputRecord): void {
  writeCacheFile(recordFile(cacheDir, outDir), record);
}

/** Waits until no other run holds the lock of `outDir`'s record, takes it, and returns its release. */
export async function lockOutput(cacheDir: string, outDir: string): Promise<() => void> {
  const lock = outputRecordFile(cacheDir, 'worker-data', outDir, 'lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  // No run takes an hour; one that died before writing its process id did so a moment after taking the lock.
  return acquireLock(lock, { staleMs: 60 * 60 * 1000, unwrittenStaleMs: 5000 });
}

/** Files as the loader finds them (content/folder.ts walkFiles); the ledger is compared by its text, after the run. */
function stampFolder(root: string): Map<string, InputStamp> {
  const files = new Map<string, InputStamp>();
  const takenAt = Date.now();
  // The ledger, its lock and its temporary files.
  const isLedger = (_: string, relative: string) => relative.startsWith(LEDGER_FILE) && !relative.includes('/');
  walkFiles(
    root,
    (file, relative, stats) => {
      if (!stats?.isFile()) return;
      const stamp = stampOf(stats, takenAt);
      files.set(relative, stampSettled(stamp) ? stamp : { ...stamp, hash: fileDigest(file) });
    },
    { skip: isLedger },
  );
  return files;
}

function ledgerDigest(articlesDir: string): string {
  return fileDigest(path.join(articlesDir, LEDGER_FILE));
}

/** A folder written anew is another folder: another inode, or at least another change time. */
function folderIdentity(dir: string): string {
  const stats = statSync(dir, { throwIfNoEntry: false });
  return stats ? `${stats.dev}:${stats.ino}:${stats.mtimeMs}:${stats.ctimeMs}` : '';
}
