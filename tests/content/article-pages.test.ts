/**
 * `article_pages: false`: for newsrooms whose articles already have pages of their own. The site
 * publishes feeds and index pages only; every article must name its page with `link`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { formatProblem } from '../../src/content/model.js';
import { article, writeArticles } from '../helpers/articles.js';
import { startServer } from '../helpers/server.js';
import { feedResources, pageResources, renderSite } from '../helpers/site.js';
import { feedRoundTripProblems } from '../helpers/roundtrip.js';
import { htmlSafetyProblems } from '../helpers/validators.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

const SITE = '---\ntitle: Wire\nbase_url: https://feeds.example.com\ntimezone: UTC\narticle_pages: false\n---\n';
const LINKED = article(
  'title: Linked\ndate: 2024-01-15 09:00\nlink: https://www.example.org/2024/01/linked.html\nimage: photo.jpg',
  'See [the chart](chart.png) and [the index](/).',
);

describe('a site with article_pages: false', () => {
  it('requires a link on every article, and check reports each one without', async () => {
    const articles = await writeArticles({ '_index.md': SITE, 'news/linked.md': LINKED, 'news/unlinked.md': article('title: Unlinked\ndate: 2024-01-16') });
    const { data, problems } = await loadSite(articles);
    expect(problems.map(formatProblem)).toEqual([
      'articles/news/unlinked.md:1: "link" is required: this site has no article pages (article_pages: false), so each article names its own',
    ]);
    expect(data?.articles.map((a) => a.slug)).toEqual(['linked']);

    const checked = await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'check', '--articles', articles]).catch((error: { code: number; stdout: string }) => error);
    expect(checked).toMatchObject({ code: 1, stdout: expect.stringContaining('unlinked.md:1: "link" is required') });
  });

  it('refuses a setting that is not true or false', async () => {
    const articles = await writeArticles({ '_index.md': SITE.replace('article_pages: false', 'article_pages: "no"'), 'news/linked.md': LINKED });
    const { problems } = await loadSite(articles);
    // The default, article pages, stands: the files the article names beside it are looked for.
    expect(problems.map(formatProblem)).toEqual([
      'articles/_index.md:5: "article_pages" must be true or false, not "no"',
      'articles/news/linked.md:5: warning: the image https://feeds.example.com/news/linked/photo.jpg names no file beside the article: it would be articles/news/linked/photo.jpg',
      'articles/news/linked.md:8: warning: the link or image https://feeds.example.com/news/linked/chart.png names no file beside the article: it would be articles/news/linked/chart.png',
    ]);
  });

  it('links every item to its own page, resolves its relative links there, and keeps the id it would have with pages', async () => {
    const articles = await writeArticles({ '_index.md': SITE, 'news/linked.md': LINKED });
    const site = await renderSite(articles);
    const linked = site.data.articles[0]!;
    expect(linked.id).toBe('https://feeds.example.com/news/linked/');
    expect(linked.url).toBe('https://www.example.org/2024/01/linked.html');
    expect(linked.image).toBe('https://www.example.org/2024/01/photo.jpg');
    expect(linked.html).toContain('href="https://www.example.org/2024/01/chart.png"');
    expect(linked.html).toContain('href="https://www.example.org/"');

    expect(site.resources.map((r) => r.path)).not.toContain('/news/linked/');
    for (const feed of feedResources(site)) expect(feedRoundTripProblems(site, feed), feed.path).toEqual([]);
    const rss = parseRssFeed(site.resources.find((r) => r.path === '/news/rss.xml')!.rendered.body);
    // The id is not the page readers are sent to, so RSS must not call it a permalink.
    expect(rss.items?.[0]).toMatchObject({ link: linked.link, guid: { value: linked.id, isPermaLink: false } });
    for (const page of pageResources(site)) {
      expect(htmlSafetyProblems(page.rendered.body), page.path).toEqual([]);
      expect(page.rendered.body, page.path).toContain(`href="${linked.link}"`);
      expect(page.rendered.body, page.path).not.toContain('/news/linked/');
    }
  });

  it('answers 404 at the page URL an article would have had on the Node server', async () => {
    const articles = await writeArticles({ '_index.md': SITE, 'news/linked.md': LINKED });
    const server = await startServer(articles, 'https://feeds.example.com');
    try {
      const page = await fetch(`${server.url}/news/linked/`);
      expect(page.status).toBe(404);
      expect(await page.text()).toBe('404 Not Found: no such page or feed\n');
      const feed = await fetch(`${server.url}/news/rss.xml`);
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain('<link>https://www.example.org/2024/01/linked.html</link>');
    } finally {
      await server.close();
    }
  });
});
