import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { FeedgenWorker } from '../../src/runtimes/worker.js';

// What createWorker returns is what workerd calls (checked by tsc against the Workers types).
export type WorkerShape = FeedgenWorker extends ExportedHandler ? FeedgenWorker : never;

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

  it('answers a browser navigation to a feed with the same bytes as a type browsers render, from its cache as well', async () => {
    const reader = await get('/atom.xml');
    const readerBody = await reader.text();
    const navigation = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' };
    for (let round = 0; round < 2; round++) {
      const response = await get('/atom.xml', { headers: navigation });
      expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      expect(response.headers.get('etag')).toBe(`${reader.headers.get('etag')!.slice(0, -1)}-view"`);
      expect(response.headers.get('cache-control')).toBe('private, max-age=300');
      expect(response.headers.get('vary')).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
      expect(await response.text()).toBe(readerBody);
    }
    const again = await get('/atom.xml');
    expect(again.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    await again.arrayBuffer();
  });

  it('serves repeated requests from the Workers cache', async () => {
    const path = '/%E4%B8%AD%E6%96%87/feed.json';
    const first = await get(path);
    const firstBody = await first.text();
    // The cache is written after the response (waitUntil); poll until it reports a hit.
    let hit: Response | undefined;
    for (let attempt = 0; attempt < 50 && !hit; attempt++) {
      const response = await get(path);
      if (response.headers.get('cf-cache-status') === 'HIT') hit = response;
      else await response.arrayBuffer();
    }
    expect(hit, 'no cache hit').toBeDefined();
    expect(await hit!.text()).toBe(firstBody);
    expect(hit!.headers.get('etag')).toBe(first.headers.get('etag'));
  });
});
