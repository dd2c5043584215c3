import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, rawRequest } from '../helpers/raw-http.js';
import { startServer } from '../helpers/server.js';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('hostile request paths are answered, never crashed on', () => {
  it.each([
    ['/../../etc/passwd', 404],
    ['/%2e%2e/%2e%2e/etc/passwd', 404],
    ['/china/..%2f..%2fetc/rss.xml', 404],
    ['/china%2fworld/rss.xml', 404],
    ['/china/world%00/rss.xml', 404],
    ['/china//world/rss.xml', 404],
    ['/%E4%B8%AD%E6%96%87/rss.xml', 200],
    ['/%e4%b8%ad%e6%96%87/rss.xml', 200],
    ['/%E4%B8/rss.xml', 400],
    ['/%zz/rss.xml', 400],
    ['/rss.xml?x=1&y=<script>', 200],
    ['/a/a/…/rss.xml (3000 characters)', 414],
  ])('GET %s -> %i with a plain-text reason', async (label, status) => {
    const path = label.includes('…') ? `/${'a/'.repeat(1500)}rss.xml` : label;
    const response = await rawRequest(server.url, get(path));
    expect(response.status).toBe(status);
    if (status >= 400) {
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.body).toMatch(new RegExp(`^${status} [A-Za-z ]+: .+`));
    }
  });

  it('refuses over-long headers without crashing, and keeps serving', async () => {
    const response = await rawRequest(server.url, get('/rss.xml', `X-Big: ${'a'.repeat(70_000)}\r\n`));
    expect(response.status).toBe(431);
    expect((await rawRequest(server.url, get('/rss.xml'))).status).toBe(200);
  });

  it('survives a burst of concurrent requests, half of them hostile', async () => {
    const paths = ['/rss.xml', '/%zz', '/china/world/atom.xml', '/nope/', '/archive/9/rss.xml', '/%E4%B8%AD%E6%96%87/feed.json'];
    const responses = await Promise.all(Array.from({ length: 300 }, (_, i) => rawRequest(server.url, get(paths[i % paths.length] as string))));
    expect(responses.every((r) => [200, 400, 404].includes(r.status))).toBe(true);
    expect((await rawRequest(server.url, get('/'))).status).toBe(200);
  });
});

describe('security headers', () => {
  it('HTML pages carry a strict CSP and nosniff; feeds carry nosniff and may be read cross-origin', async () => {
    const page = await fetch(`${server.url}/china/world/huawei-ceo-proposes-negotiations-with-washington/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const feed = await fetch(`${server.url}/rss.xml`);
    expect(feed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(feed.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('discovery', () => {
  it('section and article pages advertise their section feeds; feeds carry a CSS stylesheet for browsers', async () => {
    const section = await (await fetch(`${server.url}/asia/south/`)).text();
    expect(section).toContain('<link rel="alternate" type="application/atom+xml" title="Asia / South Asia | World Desk (Atom)" href="/asia/south/atom.xml">');
    const articlePage = await (await fetch(`${server.url}/asia/south/monsoon-arrives-early/`)).text();
    expect(articlePage).toContain('href="/asia/south/rss.xml"');
    expect(articlePage).toContain('<link rel="stylesheet" href="/style.css">');
    const rss = await (await fetch(`${server.url}/asia/rss.xml`)).text();
    expect(rss.split('\n')[1]).toBe('<?xml-stylesheet type="text/css" href="/feed.css"?>');
    const css = await fetch(`${server.url}/feed.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });
});
