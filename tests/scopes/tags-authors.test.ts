/** Tag and author feeds: slugs of any script, spellings that collide, `tag_feeds: false`, `_authors.yml`. */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/model.js';
import { lookup } from '../../src/site/resources.js';
import { routeOf } from '../../src/urls/routes.js';
import { SITE_INDEX, article, writeArticles } from '../helpers/articles.js';
import { renderSite, type RenderedSite } from '../helpers/site.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

const bodyOf = (site: RenderedSite, p: string) => {
  const found = site.resources.find((r) => r.path === p);
  if (!found) throw new Error(`no resource ${p} (have: ${site.resources.map((r) => r.path).join(' ')})`);
  return found.rendered.body;
};
const titlesIn = (site: RenderedSite, p: string) => (JSON.parse(bodyOf(site, p)) as { items: Array<{ title: string }> }).items.map((i) => i.title);
const statusOf = (site: RenderedSite, p: string) => {
  const found = lookup(site.snapshot, routeOf(p));
  return found.kind === 'error' ? found.status : found.kind;
};

const TAGGED = {
  'news/a.md': article('title: A\ndate: 2020-01-01 10:00\ntags: [5G, Café, Rust]'),
  'news/b.md': article('title: B\ndate: 2020-01-02 10:00\ntags: [5g, rust]'),
  // "Café" decomposed (e + U+0301): the same spelling once in NFC, so no warning for it.
  'news/c.md': article('title: C\ndate: 2020-01-03 10:00\ntags: [5G, "Cafe\\u0301"]'),
  'world/d.md': article('title: D\ndate: 2020-01-04 10:00\ntags: [中国, "!!!", Daylight  Saving-Time]'),
};

