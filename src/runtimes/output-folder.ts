/**
 * The output folder of a static build (or of the Worker's assets): where each URL's file lies,
 * how a folder is replaced whole or updated in place, and the stamps that tell whether it is still
 * as a run recorded it (output-survey.ts). Light on purpose: a build that finds nothing to do loads
 * this, and not the renderers.
 */
import { lstatSync, readdirSync, realpathSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildRecord, BuiltFile, FactRecord } from '../state/build-record.js';
import { formatUtc } from '../time/index.js';
import { servedFilePath } from '../urls/paths.js';

/** What a build leaves for the next one to update the folder in place (state/build-record.ts KeptBuild). */
export interface KeptOutput {
  files: BuildRecord;
  facts: FactRecord;
  stamps: Map<string, string>;
}

/** `/china/world/` -> `china/world/index.html`; segments decoded, as static hosts look files up. */
export function fileForPath(urlPath: string): string {
  return servedFilePath(urlPath).split('/').filter(Boolean).map(decodeURIComponent).join('/');
}

/**
 * Fills a new folder beside `outDir` and swaps it in at the end: if `fill` fails, `outDir` stays
 * as it was.
 */
export async function replaceFolder<T>(outDir: string, fill: (staging: string) => Promise<T>): Promise<T> {
  const out = throughLinks(outDir);
  const staging = `${out}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  let result: T;
  try {
    result = await fill(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const previous = `${out}.previous-${process.pid}`;
  await rename(out, previous).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(staging, out);
  await rm(previous, { recursive: true, force: true });
  return result;
}

/**
 * The folder `outDir` names, symbolic links followed: a link (`dist -> /srv/www/site`) stays a
 * link, and the site is written where it points.
 */
export function throughLinks(outDir: string): string {
  const out = path.resolve(outDir);
  if (!lstatSync(out, { throwIfNoEntry: false })?.isSymbolicLink()) return out;
  try {
    return realpathSync(out);
  } catch (error) {
    throw new Error(`${outDir} is a symbolic link that leads nowhere (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}): create the folder it names, or remove the link`);
  }
}

/** Creates the folder of every file first (in parallel: far fewer calls than one per file). */
export async function makeFolders(files: readonly string[]): Promise<void> {
  await Promise.all([...new Set(files.map((file) => path.dirname(file)))].map((dir) => mkdir(dir, { recursive: true })));
}

/** What identifies a file's or folder's contents without reading them: its inode and times ('' when it is not there). */
export function stampOf(file: string): string {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}` : '';
}

/** What the output holds besides the site's resources: rules for the host. */
export const HOST_FILES = ['_headers', '_redirects'];

/** Whether a file is still what a build wrote (a person, or a build that stopped half-way, may have changed it). */
export function isAsRecorded(file: string, built: Pick<BuiltFile, 'size' | 'mtimeMs'>): boolean {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats !== undefined && stats.isFile() && stats.size === built.size && stats.mtimeMs === built.mtimeMs;
}

/** Beside the output folder (`dist.rebuild-at`), outside what a host serves: the next instant the output changes. */
export const REBUILD_AT_SUFFIX = '.rebuild-at';

/**
 * Tells a scheduler when to build again: writes the next scheduled change as one RFC 3339 UTC line
 * to `<outDir>.rebuild-at`, or removes that file when nothing is pending. Not inside `outDir`: a
 * host would serve it, and announce when an embargoed article goes out.
 */
export async function writeRebuildAt(outDir: string, nextChange: number | undefined): Promise<{ file: string; instant: string } | undefined> {
  const file = `${path.resolve(outDir)}${REBUILD_AT_SUFFIX}`;
  if (nextChange === undefined) {
    await rm(file, { force: true });
    return undefined;
  }
  const instant = formatUtc(nextChange);
  await writeFile(`${file}.partial`, `${instant}\n`);
  await rename(`${file}.partial`, file);
  return { file: path.relative(process.cwd(), file) || file, instant };
}


/**
 * Deletes every file under `dir` that is not in `kept` (absolute paths), and the folders below it
 * left empty, but for the folders in `skip`, which it leaves as they are: what earlier runs wrote
 * that this one does not produce. Returns how many files it deleted, and whether `dir` is empty.
 */
