/**
 * A lock file between feedgen processes (the ledger's, and each output folder's record): created
 * exclusively, holding its process's id, removed by whoever took it. A lock whose process has died,
 * or that is older than any holder could be, is left over from a crash and broken, but only under
 * a second lock, `<lock>.break`, and only if it is still the stale one once that is held: two
 * processes that both find it stale cannot both break it and then both take it, since the second
 * finds the first's fresh lock in its place.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';

export interface LockOptions {
  /** A lock older than this is stale whoever holds it: no holder keeps it this long. */
  staleMs: number;
  /** A lock with no process id in it yet (its holder died between creating and writing it) is stale after this; staleMs by default. */
  unwrittenStaleMs?: number;
  /** Give up after waiting this long, with `busy` as the error's message; wait as long as it takes without it. */
  wait?: { ms: number; busy: string };
}

/** Waits until `lock` is free, takes it, and returns its release. */
export async function acquireLock(lock: string, options: LockOptions): Promise<() => void> {
  const started = Date.now();
  for (;;) {
    if (tryCreate(lock)) return () => rmSync(lock, { force: true });
    if (isStale(lock, options)) breakStale(lock, options);
    else if (options.wait && Date.now() - started > options.wait.ms) throw new Error(options.wait.busy);
    else await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
  }
}

function tryCreate(file: string): boolean {
  try {
    const fd = openSync(file, 'wx');
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

function breakStale(lock: string, options: LockOptions): void {
  const breaker = `${lock}.break`;
  if (!tryCreate(breaker)) {
    // Held for an instant by whoever breaks the lock; one whose holder died is broken itself.
    if (isStale(breaker, options)) rmSync(breaker, { force: true });
    return;
  }
  try {
    if (isStale(lock, options)) rmSync(lock, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

function isStale(lock: string, { staleMs, unwrittenStaleMs = staleMs }: LockOptions): boolean {
  try {
    const holder = Number(readFileSync(lock, 'utf8'));
    const age = Date.now() - statSync(lock).mtimeMs;
    if (!Number.isInteger(holder) || holder <= 0) return age > unwrittenStaleMs;
    return !isAlive(holder) || age > staleMs;
  } catch {
    return false;
  }
}

/** Whether process `pid` runs on this machine (EPERM: it does, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
