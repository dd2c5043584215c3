/**
 * Rendered documents as lists of chunks rather than one string: the articles' bodies, encoded once
 * (see entries.ts), are shared by every feed page they are on, and a static build writes the list
 * as it is, without first copying it into one string and then into bytes.
 */
export type Chunk = string | Uint8Array;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeChunk(chunk: Chunk): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

export function chunksToBytes(chunks: readonly Chunk[]): Uint8Array {
  if (chunks.length === 1) return encodeChunk(chunks[0] as Chunk);
  const encoded = chunks.map(encodeChunk);
  const bytes = new Uint8Array(encoded.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of encoded) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

export function chunksToText(chunks: readonly Chunk[]): string {
  return chunks.map((chunk) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk))).join('');
}
