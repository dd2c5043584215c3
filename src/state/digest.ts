/** The SHA-256 of text or bytes, base64url: how the cache and the ledger's reader name contents. */
import { createHash } from 'node:crypto';

export function sha256Base64url(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url');
}
