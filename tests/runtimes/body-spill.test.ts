/**
 * A large load moves article bodies out of memory as they are parsed (runtimes/cache.ts BodySpill):
 * nothing the site serves may change, with the parse cache or without it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import type { ArticleData } from '../../src/content/model.js';
import { BodySpill, ParseCacheFolder, bodyLocator } from '../../src/state/cache.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';
import { renderSite, type RenderedSite } from '../helpers/site.js';

const bodyIsRead = (article: ArticleData) => typeof Object.getOwnPropertyDescriptor(article, 'html')?.get === 'function';

let scratch: string;
let kept: RenderedSite;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'feedgen-spill-'));
  kept = await renderSite(BUNDLED_ARTICLES);
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('bodies spilled by a large load', () => {
  it('are read back when rendered: every resource has the same bytes as with the bodies kept', async () => {
    const spilled = await renderSite(BUNDLED_ARTICLES, { spill: new BodySpill(0) });
    expect(spilled.data.articles.length).toBe(kept.data.articles.length);
    expect(spilled.data.articles.every(bodyIsRead)).toBe(true);
    expect(spilled.data.articles.map((a) => a.html)).toEqual(kept.data.articles.map((a) => a.html));
    expect(spilled.resources.map((r) => [r.path, r.rendered.body])).toEqual(kept.resources.map((r) => [r.path, r.rendered.body]));
  });

  it('stay in memory when the load parses fewer articles than the spill is for', async () => {
    const { data } = await loadSite(BUNDLED_ARTICLES, { spill: new BodySpill(1000) });
    expect(data!.articles.some(bodyIsRead)).toBe(false);
  });

  it('stay in memory when the spill file cannot be written, and the load goes on', async () => {
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = path.join(scratch, 'no such folder', 'below');
    try {
      const { data, problems } = await loadSite(BUNDLED_ARTICLES, { spill: new BodySpill(0) });
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(data!.articles.some(bodyIsRead)).toBe(false);
      expect(data!.articles.map((a) => a.html)).toEqual(kept.data.articles.map((a) => a.html));
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
  });

  it('go into the parse cache as bodies kept in memory do, and come back from it the same', async () => {
    const cacheDir = path.join(scratch, 'cache');
    const folder = new ParseCacheFolder(cacheDir);
    const first = await loadSite(BUNDLED_ARTICLES, { cache: folder.read(), changed: 'stat', spill: new BodySpill(0) });
    folder.write(first.cache);
    const again = new ParseCacheFolder(cacheDir);
    const second = await loadSite(BUNDLED_ARTICLES, { cache: again.read(), changed: 'stat', spill: new BodySpill(0) });
    expect(second.cached).toBe(kept.data.articles.length);
    expect(second.data!.articles.map((a) => a.html)).toEqual(kept.data.articles.map((a) => a.html));
    folder.close();
    again.close();
  });

  it('move into the packs of the parse cache with the copies translations are linked on, so that a kept snapshot can name where every body lies', async () => {
    const folder = new ParseCacheFolder(path.join(scratch, 'cache-linked'));
    const { data, cache } = await loadSite(BUNDLED_ARTICLES, { cache: folder.read(), changed: 'stat', spill: new BodySpill(0) });
    const linked = data!.articles.filter((article) => article.translations !== undefined);
    expect(linked.length).toBeGreaterThan(1);
    const locate = bodyLocator();
    // In the spill file, which has no name: nowhere a kept snapshot could point.
    expect(linked.map(locate)).toEqual(linked.map(() => undefined));
    folder.write(cache);
    expect(data!.articles.every((article) => locate(article) !== undefined)).toBe(true);
    expect(data!.articles.map((a) => a.html)).toEqual(kept.data.articles.map((a) => a.html));
    folder.close();
  });
});
