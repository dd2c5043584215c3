import { describe, expect, it } from 'vitest';
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
    expect(routeOf('/opml.xml')).toEqual({ kind: 'file', name: 'opml.xml' });
    expect(routeOf('/rss.xml')).toEqual({ kind: 'feed', scope: { kind: 'site' }, format: 'rss' });
    expect(routeOf('/%E4%B8%AD%E6%96%87/archive/3/feed.json')).toEqual({ kind: 'feed', scope: { kind: 'section', section: ['中文'] }, format: 'json', archive: 3 });
    expect(routeOf('/archive/1/atom.xml')).toEqual({ kind: 'feed', scope: { kind: 'site' }, format: 'atom', archive: 1 });
    expect(routeOf('/china/world/')).toEqual({ kind: 'page', segments: ['china', 'world'], trailingSlash: true });
    expect(routeOf('/china/opml.xml')).toEqual({ kind: 'page', segments: ['china', 'opml.xml'], trailingSlash: false });
  });

  it('maps files below /media/ to the media folder, whatever their names, and /media/ itself to a page', () => {
    expect(routeOf('/media/podcast/episode%201.mp3')).toEqual({ kind: 'media', path: ['podcast', 'episode 1.mp3'] });
    expect(routeOf('/media/rss.xml')).toEqual({ kind: 'media', path: ['rss.xml'] });
    expect(routeOf('/media/')).toEqual({ kind: 'page', segments: ['media'], trailingSlash: true });
    expect(routeOf('/media/../rss.xml')).toMatchObject({ kind: 'error', status: 404 });
  });
});
