/**
 * `worker-data --if-changed` where hard links cannot be made (the folder on a file system without
 * them, or across devices): the new folder takes each unchanged file by a copy, which keeps its
 * bytes and, within a microsecond, its modification time; the record holds the copy's own stamp,
 * so that the next run finds the folder as it was left.
 */
import { cp, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { changedFiles, hashTree } from '../../bench/tree.js';
import { workerDataCommand } from '../../src/cli/worker-data.js';
import { scratchFolder } from '../helpers/scratch.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';

const links = vi.hoisted(() => ({ attempted: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const linkSync = () => {
    links.attempted++;
    throw Object.assign(new Error('EXDEV: cross-device link not permitted, link'), { code: 'EXDEV' });
  };
  return { ...fs, default: { ...fs, linkSync }, linkSync };
});

const NOW = '2026-09-20T00:00:00Z';

async function workerData(...args: string[]): Promise<string> {
  let said = '';
  const io = { out: () => {}, err: (text: string) => (said += text), stdin: process.stdin, isTTY: false };
  const status = await workerDataCommand.run([...args, '--now', NOW], io);
  if (status !== 0) throw new Error(`worker-data exited with ${status}:\n${said}`);
  return said;
}

async function modificationTimes(dir: string, names: Iterable<string>): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const name of names) times.set(name, (await stat(path.join(dir, name))).mtimeMs);
  return times;
}

describe('worker-data --if-changed without hard links', () => {
  it('copies the unchanged files into the new folder with their bytes and times: the folder of a run without the cache, and the next run finds nothing to do', async () => {
    const work = await scratchFolder('feedgen-copies-');
    const articles = path.join(work, 'articles');
    await cp(BUNDLED_ARTICLES, articles, { recursive: true });
    const out = path.join(work, 'assets');
    await workerData('--articles', articles, '--out', out, '--if-changed');
    const before = await hashTree(out);
    const timesBefore = await modificationTimes(out, before.keys());

    await writeFile(path.join(articles, 'europe/rail-night-trains-return.md'), 'A correction, appended.\n', { flag: 'a' });
    expect(await workerData('--articles', articles, '--out', out, '--if-changed')).toMatch(/: \d+ written, \d+ deleted$/m);
    expect(links.attempted).toBeGreaterThan(0);

    const after = await hashTree(out);
    const changed = new Set(changedFiles(before, after));
    expect(changed.size).toBeGreaterThan(0);
    const unchanged = [...after.keys()].filter((name) => !changed.has(name));
    expect(unchanged.length).toBeGreaterThan(changed.size);
    const timesAfter = await modificationTimes(out, unchanged);
    // utimes takes seconds as a double: within a microsecond of the original, not to the nanosecond.
    for (const name of unchanged) expect(Math.abs((timesAfter.get(name) as number) - (timesBefore.get(name) as number)), name).toBeLessThan(0.001);
    for (const name of unchanged) expect((await stat(path.join(out, name))).nlink, name).toBe(1);

    await workerData('--articles', articles, '--out', path.join(work, 'clean'), '--no-cache');
    expect(changedFiles(after, await hashTree(path.join(work, 'clean')))).toEqual([]);
    expect(await workerData('--articles', articles, '--out', out, '--if-changed')).toContain('is up to date: nothing it is made from has changed since it was written');

    // The copies are as their record says: after another edit, only the files whose bytes change are written.
    await writeFile(path.join(articles, 'europe/rail-night-trains-return.md'), 'A second correction.\n', { flag: 'a' });
    const summary = /: (\d+) written, (\d+) deleted$/m.exec(await workerData('--articles', articles, '--out', out, '--if-changed'));
    const last = await hashTree(out);
    expect(Number(summary?.[1])).toBe(changedFiles(after, last).filter((name) => last.has(name)).length);
  }, 120_000);
});
