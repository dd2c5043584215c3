/**
 * `worker-data --if-changed` where hard links cannot be made (the folder on a file system without
 * them): the new folder takes each unchanged file by a copy, which keeps its bytes and, within a
 * microsecond, its modification time; the record holds the copy's own stamp, so that the next run
 * finds the folder as it was left and writes only what changed.
 */
import { cp, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFiles, hashTree } from '../../bench/tree.js';
import { loadSite } from '../../src/content/load.js';
import { throughLinks } from '../../src/runtimes/output-folder.js';
import { surveyOutput, type OutputSurvey } from '../../src/runtimes/output-survey.js';
import { recordedOutputOf, writeWorkerAssets, type WorkerAssetsResult } from '../../src/runtimes/worker-data.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import type { KeptAssets } from '../../src/state/asset-record.js';
import { scratchFolder } from '../helpers/scratch.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';

async function snapshotOf(articles: string): Promise<SiteSnapshot> {
  const { data } = await loadSite(articles);
  if (!data) throw new Error(`${articles} has no usable site`);
  return new SiteSnapshot(data);
}

/** The folder against the record the run that wrote it left, as the next run surveys it. */
function survey(out: string, kept: KeptAssets): OutputSurvey {
  return surveyOutput(throughLinks(out), recordedOutputOf(kept));
}

async function modificationTimes(dir: string, names: Iterable<string>): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const name of names) times.set(name, (await stat(path.join(dir, name))).mtimeMs);
  return times;
}

describe('worker-data --if-changed without hard links', () => {
  it('copies the unchanged files into the new folder with their bytes and times, and records the copies as they are', async () => {
    const work = await scratchFolder('feedgen-copies-');
    const articles = path.join(work, 'articles');
    await cp(BUNDLED_ARTICLES, articles, { recursive: true });
    const out = path.join(work, 'assets');
    let linksTried = 0;
    const noLinks = () => {
      linksTried++;
      throw Object.assign(new Error('EXDEV: cross-device link not permitted, link'), { code: 'EXDEV' });
    };
    // As `worker-data --if-changed` runs: a new folder swapped in, filled from the last run's.
    const run = async (last: WorkerAssetsResult) =>
      writeWorkerAssets(await snapshotOf(articles), out, { previous: { ...last.kept, survey: Promise.resolve(survey(out, last.kept)) }, link: noLinks });
    const edit = (text: string) => writeFile(path.join(articles, 'europe/rail-night-trains-return.md'), text, { flag: 'a' });

    const first = await writeWorkerAssets(await snapshotOf(articles), out);
    const before = await hashTree(out);
    const timesBefore = await modificationTimes(out, before.keys());
    await edit('A correction, appended.\n');
    const second = await run(first);
    expect(linksTried).toBeGreaterThan(0);

    const after = await hashTree(out);
    const changed = new Set(changedFiles(before, after));
    expect(changed.size).toBeGreaterThan(0);
    const unchanged = [...after.keys()].filter((name) => !changed.has(name));
    expect(unchanged.length).toBeGreaterThan(changed.size);
    const timesAfter = await modificationTimes(out, unchanged);
    // utimes takes seconds as a double: within a microsecond of the original, not to the nanosecond.
    for (const name of unchanged) expect(Math.abs((timesAfter.get(name) as number) - (timesBefore.get(name) as number)), name).toBeLessThan(0.001);
    for (const name of unchanged) expect((await stat(path.join(out, name))).nlink, name).toBe(1);
    const clean = path.join(work, 'clean');
    await writeWorkerAssets(await snapshotOf(articles), clean);
    expect(changedFiles(after, await hashTree(clean))).toEqual([]);

    // The record says what the folder holds: nothing to look at again, and after another edit only the files whose bytes change are written.
    expect(survey(out, second.kept)).toEqual({ changed: new Set(), moved: [] });
    await edit('A second correction.\n');
    const third = await run(second);
    const last = await hashTree(out);
    expect(third.written).toBe(changedFiles(after, last).filter((name) => last.has(name)).length);
  }, 120_000);
});
