/**
 * The test run's own temporary folder, and the proof that the run leaves the machine's as it found it.
 *
 * Before any test worker starts, TMPDIR points at `tmp/` in a folder made for this run
 * (`feedgen-test-run-<pid>-*` in the real temporary folder). Test workers and every process they
 * start inherit it, so whatever the tests, feedgen, Miniflare, workerd, wrangler, npm or the browsers
 * put in "the temporary folder" lands there. When the run is over, `tmp/` must be empty: anything
 * left in it is named and fails the run. Beside it, `shared/` holds what the run makes once for all
 * its test files (the bundled Worker); the whole run folder is removed at the end, pass or fail.
 *
 * A tool that ignored TMPDIR would write to the real temporary folder, which other people's test
 * runs on a shared machine write to at the same time. So the real folder is listed before and
 * after, and a new entry whose name is one this suite's tools use fails the run too, unless another
 * test run was seen working meanwhile (then it cannot be told whose it is, and is only named).
 * A run folder whose process is gone (a run that was killed) is removed by the next run.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { isAlive } from '../../src/state/lock.js';

/** Names that feedgen's tests and the tools they run give to what they put in a temporary folder. */
const SUITE_NAMES = /^(feedgen-|miniflare-|wrangler|tsx-|update-check$|\.org\.chromium\.|rust_mozprofile|mozilla|npm-|vitest)/;
/** What another test run of this project shows in its command line. */
const TEST_RUN = /vitest|feedgen|wrangler|workerd/;
const RUN_FOLDER = /^feedgen-test-run-(\d+)-/;

export default function setup(project: TestProject): void {
  const real = tmpdir();
  removeFoldersOfEndedRuns(real);
  const before = new Set(readdirSync(real));
  const run = mkdtempSync(path.join(real, `feedgen-test-run-${process.pid}-`));
  const temporary = path.join(run, 'tmp');
  const shared = path.join(run, 'shared');
  mkdirSync(temporary);
  mkdirSync(shared);
  // Some tests run feedgen as another user (a read-only checkout): shared as /tmp is.
  chmodSync(run, 0o755);
  chmodSync(temporary, 0o1777);
  process.env.TMPDIR = temporary;
  project.provide('sharedFolder', shared);

  const others = new OtherRuns();
  others.look();
  const watching = setInterval(() => others.look(), 5_000);
  watching.unref();

  // Checked as the process exits: vitest closes the pools after the global teardown, and the Workers
  // pool's Miniflare removes its own temporary folder only when it is closed.
  process.once('exit', () => {
    clearInterval(watching);
    others.look();
    const left = readdirSync(temporary).sort();
    rmSync(run, { recursive: true, force: true });
    const landed = readdirSync(real).filter((name) => !before.has(name) && SUITE_NAMES.test(name) && !RUN_FOLDER.test(name)).sort();

    const failures: string[] = [];
    if (left.length > 0) failures.push(`the tests left ${left.length} entries in the temporary folder (removed now): ${left.join(', ')}`);
    if (landed.length > 0) {
      const where = `${landed.length} new entries in ${real}, where TMPDIR should have kept them out: ${landed.join(', ')}`;
      if (others.seen.size === 0) failures.push(where);
      else console.warn(`feedgen tests: ${where}; not counted as this run's: ${others.describe()} worked meanwhile`);
    }
    if (failures.length > 0) {
      console.error(`\nFAIL the temporary-folder check (tests/setup/temporary-folder.ts):\n  ${failures.join('\n  ')}\nEvery test removes what it makes, in afterAll or finally.\n`);
      process.exitCode = 1;
    }
  });
}

function removeFoldersOfEndedRuns(real: string): void {
  for (const name of readdirSync(real)) {
    const pid = RUN_FOLDER.exec(name)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    rmSync(path.join(real, name), { recursive: true, force: true });
    console.warn(`feedgen tests: removed ${name}, left by a test run that did not finish`);
  }
}

/**
 * Processes of other test runs of this project (Linux: read from /proc): neither this process,
 * nor one it descends from, nor one descending from it, whose command line looks like a run.
 */
class OtherRuns {
  /** Process id -> command line. */
  readonly seen = new Map<number, string>();

  describe(): string {
    const some = [...this.seen].slice(0, 3).map(([pid, command]) => `${pid} (${command.slice(0, 60).trim()})`);
    return `${this.seen.size} processes of other test runs, such as ${some.join(', ')}`;
  }

  look(): void {
    let pids: number[];
    try {
      pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
    } catch {
      return;
    }
    const parents = new Map<number, number>();
    for (const pid of pids) {
      const parent = parentOf(pid);
      if (parent !== undefined) parents.set(pid, parent);
    }
    const lineage = (pid: number): number[] => {
      const chain: number[] = [];
      for (let at: number | undefined = pid; at !== undefined && at > 1 && !chain.includes(at); at = parents.get(at)) chain.push(at);
      return chain;
    };
    const ancestors = new Set(lineage(process.pid));
    for (const pid of pids) {
      if (ancestors.has(pid) || lineage(pid).includes(process.pid)) continue;
      const command = commandOf(pid);
      if (command !== undefined && TEST_RUN.test(command)) this.seen.set(pid, command);
    }
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // "pid (name) state ppid ...": the name may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

declare module 'vitest' {
  interface ProvidedContext {
    /** A folder for what the run makes once for all its test files; removed when the run is over. */
    sharedFolder: string;
  }
}
