/**
 * The Worker inside workerd (vitest-pool-workers), with the ASSETS binding over the folder
 * wrangler.toml names (`npm test` writes it first). The pool calls the Worker itself, not through
 * Cloudflare's asset router: that wrangler.toml runs the Worker first is checked by
 * tests/runtimes/identity.test.ts, whose Miniflare takes the routing from wrangler.toml.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type worker from '../../src/runtimes/worker.js';

// The Worker is typed without the Workers types (it is compiled into lib/ too): tsc checks it here.
type Handler<T extends ExportedHandler<{ ASSETS: Fetcher }>> = T;
export type WorkerShape = Handler<typeof worker>;

const ORIGIN = 'http://127.0.0.1:8787';
const get = (path: string, init?: RequestInit) => SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', ...init });

describe('the Worker, in workerd, over the static assets of wrangler.toml', () => {
  it('serves the seed article in the China / World Atom feed', async () => {
    const response = await get('/china/world/atom.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const body = await response.text();
    expect(body).toContain('<title type="text">Huawei CEO proposes negotiations with Washington</title>');
    expect(body).toContain('<updated>2019-09-12T07:47:00+08:00</updated>');
    expect(response.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).byteLength));
  });

  it('sends its own validators and headers, not those of Cloudflare asset serving', async () => {
    const response = await get('/china/world/huawei-ceo-proposes-negotiations-with-washington/');
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    // When these bytes first appeared, as the bundled site's ledger (articles/_ledger.tsv) records.
    expect(response.headers.get('last-modified')).toBe('Mon, 07 Dec 2026 12:12:44 GMT');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(response.headers.get('cf-cache-status')).toBeNull();
  });

  it('answers conditional GET like the Node server: 304 on either validator, empty body, validators kept', async () => {
    const first = await get('/rss.xml');
    await first.arrayBuffer();
    const etag = first.headers.get('etag') as string;
    const lastModified = first.headers.get('last-modified') as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    for (const headers of [{ 'if-none-match': etag }, { 'if-modified-since': lastModified }, { 'if-none-match': `W/${etag}` }, { 'if-none-match': `"other", ${etag}` }] as Array<Record<string, string>>) {
      const response = await get('/rss.xml', { headers });
      expect(response.status, JSON.stringify(headers)).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe(etag);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    }
    const changed = await get('/rss.xml', { headers: { 'if-none-match': '"stale"', 'if-modified-since': lastModified } });
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
    const failed = await get('/rss.xml', { headers: { 'if-match': '"stale"' } });
    expect(failed.status).toBe(412);
    await failed.arrayBuffer();
  });

  it('answers HEAD without a body, unknown paths 404, other methods 405 and long URLs 414', async () => {
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
    const long = await get(`/rss.xml?${'q'.repeat(2100)}`);
    expect(long.status).toBe(414);
    await long.arrayBuffer();
  });

  it('answers a browser navigation to a feed with the same bytes as a type browsers render, as the other runtimes do', async () => {
    const reader = await get('/atom.xml');
    const readerBody = await reader.text();
    const navigation = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' };
    const response = await get('/atom.xml', { headers: navigation });
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.headers.get('etag')).toBe(`${reader.headers.get('etag')!.slice(0, -1)}-view"`);
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
    expect(await response.text()).toBe(readerBody);
    const again = await get('/atom.xml');
    expect(again.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    await again.arrayBuffer();
  });

  it('never serves an asset by its file name, the manifest or a Markdown source', async () => {
    for (const path of [
      '/_feedgen/site.json',
      '/china/world/index.html',
      '/china/world/huawei-ceo-proposes-negotiations-with-washington/index.html',
      '/china/world/huawei-ceo-proposes-negotiations-with-washington.md',
      '/_index.md',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toMatch(/^404 Not Found: /);
    }
  });

  it('serves the media files as assets, with the type their extension names', async () => {
    const response = await get('/media/podcast/monsoon.vtt');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/vtt/);
    expect(await response.text()).toMatch(/^WEBVTT/);
  });

  it('redirects a page without its trailing slash, as the other runtimes do', async () => {
    const response = await get('/%E4%B8%AD%E6%96%87');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/%E4%B8%AD%E6%96%87/');
  });
});
