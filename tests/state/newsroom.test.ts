/**
 * The published state as a newsroom works with it, each case a reproduction of what went wrong
 * before: branches that merge with plain git, a preview that writes no history, incremental builds
 * equal to clean ones after any sequence of builds, `serve --watch` that sees renames and
 * deletions, a read-only checkout, reused URLs, a broken ledger fixed under a running server, names
 * the ledger cannot hold, and a cache keyed by every package the output depends on.
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeServer } from '../../src/runtimes/node.js';
import { fingerprintOf } from '../../src/state/fingerprint.js';
import { LEDGER_GITATTRIBUTES } from '../../src/state/ledger.js';
import { article } from '../helpers/articles.js';
import { BUNDLED_ARTICLES } from '../helpers/server.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const T1 = 1_790_000_000;
const BASE = 'https://feeds.example.com';
const SITE = `---\ntitle: Desk\nauthor: Desk\nbase_url: ${BASE}\ntimezone: UTC\nfeed_limit: 2\narchive_size: 2\n---\n`;

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

/** A project folder: articles/ with the site settings and `files`, and the .gitattributes feedgen init writes. */
async function project(files: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'feedgen-newsroom-'));
  folders.push(root);
  for (const [relative, text] of Object.entries({ '_index.md': SITE, '.gitattributes': LEDGER_GITATTRIBUTES, ...files })) {
    await mkdir(path.dirname(path.join(root, 'articles', relative)), { recursive: true });
    await writeFile(path.join(root, 'articles', relative), text);
  }
  return root;
}

async function feedgen(root: string, args: string[], epochSeconds: number, options: { uid?: number; env?: Record<string, string> } = {}) {
  return run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args], {
    cwd: root,
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epochSeconds), ...options.env },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

async function git(root: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Desk', '-c', 'user.email=desk@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: root });
  return stdout;
}

/** Every file under `dir` with its bytes and modification time, for comparing two builds. */
async function tree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = `${(await stat(file)).mtimeMs} ${(await readFile(file)).toString('base64')}`;
  }
  return files;
}

const story = (n: number, extra = '') => article(`title: Story ${n}\ndate: 2026-01-${String(n).padStart(2, '0')} 10:00${extra ? `\n${extra}` : ''}`);

/**
 * `root` as a git repository whose main branch is built at T1 and committed, and a branch `other`
 * from it that publishes story 3 at T1 + 60 and commits: left checked out on `other`.
 */
async function forkPublishingStory3(root: string): Promise<void> {
  await git(root, 'init', '-q');
  await writeFile(path.join(root, '.gitignore'), 'dist/\n.feedgen-cache/\n');
  expect((await feedgen(root, ['build'], T1)).code).toBe(0);
  await git(root, 'add', '-A');
  await git(root, 'commit', '-qm', 'first');
  await git(root, 'checkout', '-qb', 'other');
  await writeFile(path.join(root, 'articles/news/story-3.md'), story(3));
  expect((await feedgen(root, ['build'], T1 + 60)).code).toBe(0);
  await git(root, 'add', '-A');
  await git(root, 'commit', '-qm', 'story 3');
}

