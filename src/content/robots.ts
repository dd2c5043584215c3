/**
 * `articles/robots.txt`: a newsroom's own robots.txt, served as it is (its bytes, a byte order mark
 * included) instead of the one feedgen writes. Read with the care of every other file: within the
 * articles folder's boundary (folder.ts), strict UTF-8, and at most the 500 KiB crawlers read.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ROBOTS_MAX_BYTES } from '../feeds/robots.js';
import { ROBOTS_FILE } from '../urls/paths.js';
import { resolveNamed, type InsideTest } from './folder.js';
import { decode, hash } from './source.js';

export type OwnRobots = { kind: 'none' } | { kind: 'read'; text: string; textHash: string } | { kind: 'refused'; line: number; message: string };

export async function readOwnRobots(articlesDir: string, inside: InsideTest): Promise<OwnRobots> {
  const refused = (message: string, line = 1): OwnRobots => ({ kind: 'refused', line, message: `${message}; fix it, or remove it to serve the robots.txt feedgen writes` });
  const resolved = resolveNamed(path.join(articlesDir, ROBOTS_FILE), inside);
  if (!resolved) return { kind: 'none' };
  if (resolved.real === undefined) return refused(`robots.txt is not served: ${resolved.refused ?? 'it cannot be read'}`);
  let bytes: Uint8Array;
  try {
    const { size } = await stat(resolved.real);
    if (size > ROBOTS_MAX_BYTES) return refused(`robots.txt has ${size} bytes, more than the ${ROBOTS_MAX_BYTES / 1024} KiB crawlers read (RFC 9309)`);
    bytes = await readFile(resolved.real);
  } catch (error) {
    return refused(`cannot read robots.txt: ${(error as Error).message}`);
  }
  const read = decode(bytes, true);
  if (!read.ok) return refused(read.message, read.line);
  return { kind: 'read', text: read.text, textHash: hash(read.text) };
}
