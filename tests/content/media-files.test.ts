/**
 * A media file is known by its size and the hash of its bytes (its strong ETag), never by its
 * bytes; the hash is read from the file once and kept by the file's stamp, so that a large file
 * is not read again by every run (the cache folder keeps them between runs: runtimes/cache.ts).
 */
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { stampOf } from '../../src/content/source.js';
import { strongEtag } from '../../src/publish/store.js';
import { writeArticles } from '../helpers/articles.js';

describe('media files', () => {
  it('carry their path, type, size, hash and place on disk, not their bytes', async () => {
    const dir = await writeArticles({ 'media/show/ep.mp3': 'ID3 and the rest' });
    const { data } = await loadSite(dir);
    expect(data?.media).toEqual([
      {
        path: ['media', 'show', 'ep.mp3'],
        type: 'audio/mpeg',
        size: 16,
        hash: (await strongEtag(new TextEncoder().encode('ID3 and the rest'))).slice(1, -1),
        file: path.join(dir, 'media', 'show', 'ep.mp3'),
      },
    ]);
  });

  it('are not read again while their stamp holds, and are when it does not', async () => {
    const dir = await writeArticles({ 'media/ep.mp3': 'first version' });
    const file = path.join(dir, 'media', 'ep.mp3');
    const first = await loadSite(dir);
    const known = first.mediaHashes.get('media/ep.mp3');
    expect(known?.hash).toBe(first.data?.media[0]?.hash);
    // A stamp taken long after the file's last change holds: the hash kept is used, unread.
    const settled = { stamp: { ...stampOf(statSync(file)), takenAt: Date.now() + 60_000 }, hash: 'kept-not-read' };
    const again = await loadSite(dir, { mediaHashes: new Map([['media/ep.mp3', settled]]) });
    expect(again.data?.media[0]?.hash).toBe('kept-not-read');
    expect(again.mediaHashes.get('media/ep.mp3')).toBe(settled);
    // Rewritten: its stamp no longer holds, and it is read.
    await writeFile(file, 'second version, longer');
    const edited = await loadSite(dir, { mediaHashes: again.mediaHashes });
    expect(edited.data?.media[0]).toMatchObject({ size: 22, hash: (await strongEtag(new TextEncoder().encode('second version, longer'))).slice(1, -1) });
  });
});