describe('tag feeds', () => {
  it('make one feed of the spellings of one slug, titled by the commoner one, and warn naming both', async () => {
    const site = await renderSite(await writeArticles(TAGGED));
    expect(titlesIn(site, '/tags/5g/feed.json')).toEqual(['C', 'B', 'A']);
    expect(parseRssFeed(bodyOf(site, '/tags/5g/rss.xml')).title).toBe('Tags / 5G | Test Site');
    // A tie ("Rust" once, "rust" once) goes to the first in code-point order: capitals first.
    expect(site.snapshot.scopeOfName('tag', 'rust')?.titles).toEqual(['Tags', 'Rust']);
    const warnings = site.problems.filter((p) => p.severity === 'warning').map(formatProblem);
    expect(warnings).toContain('articles/news/b.md:4: warning: tags "5G" (2 articles), "5g" (1 article) are one tag, /tags/5g/, with one feed titled "5G": write them one way');
    expect(warnings).toContain('articles/news/b.md:4: warning: tags "Rust" (1 article), "rust" (1 article) are one tag, /tags/rust/, with one feed titled "Rust": write them one way');
    expect(warnings.filter((w) => w.includes('café'))).toEqual([]);
    expect(titlesIn(site, '/tags/caf%C3%A9/feed.json')).toEqual(['C', 'A']);
    expect(warnings).toContain('articles/world/d.md:4: warning: tag "!!!" has no letter or digit to make its URL of, so it has no feed');
    expect(site.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('keep any script in the URL, percent-encoded, and answer only the lower-case slug', async () => {
    const site = await renderSite(await writeArticles(TAGGED));
    expect(titlesIn(site, '/tags/%E4%B8%AD%E5%9B%BD/feed.json')).toEqual(['D']);
    expect(titlesIn(site, '/tags/daylight-saving-time/feed.json')).toEqual(['D']);
    expect(statusOf(site, '/tags/5G/rss.xml')).toBe(404);
    expect(statusOf(site, '/tags/nothing/')).toBe(404);
    expect(statusOf(site, '/tags')).toBe('redirect');
    // The list of tags, with counts, and the article page linking its tags.
    const list = bodyOf(site, '/tags/');
    expect(list).toContain('<a href="/tags/5g/">5G</a> <span class="meta">3 articles</span>');
    expect(list).toContain('<a href="/tags/%E4%B8%AD%E5%9B%BD/">中国</a> <span class="meta">1 article</span>');
    expect(bodyOf(site, '/world/d/')).toContain('<p class="tags"><a href="/tags/%E4%B8%AD%E5%9B%BD/">中国</a> · !!! · <a href="/tags/daylight-saving-time/">Daylight  Saving-Time</a></p>');
  });

  it('are left out with tag_feeds: false: no list, no feed, no warning, tags still in every entry', async () => {
    const site = await renderSite(await writeArticles({ ...TAGGED, '_index.md': `${SITE_INDEX.trimEnd().replace(/---$/, '')}tag_feeds: false\n---\n` }));
    expect(site.snapshot.collection('tag')).toEqual([]);
    expect(site.resources.filter((r) => r.path.startsWith('/tags/'))).toEqual([]);
    expect(statusOf(site, '/tags/')).toBe(404);
    expect(statusOf(site, '/tags/5g/atom.xml')).toBe(404);
    expect(site.problems).toEqual([]);
    expect(parseJsonFeed(JSON.parse(bodyOf(site, '/news/feed.json'))).items?.[0]?.tags).toEqual(['5G', 'Cafe\u0301']);
    expect(bodyOf(site, '/')).not.toContain('/tags/');
  });

  it('are warned about by `feedgen check`, which still exits 0', async () => {
    const articles = await writeArticles(TAGGED);
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'check'], { cwd: path.dirname(articles) });
    expect(stdout).toContain('articles/news/b.md:4: warning: tags "5G" (2 articles), "5g" (1 article) are one tag');
  });
});

describe('author feeds', () => {
  const profiles = `# who is who
Ai Heping:
  display_name: Ai Heping (艾和平)
  bio: Correspondent in New York.
  url: https://example.com/ai
  avatar: /img/ai.png
Nobody Here:
  bio: listed by no article
Bad Url:
  url: "javascript:alert(1)"
  twitter: "@x"
`;
  const files = {
    'news/a.md': article('title: A\ndate: 2020-01-01 10:00\nauthor: [Ai Heping, Lin]'),
    'news/b.md': article('title: B\ndate: 2020-01-02 10:00\nauthor: [{ name: ai heping, email: ai@example.com }]'),
    'news/c.md': article('title: C\ndate: 2020-01-03 10:00\nauthor: Bad Url'),
    'news/d.md': article('title: D\ndate: 2020-01-04 10:00'),
  };

  it('cover every article that lists the author, and say what _authors.yml says on the page and in the feed', async () => {
    const articles = await writeArticles(files);
    await writeFile(path.join(articles, '_authors.yml'), profiles);
    const site = await renderSite(articles);
    expect(titlesIn(site, '/authors/ai-heping/feed.json')).toEqual(['B', 'A']);
    expect(titlesIn(site, '/authors/lin/feed.json')).toEqual(['A']);
    const json = JSON.parse(bodyOf(site, '/authors/ai-heping/feed.json')) as Record<string, unknown>;
    expect(json.title).toBe('Authors / Ai Heping (艾和平) | Test Site');
    expect(json.description).toBe('Correspondent in New York.');
    expect(json.authors).toEqual([{ name: 'Ai Heping (艾和平)', url: 'https://example.com/ai', avatar: 'https://feeds.example.com/img/ai.png' }]);
    expect(json.icon).toBe('https://feeds.example.com/img/ai.png');
    const atom = parseAtomFeed(bodyOf(site, '/authors/ai-heping/atom.xml'));
    expect(atom.authors).toEqual([{ name: 'Ai Heping (艾和平)', uri: 'https://example.com/ai' }]);
    expect(atom.icon).toBe('https://feeds.example.com/img/ai.png');
    expect(atom.subtitle?.value).toBe('Correspondent in New York.');
    const rss = parseRssFeed(bodyOf(site, '/authors/ai-heping/rss.xml'));
    expect(rss.image?.url).toBe('https://feeds.example.com/img/ai.png');
    expect(rss.description).toBe('Correspondent in New York.');
    const page = bodyOf(site, '/authors/ai-heping/');
    expect(page).toContain('<img class="avatar" src="https://feeds.example.com/img/ai.png" alt="">');
    expect(page).toContain('<p class="meta"><a href="/authors/">Authors</a></p>\n<img class="avatar" src="https://feeds.example.com/img/ai.png" alt="">\n<h1>Ai Heping (艾和平)</h1>');
    expect(page).toContain('<p><a href="https://example.com/ai">https://example.com/ai</a></p>');
    expect(page).toContain('<link rel="alternate" type="application/atom+xml" title="Authors / Ai Heping (艾和平) | Test Site (Atom)" href="/authors/ai-heping/atom.xml">');
    // No profile: the name as written, and the site's author stands in for articles without one.
    expect(site.snapshot.scope({ kind: 'author', slug: 'lin' })?.description).toBe('Articles by Lin');
    expect(statusOf(site, '/authors/test-site/')).toBe(404);
    expect(bodyOf(site, '/news/a/')).toContain('<a href="/authors/ai-heping/">Ai Heping</a>, <a href="/authors/lin/">Lin</a>');
  });

  it('report what is wrong in _authors.yml by path:line, and warn about an entry no article uses', async () => {
    const articles = await writeArticles(files);
    await writeFile(path.join(articles, '_authors.yml'), profiles);
    const { problems } = await renderSite(articles);
    expect(problems.filter((p) => p.file.endsWith('_authors.yml')).map(formatProblem)).toEqual([
      'articles/_authors.yml:7: warning: no article lists the author "Nobody Here": a misspelt name?',
      'articles/_authors.yml:10: author "Bad Url": "url" must be an absolute http(s) URL, not "javascript:alert(1)"',
      'articles/_authors.yml:11: warning: author "Bad Url": unknown key "twitter" (known keys: display_name, bio, url, avatar)',
    ]);
    const broken = await writeArticles(files);
    await writeFile(path.join(broken, '_authors.yml'), 'Ai Heping:\n  bio: [unclosed\n');
    expect((await renderSite(broken)).problems.map(formatProblem).filter((p) => p.includes('_authors.yml'))).toEqual([expect.stringMatching(/^articles\/_authors\.yml:\d+: YAML: /)]);
  });
});
