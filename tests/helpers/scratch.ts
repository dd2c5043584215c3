/**
 * Throw-away folders for a test file, in the temporary folder (the run's own: see
 * tests/setup/temporary-folder.ts). Every folder made here is removed when the test file that made
 * it is over, after the file's own afterAll hooks, which may still use it (tests/setup/each-file.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A new empty folder named `prefix` and six random characters. */
export async function scratchFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  made.push(folder);
  return folder;
}

/** Removes every folder made so far: the test files of a worker share this module, one after another. */
export async function removeScratchFolders(): Promise<void> {
  await Promise.all(made.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
}
