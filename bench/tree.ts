/** Folders of files as wrangler sees them when it decides what to upload: names, sizes and hashes. */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir`, relative with "/", in no particular order. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** Every file -> SHA-256 of its bytes: two trees upload the same file where the hashes agree. */
export async function hashTree(dir: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const name of await filesUnder(dir)) hashes.set(name, createHash('sha256').update(await readFile(path.join(dir, name))).digest('hex'));
  return hashes;
}

/** Files added, removed or with other bytes, sorted. */
export function changedFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

export interface TreeStats {
  files: number;
  bytes: number;
  largest: { name: string; bytes: number };
}

export async function treeStats(dir: string): Promise<TreeStats> {
  const stats: TreeStats = { files: 0, bytes: 0, largest: { name: '', bytes: 0 } };
  for (const name of await filesUnder(dir)) {
    const { size } = await stat(path.join(dir, name));
    stats.files++;
    stats.bytes += size;
    if (size > stats.largest.bytes) stats.largest = { name, bytes: size };
  }
  return stats;
}
