import { describe, expect, it } from 'vitest';
import { isReservedTopLevelName, slugOf } from './paths.js';
import { routeOf } from './routes.js';

describe('routeOf', () => {
  it('says 400 for a path that is not well formed, whatever the words of the reason', () => {
    expect(routeOf('/%E4%B8/rss.xml')).toMatchObject({ kind: 'error', status: 400 });
    expect(routeOf('/%ZZ/')).toMatchObject({ kind: 'error', status: 400 });
    expect(routeOf('no-slash')).toMatchObject({ kind: 'error', status: 400 });
  });

  it('says 404 for well-formed paths no resource can have', () => {
    for (const path of ['/a/%2F/rss.xml', '/a/../rss.xml', '/a//b/', '/a/%00/']) expect(routeOf(path), path).toMatchObject({ kind: 'error', status: 404 });
    expect(routeOf('/archive/0/rss.xml')).toMatchObject({ kind: 'error', status: 404 });
    expect(routeOf('/archive/01/rss.xml')).toMatchObject({ kind: 'error', status: 404 });
  });

  it('maps feeds, archives, pages and fixed files back', () => {
    expect(routeOf('/')).toEqual({ kind: 'index' });
    expect(routeOf('/opml.xml')).toEqual({ kind: 'opml', of: { kind: 'scope', scope: { kind: 'site' } } });
    expect(routeOf('/style.css')).toEqual({ kind: 'file', name: 'style.css' });
    expect(routeOf('/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'site' }, format: 'rss' });
    expect(routeOf('/%E4%B8%AD%E6%96%87/archive/3/feed.json')).toEqual({ kind: 'feed', scope: { kind: 'section', section: ['中文'] }, format: 'json', archive: 3 });
    expect(routeOf('/archive/1/atom.xml')).toEqual({ kind: 'feed', scope: { kind: 'site' }, format: 'atom', archive: 1 });
    expect(routeOf('/china/world/')).toEqual({ kind: 'page', segments: ['china', 'world'], trailingSlash: true });
    // Only the site and editions have an OPML list: whether this section has one, the site says (no).
    expect(routeOf('/china/opml.xml')).toEqual({ kind: 'opml', of: { kind: 'scope', scope: { kind: 'section', section: ['china'] } } });
  });

  it('maps tags, authors and editions, their lists and their OPML lists', () => {
    expect(routeOf('/tags/')).toEqual({ kind: 'collection', collection: 'tag', trailingSlash: true });
    expect(routeOf('/authors')).toEqual({ kind: 'collection', collection: 'author', trailingSlash: false });
    expect(routeOf('/tags/opml.xml')).toEqual({ kind: 'opml', of: { kind: 'collection', collection: 'tag' } });
    expect(routeOf('/editions/zh/opml.xml')).toEqual({ kind: 'opml', of: { kind: 'scope', scope: { kind: 'edition', slug: 'zh' } } });
    expect(routeOf('/tags/5g/')).toEqual({ kind: 'page', segments: ['tags', '5g'], trailingSlash: true });
    expect(routeOf('/tags/%E4%B8%AD%E5%9B%BD/atom.xml')).toEqual({ kind: 'feed', scope: { kind: 'tag', slug: '中国' }, format: 'atom' });
    expect(routeOf('/authors/ai-heping/archive/2/feed.json')).toEqual({ kind: 'feed', scope: { kind: 'author', slug: 'ai-heping' }, format: 'json', archive: 2 });
    expect(routeOf('/editions/us/archive/1/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'edition', slug: 'us' }, format: 'rss', archive: 1 });
    // A tag called "archive" keeps its own archives apart.
    expect(routeOf('/tags/archive/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'tag', slug: 'archive' }, format: 'rss' });
    expect(routeOf('/tags/archive/archive/2/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'tag', slug: 'archive' }, format: 'rss', archive: 2 });
    // Deeper than a tag is no tag; a section below the top may be called "tags".
    expect(routeOf('/news/tags/x/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'section', section: ['news', 'tags', 'x'] }, format: 'rss' });
  });

  it('maps files below /media/ to the media folder, whatever their names, and /media/ itself to a page', () => {
    expect(routeOf('/media/podcast/episode%201.mp3')).toEqual({ kind: 'media', path: ['media', 'podcast', 'episode 1.mp3'] });
    expect(routeOf('/media/rss.xml')).toEqual({ kind: 'media', path: ['media', 'rss.xml'] });
    expect(routeOf('/media/')).toEqual({ kind: 'page', segments: ['media'], trailingSlash: true });
    expect(routeOf('/media/../rss.xml')).toMatchObject({ kind: 'error', status: 404 });
  });

  it('maps robots.txt and the sitemaps at the top of the site only, numbered sitemaps without leading zeros', () => {
    expect(routeOf('/robots.txt')).toEqual({ kind: 'robots' });
    expect(routeOf('/sitemap.xml')).toEqual({ kind: 'sitemap' });
    expect(routeOf('/news-sitemap.xml')).toEqual({ kind: 'news-sitemap' });
    expect(routeOf('/sitemap-1.xml')).toEqual({ kind: 'sitemap', part: 1 });
    expect(routeOf('/sitemap-120.xml')).toEqual({ kind: 'sitemap', part: 120 });
    for (const path of ['/sitemap-0.xml', '/sitemap-01.xml', '/sitemap-1234567890.xml']) expect(routeOf(path), path).toMatchObject({ kind: 'error', status: 404 });
    // Deeper down they are pages like any other name (which no section or article can take at the top).
    expect(routeOf('/news/sitemap.xml')).toEqual({ kind: 'page', segments: ['news', 'sitemap.xml'], trailingSlash: false });
    expect(routeOf('/robots.txt/')).toEqual({ kind: 'page', segments: ['robots.txt'], trailingSlash: true });
    expect(routeOf('/sitemap-x.xml')).toEqual({ kind: 'page', segments: ['sitemap-x.xml'], trailingSlash: false });
  });
});

describe('isReservedTopLevelName', () => {
  it('reserves the collections, the files for crawlers and every numbered sitemap', () => {
    for (const name of ['tags', 'authors', 'editions', 'robots.txt', 'sitemap.xml', 'news-sitemap.xml', 'sitemap-1.xml', 'sitemap-01.xml']) expect(isReservedTopLevelName(name), name).toBe(true);
    for (const name of ['news', 'sitemap', 'robots', 'sitemap-x.xml', 'sitemap-1.xml.md']) expect(isReservedTopLevelName(name), name).toBe(false);
  });
});

describe('slugOf', () => {
  it('lower-cases by Unicode rules, keeps letters and digits of any script, and joins the rest with one "-"', () => {
    expect(slugOf('5G')).toBe('5g');
    expect(slugOf('5g')).toBe('5g');
    expect(slugOf('中国')).toBe('中国');
    expect(slugOf('Café')).toBe('café');
    expect(slugOf('Cafe\u0301')).toBe('café'); // decomposed: NFC first, so one tag
    expect(slugOf('Cafe\u0301')).toBe('caf\u00e9');
    expect(slugOf('  Daylight  Saving-Time! ')).toBe('daylight-saving-time');
    expect(slugOf('C++ / Rust')).toBe('c-rust');
    expect(slugOf('İstanbul')).toBe('i\u0307stanbul'); // no Turkish locale: I-dot stays i + dot above
    expect(slugOf('ISTANBUL')).toBe('istanbul');
    expect(slugOf('ΟΔΟΣ')).toBe('οδος');
    expect(slugOf('हिन्दी समाचार')).toBe('हिन्दी-समाचार'); // combining vowel signs are kept
    expect(slugOf('١٢٣ أخبار')).toBe('١٢٣-أخبار');
    expect(slugOf('!!! 🎉')).toBe('');
    expect(slugOf('full\u3000width\uff01space')).toBe('full-width-space');
  });

  it('cuts long names to 200 bytes of UTF-8 at a character, never at a "-"', () => {
    const long = slugOf('中'.repeat(100));
    expect(new TextEncoder().encode(long).byteLength).toBe(198);
    expect(slugOf(`${'a'.repeat(199)} b`)).toBe('a'.repeat(199));
  });
});
