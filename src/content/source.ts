/** Reading article files: strict UTF-8, and the hashes that version their content. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

function readFailure(error: unknown): ReadResult {
  return { ok: false, message: error instanceof TypeError ? 'file is not valid UTF-8' : `cannot read file: ${(error as Error).message}` };
}

export function readTextSync(file: string): ReadResult {
  try {
    return { ok: true, text: utf8.decode(readFileSync(file)) };
  } catch (error) {
    return readFailure(error);
  }
}

export async function readText(file: string): Promise<ReadResult> {
  try {
    return { ok: true, text: utf8.decode(await readFile(file)) };
  } catch (error) {
    return readFailure(error);
  }
}

export function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}
