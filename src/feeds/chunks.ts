/**
 * Rendered documents as lists of chunks rather than one string: the articles' bodies, encoded once
 * (see entries.ts), are shared by every feed page they are on, and a static build writes the list
 * as it is, without first copying it into one string and then into bytes.
 */
export type Chunk = string | Uint8Array;

const encoder = new TextEncoder();

function encodeChunk(chunk: Chunk): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/**
 * Encodes text into large shared slabs instead of one new buffer per string: allocating a buffer
 * per string cost a third of a 100k-article build (allocation, and the garbage collections that
 * external memory triggers). For bytes kept as long as the arena is (the entry cache).
 */
export class ByteArena {
  private slab = new Uint8Array(0);
  private used = 0;
  /** Slabs start small and double up to 8 MiB, so that a small or short-lived arena stays small. */
  private nextSlabSize = 64 * 1024;

  encode(text: string): Uint8Array {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.slab.byteLength - this.used < text.length * 3) {
      this.slab = new Uint8Array(Math.max(this.nextSlabSize, text.length * 3));
      this.nextSlabSize = Math.min(this.nextSlabSize * 2, 8 * 1024 * 1024);
      this.used = 0;
    }
    const { written } = encoder.encodeInto(text, this.slab.subarray(this.used));
    const bytes = this.slab.subarray(this.used, this.used + written);
    this.used += written;
    return bytes;
  }
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
