/**
 * Page bundles: the files in the folder named like an article's slug, beside it
 * (`news/harbour-reopens/harbour.jpg` beside `news/harbour-reopens.md`), are served under the
 * article's URL while the article is, by every runtime (the identity test serves the bundled
 * site's); `check` warns about a URL under the article's own, or under /media/, that names no file.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { formatProblem } from '../../src/content/model.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { publicationOf, recordHistory } from '../../src/state/history.js';
import { Ledger } from '../../src/state/ledger.js';
import { lookup } from '../../src/site/resources.js';
import { routeOf } from '../../src/urls/routes.js';
import { article, writeArticles } from '../helpers/articles.js';
import { startServer } from '../helpers/server.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const HARBOUR = article(
  'title: Harbour reopens\ndate: 2024-01-02 10:00\nimage: harbour.jpg',
  'The harbour reopened.\n\n![A chart](chart.png)\n\n<figure><img src="harbour.jpg" alt="The harbour"></figure>\n\n[Next story](../other/) and [the map](/news/harbour-reopens/map.pdf#page=2).',
);

let articles: string;

beforeAll(async () => {
  articles = await writeArticles({
    'news/harbour-reopens.md': HARBOUR,
    'news/harbour-reopens/harbour.jpg': 'JPEG bytes',
    'news/harbour-reopens/map.pdf': '%PDF',
    'news/harbour-reopens/rss.xml': '<rss/>',
    'news/harbour-reopens/notes.docx': 'Word',
    'news/harbour-reopens/_draft.jpg': 'not yet',
    'news/harbour-reopens/img/deep.png': 'PNG',
    'news/other.md': article('title: Other\ndate: 2024-01-01 10:00'),
    'news/later.md': article('title: Later\ndate: 2031-01-01 10:00'),
    'news/later/embargoed.jpg': 'secret picture',
    'news/hidden.md': article('title: Hidden\ndate: 2024-01-01 10:00\ndraft: true'),
    'news/hidden/draft.jpg': 'draft picture',
  });
});

describe('a page bundle', () => {
  it('serves the files directly in the folder beside its article; check names what it does not serve, and what an article names that is not there', async () => {
    const { data, problems } = await loadSite(articles);
    expect(data?.media.map((m) => m.path.join('/'))).toEqual(['news/harbour-reopens/harbour.jpg', 'news/harbour-reopens/map.pdf', 'news/later/embargoed.jpg']);
    expect(problems.map(formatProblem)).toEqual([
      'articles/news/harbour-reopens.md:9: warning: the link or image https://feeds.example.com/news/harbour-reopens/chart.png names no file beside the article: it would be articles/news/harbour-reopens/chart.png',
      'articles/news/harbour-reopens/img/deep.png:1: warning: not served: a page bundle serves only the files directly in its folder (news/harbour-reopens/), not in folders below it',
      expect.stringMatching(/^articles\/news\/harbour-reopens\/notes\.docx:1: warning: not served: a page bundle serves files ending in \.mp3, .*\.txt$/),
      'articles/news/harbour-reopens/rss.xml:1: warning: not served: the name "rss.xml" is reserved for generated URLs or cannot be part of a URL or of the publish ledger: rename the file',
    ]);
  });

  it('is served while its article is: not before a scheduled one is published, never for a draft', async () => {
    const { data } = await loadSite(articles);
    const at = (now: number) => {
      const ledger = new Ledger();
      recordHistory(ledger, data!, now);
      return new SiteSnapshot(data!, publicationOf(ledger, data!, now));
    };
    const found = (snapshot: SiteSnapshot, urlPath: string) => lookup(snapshot, routeOf(urlPath)).kind;
    const before = at(Date.UTC(2030, 0, 1));
    const after = at(Date.UTC(2032, 0, 1));
    expect(found(before, '/news/later/embargoed.jpg')).toBe('error');
    expect(found(after, '/news/later/embargoed.jpg')).toBe('found');
    expect(found(after, '/news/hidden/draft.jpg')).toBe('error');
    expect(found(after, '/news/harbour-reopens/harbour.jpg')).toBe('found');
    expect(found(after, '/news/harbour-reopens/img/deep.png')).toBe('error');
  });

  describe('served by the Node server', () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      server = await startServer(articles, 'https://feeds.example.com', { now: () => Date.UTC(2030, 0, 1) });
    });
    afterAll(() => server?.close());

    it('under the article\'s URL, with its type, in ranges; the page and the feeds name it', async () => {
      const response = await fetch(`${server.url}/news/harbour-reopens/harbour.jpg`);
      expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([200, 'image/jpeg', 'JPEG bytes']);
      const part = await fetch(`${server.url}/news/harbour-reopens/harbour.jpg`, { headers: { range: 'bytes=0-3' } });
      expect([part.status, await part.text()]).toEqual([206, 'JPEG']);
      for (const urlPath of ['/news/later/embargoed.jpg', '/news/hidden/draft.jpg', '/news/harbour-reopens/_draft.jpg', '/news/harbour-reopens/notes.docx']) {
        expect((await fetch(`${server.url}${urlPath}`)).status, urlPath).toBe(404);
      }
      expect(await (await fetch(`${server.url}/news/harbour-reopens/`)).text()).toContain('src="https://feeds.example.com/news/harbour-reopens/harbour.jpg"');
    });
  });

  it('is written beside the article page by build, and check exits 0 with its warnings', async () => {
    const cwd = path.dirname(articles);
    const env = { ...process.env, SOURCE_DATE_EPOCH: String(Date.UTC(2030, 0, 1) / 1000) };
    const checked = await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'check', '--articles', articles], { cwd, env });
    expect(checked.stdout).toContain('chart.png names no file beside the article');
    await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'build', '--articles', articles, '--out', 'dist'], { cwd, env });
    expect(await readFile(path.join(cwd, 'dist', 'news', 'harbour-reopens', 'harbour.jpg'), 'utf8')).toBe('JPEG bytes');
    expect(await readFile(path.join(cwd, 'dist', 'news', 'harbour-reopens', 'index.html'), 'utf8')).toContain('<h1>Harbour reopens</h1>');
    await expect(readFile(path.join(cwd, 'dist', 'news', 'later', 'embargoed.jpg'))).rejects.toThrow(/ENOENT/);
  });

  it('is a folder without articles: one holding an .md file is a section, and its article is refused as before', async () => {
    const dir = await writeArticles({
      'news/story.md': article('title: Story\ndate: 2024-01-01 10:00'),
      'news/story/inner.md': article('title: Inner\ndate: 2024-01-01 10:00'),
    });
    await mkdir(path.join(dir, 'news', 'story', 'pics'));
    await writeFile(path.join(dir, 'news', 'story', 'pic.jpg'), 'JPEG');
    const { data, problems } = await loadSite(dir);
    expect(problems.map(formatProblem)).toEqual(['articles/news/story.md:1: "story.md" and the folder "story" would share the URL /news/story/: rename one of them']);
    expect(data?.media).toEqual([]);
  });

  it('is not served on a site without article pages, whose relative URLs resolve against each article\'s link', async () => {
    const dir = await writeArticles({
      '_index.md': '---\ntitle: T\nbase_url: https://feeds.example.com\ntimezone: UTC\narticle_pages: false\n---\n',
      'news/a.md': article('title: A\ndate: 2024-01-01 10:00\nlink: https://www.example.org/a.html\nimage: pic.jpg'),
      'news/a/pic.jpg': 'JPEG',
    });
    const { data, problems } = await loadSite(dir);
    expect(data?.media).toEqual([]);
    expect(data?.articles[0]?.image).toBe('https://www.example.org/pic.jpg');
    expect(problems).toEqual([]);
  });
});
