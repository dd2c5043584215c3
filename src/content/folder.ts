/**
 * What the articles folder holds, listed once, with its boundary: nothing outside it is read. A
 * symbolic link is followed when it leads to a regular file inside the folder (where it lies once
 * every link is resolved); one that leads outside, to nothing, into a loop, to a folder (folders
 * are never followed, so the walk cannot loop) or to anything but a regular file is refused at its
 * own path, with the reason. Names starting with a dot are skipped (editors' swap files, `.git`).
 *
 *   articles/**.md                  articles and _index.md files (any depth, not under media/ or _ folders)
 *   articles/media/**               the media folder's files, served as they are (load.ts, media-files.ts)
 *   articles/**                     every other file, by the folder holding it: page bundles (media-files.ts)
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { MEDIA_SEGMENT, sectionKey } from '../urls/paths.js';

export interface FoundFile {
  /** Folder names from the articles folder down to the file's folder, in Unicode NFC (as URLs name them). */
  folders: string[];
  /** In NFC. */
  name: string;
  /** Where it is named, on disk. */
  absolute: string;
  /** Its path in the articles folder, as on disk (`us/politics/x.md`). */
  key: string;
  /** What to read: the file itself, or where its link leads (inside the folder). Absent when refused. */
  real?: string;
  /** Why it is not read (a link that leads outside, to nothing, to a folder; not a regular file). */
  refused?: string;
}

export interface FolderListing {
  /** Every `.md` file outside media/ and folders whose name starts with `_`, sorted by key. */
  markdown: FoundFile[];
  /** Every file of media/, at any depth, sorted by key. */
  media: FoundFile[];
  /** Every other file, by the sectionKey of the folders holding it. */
  others: Map<string, FoundFile[]>;
  /** Folders that could not be listed, or symbolic links to folders, with the reason. */
  folders: Array<{ absolute: string; message: string }>;
  /** The boundary, for files read by name (resolveNamed). */
  inside: InsideTest;
}

/** Lists `root` (an absolute path); throws only when the folder itself cannot be read. */
export function listFolder(root: string): FolderListing {
  const inside = insideTest(realpathSync(root));
  const listing: FolderListing = { markdown: [], media: [], others: new Map(), folders: [], inside };
  const walk = (dir: string, folders: string[], keyPrefix: string, inMedia: boolean): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (folders.length === 0 && !inMedia) throw error;
      listing.folders.push({ absolute: dir, message: `cannot read this folder (${describeError(error)}): its files are left out` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolute = path.join(dir, entry.name);
      const name = entry.name.normalize('NFC');
      // The name as it is on disk, not NFC: two files whose names differ only so are two entries.
      const key = `${keyPrefix}${entry.name}`;
      if (entry.isDirectory()) {
        const isMedia = !inMedia && folders.length === 0 && name === MEDIA_SEGMENT;
        if (!name.startsWith('_')) walk(absolute, isMedia ? [] : [...folders, name], `${key}/`, inMedia || isMedia);
        continue;
      }
      const file: FoundFile = { folders, name, absolute, key, ...resolveEntry(entry, absolute, inside) };
      if (file.refused === FOLDER_LINK) {
        listing.folders.push({ absolute, message: `left out: ${FOLDER_LINK}` });
        continue;
      }
      if (inMedia) {
        if (!name.startsWith('_')) listing.media.push(file);
      } else if (name.endsWith('.md')) listing.markdown.push(file);
      else {
        const holder = sectionKey(folders);
        const list = listing.others.get(holder);
        if (list) list.push(file);
        else listing.others.set(holder, [file]);
      }
    }
  };
  walk(root, [], '', false);
  const byKey = (a: FoundFile, b: FoundFile) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  listing.markdown.sort(byKey);
  listing.media.sort(byKey);
  return listing;
}

const FOLDER_LINK = 'it is a symbolic link to a folder, and folders are not followed through links';

export interface WalkOptions {
  /** Leaves out a file or a whole folder, by its absolute path and its path below the root (`/`-separated). */
  skip?: (absolute: string, relative: string) => boolean;
  /** Told of every folder walked, the root included, before it is listed. */
  folder?: (absolute: string) => void;
}

/**
 * Every file below `root` as the loader would come to it, for what only needs to see changes
 * (`serve --watch`, an up-to-date check): names starting with a dot are skipped, folders are not
 * followed through links, folders that cannot be listed are passed over, and each file's stats
 * are read through its links (undefined where they cannot be: a link to nothing, a loop).
 */
export function walkFiles(root: string, visit: (absolute: string, relative: string, stats: Stats | undefined) => void, options: WalkOptions = {}): void {
  const walk = (dir: string, prefix: string): void => {
    options.folder?.(dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolute = path.join(dir, entry.name);
      const relative = `${prefix}${entry.name}`;
      if (options.skip?.(absolute, relative)) continue;
      if (entry.isDirectory()) walk(absolute, `${relative}/`);
      else visit(absolute, relative, statOrUndefined(absolute));
    }
  };
  walk(root, '');
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Whether an absolute real path lies inside the real articles folder. */
export type InsideTest = (real: string) => boolean;

export function insideTest(rootReal: string): InsideTest {
  const prefix = rootReal.endsWith(path.sep) ? rootReal : `${rootReal}${path.sep}`;
  return (real) => real.startsWith(prefix);
}

/**
 * A file the loader reads by name (`_authors.yml`), under the same rule: its real path, or why it
 * is not read; undefined when there is no such file.
 */
export function resolveNamed(absolute: string, inside: InsideTest): Pick<FoundFile, 'real' | 'refused'> | undefined {
  let stats;
  try {
    stats = lstatSync(absolute, { throwIfNoEntry: false });
  } catch (error) {
    return { refused: `cannot read it (${describeError(error)})` };
  }
  return stats && resolveEntry(stats, absolute, inside);
}

/** What lstat or a directory listing says a name is. */
interface EntryKind {
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

function resolveEntry(entry: EntryKind, absolute: string, inside: InsideTest): Pick<FoundFile, 'real' | 'refused'> {
  if (entry.isFile()) return { real: absolute };
  if (!entry.isSymbolicLink()) return { refused: 'it is not a regular file' };
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { refused: 'it is a symbolic link to nothing (its target does not exist)' };
    if (code === 'ELOOP') return { refused: 'it is a loop of symbolic links' };
    return { refused: `its symbolic link cannot be followed (${describeError(error)})` };
  }
  let stats;
  try {
    stats = statSync(real);
  } catch (error) {
    return { refused: `its symbolic link cannot be followed (${describeError(error)})` };
  }
  // A folder is never followed, wherever it is; a file only inside the folder.
  if (stats.isDirectory()) return { refused: FOLDER_LINK };
  if (!inside(real)) return { refused: `it is a symbolic link to ${real}, outside the articles folder` };
  if (!stats.isFile()) return { refused: 'it is a symbolic link to something that is not a regular file' };
  return { real };
}

export function describeError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}
