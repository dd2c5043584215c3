/**
 * The opaque part of the strong ETag of bytes whose SHA-256 is `digest`: base64url of its first 18
 * bytes. Every representation's ETag is this, quoted (publish/store.ts); media files are hashed
 * where they are read (media-files.ts). Web APIs only, as the Worker's code imports it.
 */
export function contentTag(digest: Uint8Array): string {
  let binary = '';
  for (const byte of digest.subarray(0, 18)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_');
}