describe('branches', () => {
  it('that each publish an article merge with plain git, adjacent ledger lines and all; the merged article keeps its publication and is dated anew', async () => {
    const root = await project({ 'news/story-1.md': story(1) });
    await forkPublishingStory3(root);
    const published = (await readFile(path.join(root, 'articles/_ledger.tsv'), 'utf8')).match(/^article\tnews\/story-3\t(\S+)/m)?.[1];
    await git(root, 'checkout', '-q', 'main');
    // Next to story 3 in the sorted file: the lines are adjacent.
    await writeFile(path.join(root, 'articles/news/story-2.md'), story(2));
    expect((await feedgen(root, ['build'], T1 + 120)).code).toBe(0);
    await git(root, 'add', '-A');
    await git(root, 'commit', '-qm', 'story 2');
    const lastModified = (await stat(path.join(root, 'dist/news/rss.xml'))).mtimeMs;

    await git(root, 'merge', '-q', '--no-edit', 'other');
    expect(await git(root, 'status', '--porcelain')).toBe('');
    const built = await feedgen(root, ['build'], T1 + 180);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).not.toMatch(/ledger|moved/);
    const ledger = await readFile(path.join(root, 'articles/_ledger.tsv'), 'utf8');
    expect(ledger.match(/^article\tnews\/story-3\t(\S+)/m)?.[1]).toBe(published);
    expect(ledger.match(/^clock\t/gm)).toHaveLength(1);
    expect(ledger).toMatch(/^merge\t/m);
    expect((await stat(path.join(root, 'dist/news/rss.xml'))).mtimeMs).toBeGreaterThan(lastModified);
    expect(await readFile(path.join(root, 'dist/news/rss.xml'), 'utf8')).toContain('<title>Story 3</title>');
  }, 60_000);

  // Found on re-reading the merge rule: the merge was dated just after the two sides' last runs,
  // before a change readers of one side had already seen, made on schedule with no run since.
  const SCHEDULED = Date.UTC(2026, 8, 22) / 1000;
  it.each([
    ['a scheduled article went out', { 'news/story-9.md': article('title: Story 9\ndate: 2026-09-22 00:00') }],
    ['an article expired', { 'news/story-1.md': story(1, 'expires: 2026-09-22 00:00') }],
  ])('are dated after what readers of one side saw change on schedule since its last run (%s)', async (_case, onMain) => {
    const root = await project({ 'news/story-1.md': story(1), 'news/story-2.md': story(2) });
    await forkPublishingStory3(root);
    await git(root, 'checkout', '-q', 'main');
    for (const [file, text] of Object.entries(onMain)) await writeFile(path.join(root, 'articles', file), text);
    expect((await feedgen(root, ['build'], T1 + 120)).code).toBe(0);
    await git(root, 'add', '-A');
    await git(root, 'commit', '-qm', 'on main');
    // The deployed main an hour after the scheduled instant, with no run since (what the Worker's
    // assets rendered ahead serve), as a poller saw it.
    const server = await startNodeServer({ articlesDir: path.join(root, 'articles'), port: 0, host: '127.0.0.1', preview: true, now: () => (SCHEDULED + 3600) * 1000, log: () => {} });
    const seen = await fetch(`${server.url}/news/rss.xml`);
    const [seenModified, seenBody] = [seen.headers.get('last-modified') as string, await seen.text()];
    await server.close();
    expect(Date.parse(seenModified) / 1000).toBe(SCHEDULED);

    await git(root, 'merge', '-q', '--no-edit', 'other');
    const built = await feedgen(root, ['build'], SCHEDULED + 7200);
    expect(built.code, built.stderr).toBe(0);
    const body = await readFile(path.join(root, 'dist/news/rss.xml'), 'utf8');
    expect(body).toContain('<title>Story 3</title>');
    expect(body).not.toBe(seenBody);
    expect((await stat(path.join(root, 'dist/news/rss.xml'))).mtimeMs).toBeGreaterThan(Date.parse(seenModified));
  }, 60_000);
});

describe('a preview', () => {
  it('on another port (npm start with PORT) links where it serves, warns of no move, and leaves the committed ledger as it was', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'feedgen-newsroom-'));
    folders.push(root);
    await cp(BUNDLED_ARTICLES, path.join(root, 'articles'), { recursive: true });
    await writeFile(path.join(root, 'articles/us/preview-only.md'), story(9));
    const ledgerBefore = await readFile(path.join(root, 'articles/_ledger.tsv'), 'utf8');
    const server = spawn(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'serve'], { cwd: root, env: { ...process.env, PORT: '0' } });
    let log = '';
    server.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        server.stderr.on('data', () => {
          const found = /serving \d+ articles.* at (http:\/\/\S+?)\//.exec(log);
          if (found) resolve(found[1] as string);
        });
        server.once('exit', () => reject(new Error(log)));
      });
      const rss = await (await fetch(`${url}/rss.xml`)).text();
      expect(rss).toContain(`<link>${url}/</link>`);
      expect(rss).not.toContain('127.0.0.1:8787');
      expect(rss).toContain('<title>Story 9</title>');
      expect(log).toContain('a preview');
      expect(log).not.toMatch(/moved|"id" changed/);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    expect(await readFile(path.join(root, 'articles/_ledger.tsv'), 'utf8')).toBe(ledgerBefore);
  }, 60_000);

  it('keeps its own Last-Modified across its restarts in the cache, and a production server at its base_url records', async () => {
    const root = await project({ 'news/story-1.md': story(1) });
    const articles = path.join(root, 'articles');
    const cacheDir = path.join(root, '.feedgen-cache/articles');
    const serveAt = async (now: number, preview: boolean) => {
      const server = await startNodeServer({ articlesDir: articles, port: 0, host: '127.0.0.1', preview, cacheDir, now: () => now * 1000, log: () => {} });
      const lastModified = (await fetch(`${server.url}/news/rss.xml`)).headers.get('last-modified');
      await server.close();
      return lastModified;
    };
    const first = await serveAt(T1, true);
    expect(await readFile(path.join(articles, '_ledger.tsv'), 'utf8').catch(() => 'none')).toBe('none');
    expect(await serveAt(T1 + 60, true)).toBe(first);
    // Behind a proxy, at the public base_url: history is recorded.
    await serveAt(T1 + 120, false);
    expect(await readFile(path.join(articles, '_ledger.tsv'), 'utf8')).toMatch(/^article\tnews\/story-1\t/m);
  });
});

