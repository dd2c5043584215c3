/** The SHA-256 of text or bytes, base64url: how the cache and the ledger's reader name contents. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function sha256Base64url(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url');
}

/** The digest of a file's bytes; '' when it cannot be read (absent counts as one content). */
export function fileDigest(file: string): string {
  try {
    return sha256Base64url(readFileSync(file));
  } catch {
    return '';
  }
}
