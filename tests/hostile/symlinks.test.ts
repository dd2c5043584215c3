/**
 * Hostile files in the articles folder: symbolic links to a process's environment, to files
 * outside the folder, to nothing, in a loop, to a folder, and a named pipe, in media/, in a page
 * bundle and as articles. Nothing outside the folder is read or published by any command or
 * runtime (the environment's secret appears in no output), each is named at its path by `check`,
 * and the rest of the site is checked, built, prepared for the Worker and served. A link inside
 * the folder is followed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article, writeArticles } from '../helpers/articles.js';
import { startServer } from '../helpers/server.js';
import { startWorker } from '../helpers/worker-bundle.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const SECRET = `hunter2-${process.pid}-${Date.now()}`;
const OUTSIDE_TEXT = `outside-the-folder-${process.pid}`;

let articles: string;
let root: string;

async function feedgen(args: string[], folder = articles): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args, '--articles', folder], {
    cwd: path.dirname(folder),
    env: { ...process.env, MY_API_TOKEN: SECRET, SOURCE_DATE_EPOCH: '1790000000' },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** Every file under `dir` whose bytes hold `text`. */
async function filesHolding(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file)).includes(text)) found.push(path.relative(dir, file));
  }
  return found;
}

beforeAll(async () => {
  articles = await writeArticles({
    'news/_index.md': '---\ntitle: News\n---\n',
    'news/good.md': article('title: Good\ndate: 2020-01-01 10:00\nenclosures: [{ url: ../../media/episode.mp3, type: audio/mpeg, length: 3 }]'),
    'news/good/photo.png': 'PNG',
    'news/clip.mp3': 'ID3 inside',
    '_shared/shared.md': article('title: Shared through a link\ndate: 2020-01-02 10:00'),
  });
  root = path.dirname(articles);
  await mkdir(path.join(root, 'outside'));
  await writeFile(path.join(root, 'outside', 'secret.mp3'), OUTSIDE_TEXT);
  await writeFile(path.join(root, 'outside', 'secret.md'), article(`title: ${OUTSIDE_TEXT}\ndate: 2020-01-01 10:00`));
  const link = (target: string, at: string) => symlink(target, path.join(articles, at));
  await mkdir(path.join(articles, 'media'));
  await link('/proc/self/environ', 'media/env.txt');
  await link(path.join(root, 'outside', 'secret.mp3'), 'media/outside.mp3');
  await link(path.join(root, 'nowhere.mp3'), 'media/episode.mp3');
  await link('loop-b.mp3', 'media/loop-a.mp3');
  await link('loop-a.mp3', 'media/loop-b.mp3');
  await link(path.join(root, 'outside'), 'media/folder');
  await link('../news/clip.mp3', 'media/clip.mp3');
  execFileSync('mkfifo', [path.join(articles, 'media', 'pipe.mp3')]);
  await link('/proc/self/environ', 'news/good/env.txt');
  await link('/proc/self/environ', 'news/env.md');
  await link(path.join(root, 'outside', 'secret.md'), 'news/outside.md');
  await link('../_shared/shared.md', 'news/shared.md');
  await link(path.join(root, 'outside'), 'linked-section');
}, 60_000);

const REFUSED = [
  /^articles\/linked-section:1: warning: left out: it is a symbolic link to a folder, and folders are not followed through links$/,
  /^articles\/media\/env\.txt:1: warning: not served: it is a symbolic link to \/proc\/\d+\/environ, outside the articles folder$/,
  /^articles\/media\/episode\.mp3:1: warning: not served: it is a symbolic link to nothing \(its target does not exist\)$/,
  /^articles\/media\/folder:1: warning: left out: it is a symbolic link to a folder, and folders are not followed through links$/,
  /^articles\/media\/loop-a\.mp3:1: warning: not served: it is a loop of symbolic links$/,
  /^articles\/media\/loop-b\.mp3:1: warning: not served: it is a loop of symbolic links$/,
  /^articles\/media\/outside\.mp3:1: warning: not served: it is a symbolic link to \/.*\/outside\/secret\.mp3, outside the articles folder$/,
  /^articles\/media\/pipe\.mp3:1: warning: not served: it is not a regular file$/,
  /^articles\/news\/env\.md:1: warning: left out: it is a symbolic link to \/proc\/\d+\/environ, outside the articles folder$/,
  /^articles\/news\/good\.md:4: warning: the enclosure https:\/\/feeds\.example\.com\/media\/episode\.mp3 names no file of media\/$/,
  /^articles\/news\/good\/env\.txt:1: warning: not served: it is a symbolic link to \/proc\/\d+\/environ, outside the articles folder$/,
  /^articles\/news\/outside\.md:1: warning: left out: it is a symbolic link to \/.*\/outside\/secret\.md, outside the articles folder$/,
];

