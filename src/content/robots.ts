/**
 * `articles/robots.txt`: a newsroom's own robots.txt, served as it is (its bytes, a byte order mark
 * included) instead of the one feedgen writes. Read with the care of every other file: strict
 * UTF-8, at most the 500 KiB crawlers read, and not through a symbolic link leading outside the
 * articles folder.
 */
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ROBOTS_MAX_BYTES } from '../feeds/robots.js';
import { ROBOTS_FILE } from '../urls/paths.js';
import { decode, hash } from './source.js';

export type OwnRobots = { kind: 'none' } | { kind: 'read'; text: string; textHash: string } | { kind: 'refused'; line: number; message: string };

export async function readOwnRobots(articlesDir: string): Promise<OwnRobots> {
  const file = path.join(articlesDir, ROBOTS_FILE);
  const refused = (message: string, line = 1): OwnRobots => ({ kind: 'refused', line, message: `${message}; fix it, or remove it to serve the robots.txt feedgen writes` });
  try {
    const link = await lstat(file);
    if (link.isSymbolicLink()) {
      const [target, root] = await Promise.all([realpath(file), realpath(articlesDir)]);
      if (!target.startsWith(`${root}${path.sep}`)) return refused('robots.txt is a symbolic link to a file outside the articles folder');
    }
    const stats = await stat(file);
    if (!stats.isFile()) return refused('robots.txt is not a file');
    if (stats.size > ROBOTS_MAX_BYTES) return refused(`robots.txt has ${stats.size} bytes, more than the ${ROBOTS_MAX_BYTES / 1024} KiB crawlers read (RFC 9309)`);
    const read = decode(await readFile(file), true);
    if (!read.ok) return refused(read.message, read.line);
    return { kind: 'read', text: read.text, textHash: hash(read.text) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return refused(`cannot read robots.txt: ${(error as Error).message}`);
  }
}