describe('incremental builds', () => {
  it('equal a clean build, file for file, byte for byte, mtime for mtime, whatever builds ran between', async () => {
    const root = await project({ 'news/story-1.md': story(1, 'tags: [A]'), 'news/story-2.md': story(2) });
    expect((await feedgen(root, ['build'], T1)).code).toBe(0);
    await writeFile(path.join(root, 'articles/news/x.md'), story(3, 'tags: [OnlyX]'));
    expect((await feedgen(root, ['build', '--no-cache'], T1 + 60)).code).toBe(0);
    expect(await stat(path.join(root, 'dist/tags/onlyx/index.html')).then(() => true)).toBe(true);
    await rm(path.join(root, 'articles/news/x.md'));
    expect((await feedgen(root, ['build'], T1 + 120)).code).toBe(0);
    await expect(stat(path.join(root, 'dist/news/x/index.html'))).rejects.toThrow(/ENOENT/);
    await expect(stat(path.join(root, 'dist/tags/onlyx'))).rejects.toThrow(/ENOENT/);
    expect((await feedgen(root, ['build', '--no-cache', '--out', 'clean'], T1 + 180)).code).toBe(0);
    expect(await tree(path.join(root, 'dist'))).toEqual(await tree(path.join(root, 'clean')));
  });
});

describe('serve --watch', () => {
  it('sees an article added, edited by rename (sed -i) and deleted, and a poller with If-Modified-Since gets 200 each time', async () => {
    const root = await project({ 'news/story-1.md': story(1) });
    const articles = path.join(root, 'articles');
    let now = T1 * 1000;
    const server = await startNodeServer({ articlesDir: articles, port: 0, host: '127.0.0.1', watch: true, now: () => now, log: () => {} });
    try {
      const poll = async (since: string | null) => {
        const response = await fetch(`${server.url}/news/rss.xml`, { headers: since ? { 'if-modified-since': since } : {} });
        return { status: response.status, body: await response.text(), lastModified: response.headers.get('last-modified') };
      };
      let seen = await poll(null);
      const step = async (change: () => Promise<unknown>, expectTitle: string | undefined) => {
        now += 60_000;
        const reloaded = server.reloaded();
        await change();
        await reloaded;
        const after = await poll(seen.lastModified);
        expect(after.status).toBe(200);
        if (expectTitle) expect(after.body).toContain(expectTitle);
        seen = after;
      };
      await step(() => writeFile(path.join(articles, 'news/late.md'), story(5)), '<title>Story 5</title>');
      await step(() => run('sed', ['-i', 's/Story 5/Story 5, corrected/', path.join(articles, 'news/late.md')]), '<title>Story 5, corrected</title>');
      await step(() => rm(path.join(articles, 'news/late.md')), undefined);
      expect(seen.body).not.toContain('Story 5');
    } finally {
      await server.close();
    }
  });
});

describe('a checkout the run cannot write', () => {
  const asNobody = process.getuid?.() === 0 ? 65534 : undefined;

  it('fails before it touches the output when there is history to record, and publishes when there is none', async () => {
    const root = await project({ 'news/story-1.md': story(1) });
    expect((await feedgen(root, ['build', '--out', 'out/dist'], T1)).code).toBe(0);
    await writeFile(path.join(root, 'articles/news/story-2.md'), story(2));
    const out = path.join(root, 'out');
    if (asNobody !== undefined) {
      await chmod(root, 0o755);
      await chown(out, asNobody, asNobody);
      for (const entry of await readdir(out, { recursive: true })) await chown(path.join(out, entry), asNobody, asNobody);
    } else await chmod(path.join(root, 'articles'), 0o555);
    const before = await tree(path.join(out, 'dist'));
    const refused = await feedgen(root, ['build', '--out', 'out/dist', '--no-cache'], T1 + 60, { uid: asNobody });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot record the publish ledger');
    expect(refused.stderr).toContain('out/dist left as it was');
    expect(await tree(path.join(out, 'dist'))).toEqual(before);
    const assets = await feedgen(root, ['worker-data', '--out', 'out/assets', '--no-cache'], T1 + 60, { uid: asNobody });
    expect(assets.code).toBe(1);
    await expect(stat(path.join(out, 'assets'))).rejects.toThrow(/ENOENT/);
    // A preview records nothing, so it may run.
    expect((await feedgen(root, ['build', '--out', 'out/dist', '--no-cache', '--preview'], T1 + 60, { uid: asNobody })).code).toBe(0);
    await chmod(path.join(root, 'articles'), 0o755);
  });
});