describe('symbolic links and special files in the articles folder', () => {
  it('are each named at their path by check, as warnings: the rest of the site passes', async () => {
    const checked = await feedgen(['check', '--no-cache']);
    expect(checked.code, checked.stderr).toBe(0);
    const lines = checked.stdout.trim().split('\n');
    expect(lines, checked.stdout).toHaveLength(REFUSED.length);
    REFUSED.forEach((pattern, i) => expect(lines[i]).toMatch(pattern));
    expect(checked.stdout + checked.stderr).not.toContain(SECRET);
    expect(checked.stderr).toMatch(/^2 articles valid; 0 errors, 12 warnings/m);
  });

  it('are left out of the static build and the Worker\'s assets, which hold the rest, links inside the folder followed', async () => {
    const built = await feedgen(['build', '--out', path.join(root, 'dist')]);
    expect(built.code, built.stderr).toBe(0);
    const prepared = await feedgen(['worker-data', '--out', path.join(root, 'assets')]);
    expect(prepared.code, prepared.stderr).toBe(0);
    for (const out of ['dist', 'assets']) {
      const dir = path.join(root, out);
      expect(await filesHolding(dir, SECRET), out).toEqual([]);
      expect(await filesHolding(dir, OUTSIDE_TEXT), out).toEqual([]);
      expect((await readdir(path.join(dir, 'media'))).sort(), out).toEqual(['clip.mp3']);
      expect((await readdir(path.join(dir, 'news', 'good'))).sort(), out).toEqual(['index.html', 'photo.png']);
      expect(await readFile(path.join(dir, 'media', 'clip.mp3'), 'utf8')).toBe('ID3 inside');
      expect(await readFile(path.join(dir, 'news', 'shared', 'index.html'), 'utf8')).toContain('Shared through a link');
    }
  });

  describe('served', () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    let worker: Awaited<ReturnType<typeof startWorker>>;
    beforeAll(async () => {
      process.env.MY_API_TOKEN = SECRET;
      server = await startServer(articles, undefined, { now: () => 1_790_000_000_000 });
      worker = await startWorker(path.join(root, 'assets'));
    }, 60_000);
    afterAll(async () => {
      delete process.env.MY_API_TOKEN;
      await Promise.all([server?.close(), worker?.dispose()]);
    });

    it('by the Node server and the Worker: 404 for every refused file, the rest as it is', async () => {
      const refused = ['/media/env.txt', '/media/outside.mp3', '/media/episode.mp3', '/media/loop-a.mp3', '/media/pipe.mp3', '/media/folder/secret.mp3', '/news/good/env.txt', '/news/env/', '/news/outside/'];
      for (const get of [(p: string) => fetch(`${server.url}${p}`), (p: string) => worker.dispatchFetch(`http://127.0.0.1:8787${p}`) as unknown as Promise<Response>]) {
        for (const urlPath of refused) {
          const response = await get(urlPath);
          expect(response.status, urlPath).toBe(404);
          expect(await response.text(), urlPath).not.toContain(SECRET);
        }
        expect(await (await get('/media/clip.mp3')).text()).toBe('ID3 inside');
        expect(await (await get('/news/good/photo.png')).text()).toBe('PNG');
        expect((await get('/news/shared/')).status).toBe(200);
        expect(await (await get('/rss.xml')).text()).not.toContain(OUTSIDE_TEXT);
      }
      expect(server.logs.join('\n')).not.toContain(SECRET);
    });
  });

  it('refuse a ledger that is a link: its target is neither read, quoted nor replaced', async () => {
    const linked = await writeArticles({ 'news/a.md': article('title: A\ndate: 2020-01-01 10:00') });
    const outside = path.join(path.dirname(linked), 'outside-ledger.tsv');
    const ledgerLike = `article\t${OUTSIDE_TEXT}\n`;
    await writeFile(outside, ledgerLike);
    for (const target of ['/proc/self/environ', outside]) {
      await rm(path.join(linked, '_ledger.tsv'), { force: true });
      await symlink(target, path.join(linked, '_ledger.tsv'));
      for (const command of [['check', '--no-cache'], ['build', '--no-cache', '--out', path.join(path.dirname(linked), 'dist')]]) {
        const result = await feedgen(command, linked);
        expect(result.code, `${command[0]} ${target}`).toBe(1);
        expect(result.stdout + result.stderr).toMatch(/^articles\/_ledger\.tsv:1: ledger: is a symbolic link: /m);
        expect(result.stdout + result.stderr).not.toContain(SECRET);
        expect(result.stdout + result.stderr).not.toContain(OUTSIDE_TEXT);
      }
      expect((await lstat(path.join(linked, '_ledger.tsv'))).isSymbolicLink()).toBe(true);
    }
    expect(await readFile(outside, 'utf8')).toBe(ledgerLike);
  });
});
