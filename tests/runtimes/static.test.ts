import { execFile } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { article, writeArticles } from '../helpers/articles.js';
import { StaticHost } from '../helpers/static-host.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

async function build(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ['bin/feedgen.js', 'build', ...args], { cwd: ROOT });
    return { code: 0, stderr };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
}

describe('feedgen build', () => {
  it('writes every URL as a file, with _headers and _redirects for static hosts', async () => {
    const out = path.join(path.dirname(await writeArticles({})), 'dist');
    const result = await build(['--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/feedgen build: \d+ articles, \d+ files/);
    expect(await readFile(path.join(out, 'china/world/atom.xml'), 'utf8')).toContain('<updated>2019-09-12T07:47:00+08:00</updated>');
    expect(await readdir(path.join(out, '中文'))).toEqual(expect.arrayContaining(['rss.xml', 'atom.xml', 'feed.json', 'index.html']));
    const headers = await readFile(path.join(out, '_headers'), 'utf8');
    expect(headers).toMatch(/^\/\*\/atom\.xml\n(?: {2}.+\n)* {2}content-type: application\/atom\+xml; charset=utf-8\n/m);
    expect(headers).toContain('  x-content-type-options: nosniff\n');
    const redirects = await readFile(path.join(out, '_redirects'), 'utf8');
    expect(redirects).toBe('');
  });

  it('leaves the previous output untouched when an article is invalid', async () => {
    const articles = await writeArticles({ 'news/good.md': article('title: Good\ndate: 2020-01-01 10:00') });
    const out = path.join(path.dirname(articles), 'dist');
    expect((await build(['--articles', articles, '--out', out])).code).toBe(0);
    const before = await readFile(path.join(out, 'news/rss.xml'), 'utf8');

    await writeFile(path.join(articles, 'news/bad.md'), article('title: Bad\ndate: 2020-01-32 10:00'));
    await writeFile(path.join(articles, 'news/good.md'), article('title: Good, edited\ndate: 2020-01-01 10:00'));
    const failed = await build(['--articles', articles, '--out', out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('articles/news/bad.md:3: "date": day 32 does not exist');
    expect(failed.stderr).toContain(`${out} left as it was`);
    expect(await readFile(path.join(out, 'news/rss.xml'), 'utf8')).toBe(before);
    expect((await readdir(path.dirname(out))).filter((name) => name.includes('partial'))).toEqual([]);
  });
});

describe('feedgen build --out', () => {
  it('writes through a symbolic link to where it points, and keeps the link; a link to nowhere is refused clearly', async () => {
    const articles = await writeArticles({ 'news/good.md': article('title: Good\ndate: 2020-01-01 10:00') });
    const root = path.dirname(articles);
    const target = path.join(root, 'www', 'site');
    await mkdir(target, { recursive: true });
    await symlink(target, path.join(root, 'dist'));
    for (const args of [['--no-cache'], []]) {
      expect((await build(['--articles', articles, '--out', path.join(root, 'dist'), ...args])).code).toBe(0);
      expect((await lstat(path.join(root, 'dist'))).isSymbolicLink()).toBe(true);
      expect(await readFile(path.join(target, 'news/rss.xml'), 'utf8')).toContain('<title>Good</title>');
    }
    await symlink(path.join(root, 'nowhere'), path.join(root, 'broken'));
    const refused = await build(['--articles', articles, '--out', path.join(root, 'broken')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${path.join(root, 'broken')} is a symbolic link that leads nowhere`);
    expect((await lstat(path.join(root, 'broken'))).isSymbolicLink()).toBe(true);
  });
});

describe('_headers', () => {
  it('names every feed by its own URL when a section is named like a segment of the base path, with a hub', async () => {
    const articles = await writeArticles({
      '_index.md': '---\ntitle: T\nbase_url: https://ex.com/news\ntimezone: UTC\nhub: https://hub.example.com/\n---\n',
      'news/a.md': article('title: A\ndate: 2020-01-01 10:00'),
      'world/news/b.md': article('title: B\ndate: 2020-01-01 10:00'),
    });
    const out = path.join(path.dirname(articles), 'dist');
    const result = await build(['--articles', articles, '--out', out, '--no-cache']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    const host = await StaticHost.open(out);
    for (const feed of ['/news/rss.xml', '/news/news/atom.xml', '/news/world/news/feed.json', '/news/world/rss.xml']) {
      expect(host.headers(feed).link, feed).toBe(`<https://hub.example.com/>; rel="hub", <https://ex.com${feed}>; rel="self"`);
    }
  });
});
