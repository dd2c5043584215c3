import { describe, expect, it } from 'vitest';
import { slugOf } from './paths.js';
import { routeOf } from './routes.js';

describe('routeOf', () => {
  it('says 400 for a path that is not well formed, whatever the words of the reason', () => {
    expect(routeOf('/%E4%B8/rss.xml')).toMatchObject({ kind: 'error', status: 400 });
    expect(routeOf('/%ZZ/')).toMatchObject({ kind: 'error', status: 400 });
    expect(routeOf('no-slash')).toMatchObject({ kind: 'error', status: 400 });
  });

  it('says 404 for well-formed paths no resource can have', () => {
    for (const path of ['/a/%2F/rss.xml', '/a/../rss.xml', '/a//b/', '/a/%00/']) expect(routeOf(path), path).toMatchObject({ kind: 'error', status: 404 });
    expect(routeOf('/page/0/rss.xml')).toMatchObject({ kind: 'error', status: 404 });
  });

  it('maps feeds, pages, fixed files and the first page back', () => {
    expect(routeOf('/')).toEqual({ kind: 'index' });
    expect(routeOf('/opml.xml')).toEqual({ kind: 'opml', of: { kind: 'scope', scope: { kind: 'site' } } });
    expect(routeOf('/style.css')).toEqual({ kind: 'file', name: 'style.css' });
    expect(routeOf('/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'site' }, format: 'rss', page: 1 });
    expect(routeOf('/%E4%B8%AD%E6%96%87/page/3/feed.json')).toEqual({ kind: 'feed', scope: { kind: 'section', section: ['中文'] }, format: 'json', page: 3 });
    expect(routeOf('/china/world/page/1/atom.xml')).toEqual({ kind: 'redirect', location: '/china/world/atom.xml' });
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
    expect(routeOf('/tags/%E4%B8%AD%E5%9B%BD/atom.xml')).toEqual({ kind: 'feed', scope: { kind: 'tag', slug: '中国' }, format: 'atom', page: 1 });
    expect(routeOf('/authors/ai-heping/page/2/feed.json')).toEqual({ kind: 'feed', scope: { kind: 'author', slug: 'ai-heping' }, format: 'json', page: 2 });
    expect(routeOf('/editions/us/page/1/rss.xml')).toEqual({ kind: 'redirect', location: '/editions/us/rss.xml' });
    // A tag called "page" keeps its own paging apart.
    expect(routeOf('/tags/page/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'tag', slug: 'page' }, format: 'rss', page: 1 });
    expect(routeOf('/tags/page/page/2/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'tag', slug: 'page' }, format: 'rss', page: 2 });
    // Deeper than a tag is no tag; a section below the top may be called "tags".
    expect(routeOf('/news/tags/x/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'section', section: ['news', 'tags', 'x'] }, format: 'rss', page: 1 });
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