describe('URLs', () => {
  it('that an article moved away from and a new one takes: _redirects leaves them out, and check warns', async () => {
    const root = await project({ 'news/story-1.md': story(1), 'news/x.md': story(2) });
    expect((await feedgen(root, ['build'], T1)).code).toBe(0);
    await rename(path.join(root, 'articles/news/x.md'), path.join(root, 'articles/news/y.md'));
    expect((await feedgen(root, ['build'], T1 + 60)).code).toBe(0);
    expect(await readFile(path.join(root, 'dist/_redirects'), 'utf8')).toBe('/news/x/ /news/y/ 301\n');
    await writeFile(path.join(root, 'articles/news/x.md'), story(3));
    const checked = await feedgen(root, ['check'], T1 + 120);
    expect(checked.stdout).toContain('articles/news/x.md:1: warning: its URL /news/x/ was the address of an article that moved to /news/y/');
    expect((await feedgen(root, ['build'], T1 + 120)).code).toBe(0);
    expect(await readFile(path.join(root, 'dist/_redirects'), 'utf8')).toBe('');
    expect(await readFile(path.join(root, 'dist/news/x/index.html'), 'utf8')).toContain('Story 3');
  });

  it('from names the ledger cannot hold (a tab, a line break) are refused at the file', async () => {
    const root = await project({ 'news/story-1.md': story(1), 'news/tab\there.md': story(2), 'news/line\nbreak/a.md': story(3) });
    const checked = await feedgen(root, ['check'], T1);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('articles/news/tab\there.md:1: file name "tab\there.md" contains a tab or a line break, which the publish ledger cannot record: rename the file');
    expect(checked.stdout).toContain('articles/news/line\\nbreak:1: folder name "line\\nbreak" contains a tab or a line break');
    expect((await feedgen(root, ['build'], T1)).code).toBe(1);
    await expect(stat(path.join(root, 'articles/_ledger.tsv'))).rejects.toThrow(/ENOENT/);
  });
});

describe('a server whose ledger is broken', () => {
  it('serves, saves nothing over it, and records again once a person has fixed it', async () => {
    const root = await project({ 'news/story-1.md': story(1) });
    const articles = path.join(root, 'articles');
    await writeFile(path.join(articles, '_ledger.tsv'), 'article\tbroken\n');
    const logs: string[] = [];
    const server = await startNodeServer({ articlesDir: articles, port: 0, host: '127.0.0.1', watch: true, now: () => T1 * 1000, log: (line) => logs.push(line) });
    try {
      expect((await fetch(`${server.url}/news/rss.xml`)).status).toBe(200);
      expect(logs.join('\n')).toContain('the ledger is unreadable');
      await server.store();
      expect(await readFile(path.join(articles, '_ledger.tsv'), 'utf8')).toBe('article\tbroken\n');
      await writeFile(path.join(articles, '_ledger.tsv'), '');
      const reloaded = server.reloaded();
      await writeFile(path.join(articles, 'news/story-2.md'), story(2));
      await reloaded;
      await new Promise((resolve) => setTimeout(resolve, 400));
      const ledger = await readFile(path.join(articles, '_ledger.tsv'), 'utf8');
      expect(ledger).toMatch(/^article\tnews\/story-1\t/m);
      expect(ledger).toMatch(/^article\tnews\/story-2\t/m);
      expect(logs.join('\n')).toContain('the ledger is readable again');
    } finally {
      await server.close();
    }
  });
});

describe('the cache', () => {
  it('is keyed by the packages feedgen runs and the time zone data of Node.js, not only its own code', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'feedgen-fingerprint-'));
    folders.push(root);
    await writeFile(path.join(root, 'package.json'), JSON.stringify({ dependencies: { renderer: '^1.0.0' } }));
    await mkdir(path.join(root, 'node_modules/renderer'), { recursive: true });
    await mkdir(path.join(root, 'code'));
    await writeFile(path.join(root, 'code/index.js'), 'export {};\n');
    const renderer = (version: string) => writeFile(path.join(root, 'node_modules/renderer/package.json'), JSON.stringify({ name: 'renderer', version }));
    await renderer('1.0.0');
    await writeFile(path.join(root, 'node_modules/renderer/index.js'), 'module.exports = 1;\n');
    const runtime = { node: '20.20.2', tz: '2025b' };
    const first = fingerprintOf(path.join(root, 'code'), root, runtime);
    expect(fingerprintOf(path.join(root, 'code'), root, runtime)).toBe(first);
    await renderer('1.0.1');
    const upgraded = fingerprintOf(path.join(root, 'code'), root, runtime);
    expect(upgraded).not.toBe(first);
    await writeFile(path.join(root, 'node_modules/renderer/index.js'), 'module.exports = 2; // patched\n');
    expect(fingerprintOf(path.join(root, 'code'), root, runtime)).not.toBe(upgraded);
    expect(fingerprintOf(path.join(root, 'code'), root, { ...runtime, tz: '2026a' })).not.toBe(fingerprintOf(path.join(root, 'code'), root, runtime));
  });
});
