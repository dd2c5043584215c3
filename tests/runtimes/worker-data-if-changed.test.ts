/**
 * `worker-data --if-changed`, which wrangler.toml's build step runs: a run whose inputs are as the
 * last run into the same folder left them does nothing (wrangler dev runs the step again at start
 * and at every file event, the ledger's included), and runs at once wait for each other.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { seeInputs, settledRecord, upToDate, type OutputRecord } from '../../src/state/up-to-date.js';
import { article, writeArticles } from '../helpers/articles.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

interface Run {
  code: number;
  stderr: string;
}

function workerData(cwd: string, ...args: string[]): Promise<Run> {
  return run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'worker-data', '--out', 'assets', ...args], { cwd }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: Run) => error,
  );
}

const RENDERED = /^feedgen worker-data: 2 articles, \d+ representations/m;
const IDLE = 'feedgen worker-data: assets is up to date: nothing it is made from has changed since it was written\n';

async function site(): Promise<{ articles: string; cwd: string }> {
  const articles = await writeArticles({
    'news/_index.md': '---\ntitle: News\n---\n',
    'news/a.md': article('title: A\ndate: 2020-01-01 10:00\nautor: Me'),
    'news/b.md': article('title: B\ndate: 2020-01-02 10:00'),
  });
  return { articles, cwd: path.dirname(articles) };
}

describe('worker-data --if-changed', () => {
  it('is in the usage line, and the build step of wrangler.toml uses it', async () => {
    const help = await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'worker-data', '--help']);
    expect(help.stdout).toMatch(/^Usage: feedgen worker-data .*\[--if-changed\]/m);
    expect(await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8')).toMatch(/^command = ".* worker-data --if-changed"$/m);
  });

  it('does nothing when nothing changed, saying again what the run that wrote the folder said', async () => {
    const { cwd } = await site();
    const first = await workerData(cwd, '--if-changed');
    expect(first.stderr).toMatch(RENDERED);
    const folder = await stat(path.join(cwd, 'assets'));
    const again = await workerData(cwd, '--if-changed');
    expect(again).toEqual({ code: 0, stderr: `articles/news/a.md:4: warning: unknown key "autor": did you mean "author"?\n${IDLE}` });
    expect((await stat(path.join(cwd, 'assets'))).ino).toBe(folder.ino);
    // Without the option, or without the cache, every run writes.
    expect((await workerData(cwd)).stderr).toMatch(RENDERED);
    expect((await workerData(cwd, '--if-changed', '--no-cache')).stderr).toMatch(RENDERED);
  });

  it('writes again after an article, the ledger, an option or the assets folder changed', async () => {
    const { articles, cwd } = await site();
    await workerData(cwd, '--if-changed');
    await writeFile(path.join(articles, 'news/b.md'), article('title: B, corrected\ndate: 2020-01-02 10:00'));
    expect((await workerData(cwd, '--if-changed')).stderr).toMatch(RENDERED);
    expect((await workerData(cwd, '--if-changed')).stderr).toContain(IDLE);
    await writeFile(path.join(articles, '_ledger.tsv'), '');
    expect((await workerData(cwd, '--if-changed')).stderr).toMatch(RENDERED);
    expect((await workerData(cwd, '--if-changed', '--base-url', 'https://elsewhere.example')).stderr).toMatch(RENDERED);
    expect((await workerData(cwd, '--if-changed', '--base-url', 'https://elsewhere.example')).stderr).toContain(IDLE);
    await rm(path.join(cwd, 'assets'), { recursive: true });
    expect((await workerData(cwd, '--if-changed', '--base-url', 'https://elsewhere.example')).stderr).toMatch(RENDERED);
  });

  it('renders once when several runs start at once: the others wait, then find nothing to do', async () => {
    const { cwd } = await site();
    const runs = await Promise.all([1, 2, 3].map(() => workerData(cwd, '--if-changed')));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs.filter((r) => RENDERED.test(r.stderr))).toHaveLength(1);
    expect(runs.filter((r) => r.stderr.endsWith(IDLE))).toHaveLength(2);
  });

  it('is out of date once the next scheduled change has come', async () => {
    const { articles, cwd } = await site();
    const out = path.join(cwd, 'no-assets-yet');
    const inputs = seeInputs(articles, { baseUrl: undefined });
    const until = Date.UTC(2999, 0, 1);
    const record: OutputRecord = { ...inputs, ledger: '', out: '', until, problems: [], status: 0 };
    expect(upToDate(record, seeInputs(articles, { baseUrl: undefined }), articles, out, until - 1)).toBe(true);
    expect(upToDate(record, seeInputs(articles, { baseUrl: undefined }), articles, out, until)).toBe(false);
    expect(upToDate(record, seeInputs(articles, { baseUrl: 'https://elsewhere.example' }), articles, out, until - 1)).toBe(false);
  });

  it('compares files that had just changed when it ran by their text, and by their stats once they have settled', async () => {
    const { articles, cwd } = await site();
    const out = path.join(cwd, 'no-assets-yet');
    const fresh = seeInputs(articles, {});
    const record: OutputRecord = { ...fresh, ledger: '', out: '', problems: [], status: 0 };
    expect([...record.files.values()].every((stamp) => stamp.hash !== undefined)).toBe(true);
    expect(settledRecord(record, seeInputs(articles, {}))).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const later = seeInputs(articles, {});
    expect(upToDate(record, later, articles, out, Date.now())).toBe(true);
    const settled = settledRecord(record, later) as OutputRecord;
    expect([...settled.files.values()].some((stamp) => stamp.hash !== undefined)).toBe(false);
    expect(upToDate(settled, later, articles, out, Date.now())).toBe(true);
    expect(settledRecord(settled, later)).toBeUndefined();
    await writeFile(path.join(articles, 'news/b.md'), article('title: B, corrected\ndate: 2020-01-02 10:00'));
    expect(upToDate(settled, seeInputs(articles, {}), articles, out, Date.now())).toBe(false);
  });
});
