import { SELF } from 'cloudflare:test';
import { version } from '../../.generated/site-data.js';
import { describe, expect, it } from 'vitest';

const ORIGIN = 'http://127.0.0.1:8787';
const get = (path: string, init?: RequestInit) => SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', ...init });

describe('the Worker, in workerd', () => {
  it('serves the seed article in the China / World Atom feed', async () => {
    const response = await get('/china/world/atom.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const body = await response.text();
    expect(body).toContain('<title type="text">Huawei CEO proposes negotiations with Washington</title>');
    expect(body).toContain('<updated>2019-09-12T07:47:00+08:00</updated>');
  });

  it('answers conditional GET like the Node server: 304 on either validator, empty body, validators kept', async () => {
    const first = await get('/rss.xml');
    await first.arrayBuffer();
    const etag = first.headers.get('etag') as string;
    const lastModified = first.headers.get('last-modified') as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    for (const headers of [{ 'if-none-match': etag }, { 'if-modified-since': lastModified }, { 'if-none-match': `W/${etag}` }] as Array<Record<string, string>>) {
      const response = await get('/rss.xml', { headers });
      expect(response.status).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe(etag);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    }
    const changed = await get('/rss.xml', { headers: { 'if-none-match': '"stale"', 'if-modified-since': lastModified } });
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
  });

  it('answers HEAD without a body, unknown paths 404 and other methods 405', async () => {
    const head = await get('/atom.xml', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('etag')).toMatch(/^"/);
    const missing = await get('/nowhere/rss.xml');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/^404 Not Found: /);
    const post = await get('/rss.xml', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await post.arrayBuffer();
  });

  it('keeps what it rendered in the Workers cache, keyed by the content version, and answers alike from it', async () => {
    const path = '/%E4%B8%AD%E6%96%87/feed.json';
    const first = await get(path);
    const firstBody = await first.text();
    // The cache is written after the response (waitUntil); poll until it holds the entry.
    const key = `${ORIGIN}${path}?feedgen-version=${version}`;
    let stored: Response | undefined;
    for (let attempt = 0; attempt < 50 && !stored; attempt++) {
      stored = await caches.default.match(key);
      if (!stored) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(stored, 'nothing in the cache').toBeDefined();
    expect(await stored!.text()).toBe(firstBody);
    const again = await get(path);
    expect(await again.text()).toBe(firstBody);
    // The cache's own headers describe the store, not the resource: the answer is the same as the first.
    expect([...again.headers].filter(([name]) => name !== 'date')).toEqual([...first.headers].filter(([name]) => name !== 'date'));
  });
});
