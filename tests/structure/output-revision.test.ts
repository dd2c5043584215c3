/**
 * OUTPUT_REVISION (src/state/history.ts) dates every resource anew when feedgen's output changes,
 * so that a poller holding older bytes never gets 304 for new ones. This test keeps it honest: it
 * renders a fixed generated site and compares a digest of every resource's bytes and header facts
 * with the one recorded for the current revision. Change the output, and it asks for a new revision.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCorpus } from '../../bench/corpus.js';
import { loadSite } from '../../src/content/load.js';
import { EntryCache } from '../../src/feeds/entries.js';
import { renderResource } from '../../src/publish/render.js';
import { responseFacts } from '../../src/publish/store.js';
import { allResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { OUTPUT_REVISION, publicationOf, recordHistory } from '../../src/state/history.js';
import { Ledger } from '../../src/state/ledger.js';
import { chunksToBytes } from '../../src/feeds/chunks.js';

const FIXTURE = new URL('../fixtures/output-revision.json', import.meta.url).pathname;

const EXTRA_FILES: Record<string, string> = {
  'podcast/_index.md': `---
title: The Desk Podcast
content: summary
podcast:
  image: ../media/podcast/cover.png
  categories: [News > Daily News]
  owner: { name: Desk, email: podcast@example.com }
---
`,
  'podcast/episode-one.md': `---
title: Episode one
date: 2024-03-04 07:00
summary: The first one.
episode: 1
duration: 4
image: ../../media/podcast/cover.png
enclosures:
  - { url: ../../media/podcast/one.mp3, type: audio/mpeg, length: 3, title: Episode one }
---

A body with <figure><img src="map.png" alt="A map"><figcaption>raw HTML</figcaption></figure>, a
[data: link](data:text/plain,hi) and a [relative one](../).
`,
  'media/podcast/cover.png': 'not really a PNG',
  'media/podcast/one.mp3': 'mp3',
};
const NOW = Date.parse('2030-01-01T00:00:00Z');
let scratch: string | undefined;
afterAll(() => (scratch ? rm(scratch, { recursive: true, force: true }) : undefined));

describe('OUTPUT_REVISION', () => {
  it('is raised with every change to what feedgen writes', async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'feedgen-revision-'));
    const articles = await ensureCorpus(60, `${scratch}/`);
    const index = path.join(articles, '_index.md');
    await writeFile(index, (await readFile(index, 'utf8')).replace(/^feed_limit: .*$/m, 'feed_limit: 5\narchive_size: 7\narchives: [site, sections, tags, authors, editions]'));
    // What the corpus lacks: a podcast with its cover and an episode, a lead image, raw HTML, a data: link, summary feeds.
    for (const [file, text] of Object.entries(EXTRA_FILES)) {
      await mkdir(path.dirname(path.join(articles, file)), { recursive: true });
      await writeFile(path.join(articles, file), text);
    }
    const { data } = await loadSite(articles);
    if (!data) throw new Error('the generated site does not load');
    const ledger = new Ledger();
    recordHistory(ledger, data, NOW);
    const snapshot = new SiteSnapshot(data, publicationOf(ledger, data, NOW));
    const hash = createHash('sha256');
    const entries = new EntryCache();
    for (const { path: urlPath, resource } of allResources(snapshot)) {
      if (resource.kind === 'media') continue;
      const rendered = renderResource(snapshot, resource, entries);
      hash.update(`${urlPath}\n${JSON.stringify(responseFacts(snapshot, rendered))}\n`).update(chunksToBytes(rendered.chunks));
    }
    const digest = hash.digest('base64url');
    const recorded = JSON.parse(await readFile(FIXTURE, 'utf8')) as { revision: number; digest: string };
    const record = `${JSON.stringify({ revision: OUTPUT_REVISION, digest })}\n`;
    expect(recorded.revision, `OUTPUT_REVISION is ${OUTPUT_REVISION}, the fixture records ${recorded.revision}: write ${record} to tests/fixtures/output-revision.json`).toBe(OUTPUT_REVISION);
    expect(digest, `feedgen's output changed: raise OUTPUT_REVISION in src/state/history.ts, and write {"revision": <it>, "digest": "${digest}"} to tests/fixtures/output-revision.json`).toBe(recorded.digest);
  });
});
