import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../src/runtimes/node.js';
import { article, writeArticles } from '../helpers/articles.js';

let dir: string;
let server: RunningServer;
const logs: string[] = [];

beforeAll(async () => {
  dir = await writeArticles({
    'news/one.md': article('title: One\ndate: 2020-01-01 10:00'),
    'news/two.md': article('title: Two\ndate: 2020-01-02 10:00'),
    'sport/three.md': article('title: Three\ndate: 2020-01-03 10:00'),
  });
  server = await startNodeServer({ articlesDir: dir, port: 0, host: '127.0.0.1', watch: true, log: (l) => logs.push(l) });
});
afterAll(() => server.close());

const text = async (p: string) => (await fetch(`${server.url}${p}`)).text();

/** Writes a file and waits for the server to have reloaded it. */
async function edit(relative: string, contents: string | undefined): Promise<void> {
  const reloaded = server.reloaded();
  const file = path.join(dir, relative);
  if (contents === undefined) await rm(file);
  else await writeFile(file, contents);
  await reloaded;
}

describe('serve --watch', () => {
  it('picks up an edit, re-rendering only the feeds it touches', async () => {
    const sportBefore = await fetch(`${server.url}/sport/rss.xml`);
    const sportEtag = sportBefore.headers.get('etag');
    await sportBefore.text();
    expect(await text('/news/rss.xml')).toContain('<title>Two</title>');

    await edit('news/two.md', article('title: Two, corrected\ndate: 2020-01-02 10:00'));
    expect(await text('/news/rss.xml')).toContain('<title>Two, corrected</title>');
    const rendersAfterNews = (await server.store()).renders;
    const sportAfter = await fetch(`${server.url}/sport/rss.xml`);
    expect(sportAfter.headers.get('etag')).toBe(sportEtag);
    await sportAfter.text();
    // The untouched section's feed came from the previous version, not from a new render.
    expect((await server.store()).renders).toBe(rendersAfterNews);
  });

  it('keeps the last good version of an article an edit breaks, and reports the problem', async () => {
    await edit('news/one.md', article('title: One\ndate: 2020-02-30 10:00'));
    expect(await text('/news/rss.xml')).toContain('<title>One</title>');
    expect(logs.some((l) => l.includes('articles/news/one.md:3: "date": day 30 does not exist'))).toBe(true);
    expect(logs.some((l) => l.includes('articles/news/one.md is invalid; still serving its last good version'))).toBe(true);

    await edit('news/one.md', article('title: One, fixed\ndate: 2020-01-01 10:00'));
    expect(await text('/news/rss.xml')).toContain('<title>One, fixed</title>');
  });

  it('re-reads articles whose inherited settings changed, though their files did not', async () => {
    expect(await text('/sport/atom.xml')).toContain('<published>2020-01-03T10:00:00+08:00</published>');
    await edit('sport/_index.md', '---\ntitle: Sport\ntimezone: Europe/London\n---\n');
    expect(await text('/sport/atom.xml')).toContain('<published>2020-01-03T10:00:00Z</published>');
  });

  it('adds new articles and drops deleted ones', async () => {
    await edit('news/four.md', article('title: Four\ndate: 2020-01-04 10:00'));
    expect(await text('/rss.xml')).toContain('<title>Four</title>');
    await edit('news/four.md', undefined);
    expect(await text('/rss.xml')).not.toContain('<title>Four</title>');
  });
});

describe('serve --watch, closed', () => {
  it('runs no reload after close() resolves, even with a change still settling', async () => {
    const folder = await writeArticles({ 'news/one.md': article('title: One\ndate: 2020-01-01 10:00') });
    const lines: string[] = [];
    const watching = await startNodeServer({ articlesDir: folder, port: 0, host: '127.0.0.1', watch: true, log: (l) => lines.push(l) });
    const reloadedLines = () => lines.filter((l) => l.startsWith('feedgen: reloaded'));

    await writeFile(path.join(folder, 'news/two.md'), article('title: Two\ndate: 2020-01-02 10:00'));
    // The watch event arrives within a millisecond or two: close inside the 50 ms the server settles for.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reloadedLines()).toEqual([]);
    await watching.close();
    const reloadsWhenClosed = reloadedLines().length;

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reloadedLines()).toHaveLength(reloadsWhenClosed);
  });
});
