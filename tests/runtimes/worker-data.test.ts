/**
 * `feedgen worker-data`: the Worker's static assets. Every representation in its file with the
 * bytes the Node server sends, a manifest the Worker reads, nothing else (no Markdown, no drafts),
 * and the same bytes for whatever did not change, so that `wrangler deploy` (which uploads only
 * assets whose hash it has not seen) uploads only what a publish touched.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { changedFiles, hashTree } from '../../bench/tree.js';
import { loadSite } from '../../src/content/load.js';
import { scopeManifestPath, type ScopeManifest, type SiteManifest } from '../../src/runtimes/asset-manifest.js';
import { fileForPath } from '../../src/runtimes/static.js';
import { allResources } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { article } from '../helpers/articles.js';
import { scratchFolder } from '../helpers/scratch.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';
import { writeAssetsFor } from '../helpers/worker-bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const NOW_SECONDS = 1_790_000_000;

async function copyOfBundledArticles(): Promise<string> {
  const dir = path.join(await scratchFolder('feedgen-assets-site-'), 'articles');
  await cp(BUNDLED_ARTICLES, dir, { recursive: true });
  return dir;
}

async function manifestFile(scopeKey: string): Promise<string> {
  return (await scopeManifestPath(scopeKey)).slice(1);
}

describe('feedgen worker-data', () => {
  it('writes every representation with the bytes and validators the Node server sends, and a manifest of them, from any folder', async () => {
    const elsewhere = await scratchFolder('feedgen-cwd-');
    const out = path.join(await scratchFolder('feedgen-out-'), 'assets');
    // A copy: publishing records the articles in its ledger, which dates every representation.
    const articles = await copyOfBundledArticles();
    const { stderr } = await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'worker-data', '--articles', articles, '--out', out], {
      cwd: elsewhere,
      env: { ...process.env, SOURCE_DATE_EPOCH: String(NOW_SECONDS) },
    });
    expect(stderr).toMatch(/^feedgen worker-data: 17 articles, 282 representations \(\d+(?:\.\d)? [KM]iB\) and 61 manifest files in /m);

    const { data } = await loadSite(articles);
    const snapshot = new SiteSnapshot(data!);
    const resources = [...allResources(snapshot)];
    const files = await hashTree(out);
    const manifests = [...files.keys()].filter((name) => name.startsWith('_feedgen/'));
    expect(files.size).toBe(resources.length + manifests.length);
    expect(manifests.length).toBe(snapshot.allScopes().length + 1);
    expect([...files.keys()].filter((name) => name.endsWith('.md'))).toEqual([]);

    const site = JSON.parse(await readFile(path.join(out, '_feedgen/site.json'), 'utf8')) as SiteManifest;
    expect(site).toEqual({ basePath: '', redirects: {}, changes: [] });
    const server = await startServer(articles, undefined, { now: () => NOW_SECONDS * 1000 });
    try {
      const byScope = new Map<string, ScopeManifest>();
      for (const scope of snapshot.allScopes()) {
        byScope.set(scope.key, JSON.parse(await readFile(path.join(out, await manifestFile(scope.key)), 'utf8')) as ScopeManifest);
      }
      const listed = [...byScope.values()].flatMap((manifest) => Object.keys(manifest.resources));
      expect(listed.sort()).toEqual(resources.map((r) => r.path).sort());
      for (const manifest of byScope.values()) {
        for (const [urlPath, [etag, lastModified, facts]] of Object.entries(manifest.resources)) {
          const response = await fetch(`${server.url}${urlPath}`, { headers: { 'accept-encoding': 'identity' } });
          const body = Buffer.from(await response.arrayBuffer());
          expect(body.equals(await readFile(path.join(out, fileForPath(urlPath)))), urlPath).toBe(true);
          expect(response.headers.get('etag'), urlPath).toBe(etag);
          expect(response.headers.get('last-modified'), urlPath).toBe(lastModified === null ? null : new Date(lastModified).toUTCString());
          expect(response.headers.get('content-type'), urlPath).toBe(manifest.facts[facts]?.contentType);
        }
      }
    } finally {
      await server.close();
    }
  });

  it('leaves the assets folder as it was when an article is invalid', async () => {
    const articles = await copyOfBundledArticles();
    const out = await writeAssetsFor(articles);
    const before = await hashTree(out);
    await writeFile(path.join(articles, 'us', 'broken.md'), article('title: Broken\ndate: 2019-02-30'));
    await expect(run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'worker-data', '--articles', articles, '--out', out])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/broken\.md:3: .*\n.*left as it was/),
    });
    expect(await hashTree(out)).toEqual(before);
  });

  it('writes the same bytes, manifests included, when nothing changed', async () => {
    const [first, second] = await Promise.all([writeAssetsFor(BUNDLED_ARTICLES), writeAssetsFor(BUNDLED_ARTICLES)]);
    expect(changedFiles(await hashTree(first), await hashTree(second))).toEqual([]);
  });

  it('changes only the files of the scopes a newly published article is in', async () => {
    const articles = await copyOfBundledArticles();
    const before = await hashTree(await writeAssetsFor(articles));
    await writeFile(path.join(articles, 'asia', 'south', 'new-story.md'), article('title: A new story\ndate: 2024-01-15 09:00'));
    const after = await hashTree(await writeAssetsFor(articles));

    // Each scope's page and subscription documents (the site has no full archive yet: every item waits there).
    const scopeFiles = (folder: string) => ['index.html', 'rss.xml', 'atom.xml', 'feed.json'].map((name) => `${folder}${name}`);
    const expected = [
      'asia/south/new-story/index.html',
      ...scopeFiles(''),
      ...scopeFiles('asia/'),
      ...scopeFiles('asia/south/'),
      // Its edition (inherited from asia/) and its author (the site's): their feeds and the lists' counts.
      ...scopeFiles('editions/asia/'),
      ...scopeFiles('authors/world-desk/'),
      'authors/index.html',
      'editions/index.html',
      'editions/asia/opml.xml',
      'editions/opml.xml',
      // The sitemap lists its page (the news sitemap lists only articles of the last two days).
      'sitemap.xml',
      await manifestFile(''),
      await manifestFile('asia'),
      await manifestFile('asia/south'),
      await manifestFile('editions/asia'),
      await manifestFile('authors/world-desk'),
    ];
    expect(changedFiles(before, after)).toEqual(expected.sort());
    expect(after.size).toBe(before.size + 1);
  });

  it('from its cache, writes only the files whose bytes changed and deletes those no longer produced: the bytes of a run without it', async () => {
    const articles = await copyOfBundledArticles();
    const work = path.dirname(articles);
    const out = path.join(work, 'assets');
    const env = { ...process.env, SOURCE_DATE_EPOCH: String(NOW_SECONDS) };
    const workerData = async (to: string, ...extra: string[]) => {
      const { stderr } = await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'worker-data', '--articles', articles, '--out', to, ...extra], { env });
      const counts = /: (\d+) written, (\d+) deleted$/m.exec(stderr);
      if (!counts) throw new Error(`no summary line in:\n${stderr}`);
      return { written: Number(counts[1]), deleted: Number(counts[2]) };
    };
    try {
      await workerData(out);
      // A body corrected; then an article scheduled (its version of the site rendered ahead); then both gone.
      const edits = [
        () => writeFile(path.join(articles, 'europe/rail-night-trains-return.md'), 'A correction, appended.\n', { flag: 'a' }),
        () => writeFile(path.join(articles, 'asia', 'later.md'), article(`title: Later\ndate: ${new Date((NOW_SECONDS + 3600) * 1000).toISOString().slice(0, 16).replace('T', ' ')}\ntimezone: UTC`)),
        () => Promise.all([rm(path.join(articles, 'asia', 'later.md')), rm(path.join(articles, 'europe/rail-night-trains-return.md'))]),
      ];
      for (const edit of edits) {
        const before = await hashTree(out);
        await edit();
        const { written, deleted } = await workerData(out);
        const after = await hashTree(out);
        const changed = changedFiles(before, after);
        expect(written, 'files written').toBe(changed.filter((name) => after.has(name)).length);
        expect(deleted, 'files deleted').toBe(changed.filter((name) => !after.has(name)).length);
        expect(written).toBeLessThan(after.size / 4);
        await rm(path.join(work, 'clean'), { recursive: true, force: true });
        await workerData(path.join(work, 'clean'), '--no-cache');
        expect(changedFiles(after, await hashTree(path.join(work, 'clean'))), 'against a run without the cache').toEqual([]);
      }
      // Changed by hand: a file's bytes, and a name added beside it. The next run puts the folder back as it was.
      const names = [...(await hashTree(out)).keys()];
      const changed = path.join(out, names.find((name) => name.startsWith('europe/')) as string);
      await writeFile(changed, 'changed by hand', { flag: 'a' });
      await writeFile(path.join(path.dirname(changed), 'stray.txt'), 'a stray file');
      expect(await workerData(out)).toEqual({ written: 1, deleted: 1 });
      expect(changedFiles(await hashTree(out), await hashTree(path.join(work, 'clean')))).toEqual([]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 60_000);

  it('holds nothing of a draft', async () => {
    const articles = await copyOfBundledArticles();
    const marker = 'Embargoed-9f3a1c';
    await writeFile(path.join(articles, 'us', 'embargoed.md'), article(`title: ${marker}\ndate: 2024-01-15 09:00\ndraft: true`, `${marker} body.`));
    const out = await writeAssetsFor(articles);
    const files = await hashTree(out);
    expect([...files.keys()].filter((name) => name.includes('embargoed'))).toEqual([]);
    for (const name of files.keys()) expect((await readFile(path.join(out, name), 'utf8')).includes(marker), name).toBe(false);
  });
});
