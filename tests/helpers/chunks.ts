/** A rendered document's chunks as one string, for assertions on its text. */
import type { Chunk } from '../../src/feeds/chunks.js';

const decoder = new TextDecoder();

export function chunksToText(chunks: readonly Chunk[]): string {
  return chunks.map((chunk) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk))).join('');
}
