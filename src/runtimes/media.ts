/**
 * Media files (files served as they are) in Node: the server reads them from disk as it sends
 * them, in the range asked for; the static build and `worker-data` copy them. No file is ever held
 * whole in memory, but small text files, which the server compresses once like everything it
 * renders.
 */
import { closeSync, constants, copyFileSync, ftruncateSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { MediaFile } from '../content/model.js';
import { isCompressibleType } from '../feeds/media-types.js';
import type { Body, StreamedBody } from '../publish/store.js';

/** What a stream reads at a time: one of these per response in flight, whatever the file's size. */
const CHUNK_BYTES = 64 * 1024;
/** Text files up to this size are read whole, to be compressed once; larger ones are streamed as they are. */
const MAX_COMPRESSED_FILE_BYTES = 1024 * 1024;

/** A file on disk, read in the range asked for as it is sent. */
export class FileBody implements StreamedBody {
  constructor(
    private readonly file: string,
    readonly byteLength: number,
  ) {}

  async open(start: number, end: number): Promise<ReadableStream<Uint8Array>> {
    // Its real path was found inside the articles folder: a link put in its place since is not followed.
    const { file } = this;
    const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    let position = start;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    return new ReadableStream<Uint8Array>({
      // Called when the reader wants more (the socket has drained): nothing is read ahead of it.
      async pull(controller) {
        try {
          const length = Math.min(CHUNK_BYTES, end - position);
          if (length <= 0) {
            await close();
            controller.close();
            return;
          }
          const buffer = new Uint8Array(length);
          const { bytesRead } = await handle.read(buffer, 0, length, position);
          if (bytesRead === 0) throw new Error(`${file} is shorter than when it was loaded`);
          position += bytesRead;
          controller.enqueue(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
        } catch (error) {
          await close();
          controller.error(error);
        }
      },
      cancel: close,
    });
  }
}

/** How the Node server reads a media file (RepresentationStore's openMedia). */
export function nodeMediaBody(file: MediaFile): Body {
  if (file.size <= MAX_COMPRESSED_FILE_BYTES && isCompressibleType(file.type)) {
    try {
      return new Uint8Array(readFileSync(file.file));
    } catch {
      // Gone since it was loaded: the stream's open says so when it is asked for.
    }
  }
  return new FileBody(file.file, file.size);
}

/** The copy's buffer, and runs of zeros (holes of a sparse file) as long as it. */
const COPY_BYTES = 1024 * 1024;
const ZEROS = new Uint8Array(COPY_BYTES);

/** Copies a media file to `to` (the static build, the Worker's assets), as copyKeepingHoles does. */
export function copyMediaFile(file: MediaFile, to: string): void {
  copyKeepingHoles(file.file, to, file.size);
}

/**
 * Copies `from` to `to`: shared on file systems that share copies (reflinks), else read and written
 * a megabyte at a time, runs of zeros seeked over so that a sparse file stays sparse. Throws when
 * the file's size is not `size`, the one it was known by.
 */
export function copyKeepingHoles(from: string, to: string, size: number): void {
  try {
    copyFileSync(from, to, constants.COPYFILE_FICLONE_FORCE);
    return;
  } catch {
    rmSync(to, { force: true });
  }
  const source = openSync(from, constants.O_RDONLY | constants.O_NOFOLLOW);
  const target = openSync(to, 'w');
  try {
    const buffer = Buffer.allocUnsafe(COPY_BYTES);
    let position = 0;
    for (let read = readSync(source, buffer, 0, COPY_BYTES, position); read > 0; read = readSync(source, buffer, 0, COPY_BYTES, position)) {
      const chunk = buffer.subarray(0, read);
      if (!chunk.equals(ZEROS.subarray(0, read))) {
        for (let written = 0; written < read; ) written += writeSync(target, chunk, written, read - written, position + written);
      }
      position += read;
    }
    if (position !== size) throw new Error(`${from} changed while it was copied (${position} bytes, ${size} when loaded): run again`);
    // A file that ends in zeros: its length, without writing them.
    ftruncateSync(target, position);
  } finally {
    closeSync(source);
    closeSync(target);
  }
}