export function sweepFolder(dir: string, kept: ReadonlySet<string>, skip: ReadonlySet<string> = new Set()): { deleted: number; empty: boolean } {
  let deleted = 0;
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const below = skip.has(file) ? { deleted: 0, empty: false } : sweepFolder(file, kept, skip);
      deleted += below.deleted;
      if (below.empty) rmdirSync(file);
      else empty = false;
    } else if (kept.has(file)) empty = false;
    else {
      rmSync(file, { force: true });
      deleted++;
    }
  }
  return { deleted, empty };
}

/** Every folder that holds one of `files` (relative), '' for the top, parents before children. */
export function foldersOf(files: Iterable<string>): string[] {
  const folders = new Set<string>(['']);
  for (const file of files) {
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
      const dir = file.slice(0, slash);
      if (folders.has(dir)) break;
      folders.add(dir);
    }
  }
  return [...folders].sort();
}

/** The folder of a relative path: '' for the top. */
export function folderOf(relative: string): string {
  const slash = relative.lastIndexOf('/');
  return slash === -1 ? '' : relative.slice(0, slash);
}

/** The stamp of each of `relatives` (folders, or files) under `root`: a name added to or removed from a folder moves its stamp. */
export function stampsOf(root: string, relatives: Iterable<string>): Map<string, string> {
  const stamps = new Map<string, string>();
  for (const relative of relatives) stamps.set(relative, stampOf(path.join(root, relative)));
  return stamps;
}

/** What the last run into a folder left there, as a run that updates it in place needs to know it. */
export interface LeftInFolder {
  /** Every file it wrote, relative to the folder. */
  files: Iterable<string>;
  /** Its folders' stamps as it left them. */
  stamps: ReadonlyMap<string, string>;
}

/**
 * The stamps of `folders` as a run that updated the folder in place leaves them. Taken again for
 * the folders whose names it may have changed (`touched`: where it wrote or deleted, and those
 * whose stamps had moved: output-survey.ts), for new ones and for their parents; the others keep
 * the last run's stamp, which the survey found still right before the run wrote. A stamp that is
 * no longer right only makes the next run look through that folder, and one kept this way cannot
 * hide a name someone added while the run went on.
 */
export function stampsAfter(root: string, folders: readonly string[], before: ReadonlyMap<string, string>, touched: ReadonlySet<string>): Map<string, string> {
  const again = new Set(touched);
  for (const folder of folders) if (!before.has(folder) && folder !== '') again.add(folderOf(folder));
  const stamps = new Map<string, string>();
  for (const folder of folders) {
    const kept = again.has(folder) ? undefined : before.get(folder);
    stamps.set(folder, kept ?? stampOf(path.join(root, folder)));
  }
  return stamps;
}

/**
 * Deletes what a folder updated in place holds that this run did not produce (`produced`: every
 * file it leaves, absolute; `folders`: their folders, foldersOf): the files of the last run that
 * are no longer produced, whatever else is in the folders whose names changed since (`moved`:
 * output-survey.ts, taken before this run wrote), and then the last run's folders left unused. Folders
 * whose names did not change hold only what the last run wrote, and are not read. Returns how many
 * files it deleted; adds the folders whose names it changed to `touched`.
 */
export function removeUnproduced(root: string, before: LeftInFolder, produced: ReadonlySet<string>, folders: readonly string[], moved: readonly string[], touched: Set<string>): number {
  let deleted = 0;
  for (const relative of before.files) {
    const file = path.join(root, relative);
    if (produced.has(file)) continue;
    if (lstatSync(file, { throwIfNoEntry: false })?.isFile()) {
      rmSync(file, { force: true });
      touched.add(folderOf(relative));
      deleted++;
    }
  }
  const keptFolders = new Set(folders.map((relative) => path.join(root, relative)));
  // Anything under a folder this run has no use for goes; in the folders it uses, what it did not write.
  const sweep = (relative: string): boolean => {
    const swept = sweepFolder(path.join(root, relative), produced, keptFolders);
    deleted += swept.deleted;
    touched.add(relative);
    return swept.empty;
  };
  for (const relative of moved) {
    const dir = path.join(root, relative);
    if (keptFolders.has(dir) && lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) sweep(relative);
  }
  // The last run's folders this one has no use for, deepest first, once empty.
  const unused = [...before.stamps.keys()].filter((relative) => relative !== '' && !keptFolders.has(path.join(root, relative)));
  for (const relative of unused.sort((a, b) => b.length - a.length)) {
    const dir = path.join(root, relative);
    if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    if (sweep(relative)) {
      rmdirSync(dir);
      touched.add(folderOf(relative));
    }
  }
  return deleted;
}
