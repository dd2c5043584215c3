/**
 * `serve --watch`: sees every change to the articles folder, whichever way it was made: a write in
 * place, an editor that saves by renaming (vim, `sed -i`), a deletion, a `git checkout` that
 * replaces whole folders. File system events only say that something happened somewhere; what
 * changed is found by a rescan, which compares every file's stamp (size, times, inode) with the
 * last scan's, so it cannot miss a change. A rescan also runs every few seconds without an event,
 * for what events never report (a folder replaced under a watch, a full inotify queue).
 */
import { watch, type FSWatcher } from 'node:fs';
import { walkFiles } from '../content/folder.js';
import { stampOf, statsMatch, type FileStamp } from '../content/source.js';

export interface FolderWatcherOptions {
  /** Paths (absolute) whose changes are of no interest: what feedgen writes itself. */
  ignore: (file: string) => boolean;
  /** What changed since the last scan: files added, changed or gone (absolute paths). */
  onChange: (changed: ReadonlySet<string>) => void;
  /** Events settle for this long before a rescan (editors write a file in several steps). */
  settleMs?: number;
  /** A rescan runs at least this often; by default 20 times the last scan's duration, 2 s at least. */
  intervalMs?: number;
}

export class FolderWatcher {
  private stamps = new Map<string, FileStamp>();
  private readonly watchers = new Map<string, FSWatcher>();
  private settle: NodeJS.Timeout | undefined;
  private periodic: NodeJS.Timeout | undefined;
  private lastScanMs = 0;
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly options: FolderWatcherOptions,
  ) {
    this.stamps = this.scan();
    this.schedulePeriodic();
  }

  /** Every file under the root with its stamp; watches every folder met and forgets those gone. */
  private scan(): Map<string, FileStamp> {
    const started = performance.now();
    const stamps = new Map<string, FileStamp>();
    const folders = new Set<string>();
    walkFiles(
      this.root,
      (file, _, stats) => {
        if (stats) stamps.set(file, stampOf(stats));
      },
      { skip: (file) => this.options.ignore(file), folder: (dir) => folders.add(dir) },
    );
    for (const dir of folders) if (!this.watchers.has(dir)) this.watchFolder(dir);
    for (const [dir, watcher] of this.watchers) {
      if (folders.has(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    this.lastScanMs = performance.now() - started;
    return stamps;
  }

  private watchFolder(dir: string): void {
    try {
      const watcher = watch(dir, () => this.changed());
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(dir);
        this.changed();
      });
      this.watchers.set(dir, watcher);
    } catch {
      // Gone already, or out of watches: the periodic rescan still sees its files.
    }
  }

  private changed(): void {
    if (this.closed) return;
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.rescan(), this.options.settleMs ?? 50);
  }

  private schedulePeriodic(): void {
    if (this.closed) return;
    clearTimeout(this.periodic);
    const interval = this.options.intervalMs ?? Math.max(2000, 20 * this.lastScanMs);
    this.periodic = setTimeout(() => this.rescan(), interval);
    this.periodic.unref();
  }

  /** Compares a new scan with the last one and reports what differs, if anything. */
  rescan(): void {
    if (this.closed) return;
    clearTimeout(this.settle);
    const now = this.scan();
    const changed = new Set<string>();
    for (const [file, stamp] of now) {
      const before = this.stamps.get(file);
      if (!before || !statsMatch(before, stamp)) changed.add(file);
    }
    for (const file of this.stamps.keys()) if (!now.has(file)) changed.add(file);
    this.stamps = now;
    this.schedulePeriodic();
    if (changed.size > 0) this.options.onChange(changed);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.settle);
    clearTimeout(this.periodic);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
