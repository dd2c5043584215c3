/**
 * A feed opened by a person's browser (a navigation: Sec-Fetch-Dest: document, Sec-Fetch-Mode:
 * navigate) gets the same bytes under the generic type of its syntax, which browsers render; every
 * other client, however browser-like its Accept and User-Agent, gets the registered type. Here over
 * the real Node server; tests/runtimes/identity.test.ts holds the Worker to the same answers, and
 * tests/browsers/ shows what real Chromium and Firefox render.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../helpers/raw-http.js';
import { startServer } from '../helpers/server.js';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const NAVIGATION = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', 'sec-fetch-user': '?1' };
/** What readers send to look like Chrome to bot filters: Accept and User-Agent, not Sec-Fetch-*. */
const BROWSER_LIKE_READER = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
};

const request = (path: string, headers: Record<string, string>, method = 'GET') => sendRequest(`${server.url}${path}`, headers, method);
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => request(path, { 'accept-encoding': 'identity', ...headers }, method);

const FEEDS: Array<[path: string, registered: string, browser: string]> = [
  ['/rss.xml', 'application/rss+xml', 'application/xml'],
  ['/china/world/atom.xml', 'application/atom+xml', 'application/xml'],
  ['/%E4%B8%AD%E6%96%87/feed.json', 'application/feed+json', 'application/json'],
];

describe.each(FEEDS)('%s', (path, registered, browser) => {
  it('goes to readers with its registered type, browser-like Accept or not, and to a navigation as the same bytes with a type browsers render', async () => {
    const plain = await get(path);
    const reader = await get(path, BROWSER_LIKE_READER);
    const navigation = await get(path, NAVIGATION);
    expect(plain.headers.get('content-type')).toBe(`${registered}; charset=utf-8`);
    expect(reader.headers.get('content-type')).toBe(`${registered}; charset=utf-8`);
    expect(reader.body.equals(plain.body)).toBe(true);
    expect(reader.headers.get('etag')).toBe(plain.headers.get('etag'));
    expect(navigation.headers.get('content-type')).toBe(`${browser}; charset=utf-8`);
    expect(navigation.body.equals(plain.body)).toBe(true);
    // Its own validator and a private cache: no shared cache hands the view to a reader.
    expect(navigation.headers.get('etag')).toBe(`${plain.headers.get('etag')!.slice(0, -1)}-view"`);
    expect(navigation.headers.get('cache-control')).toBe('private, max-age=300');
    for (const response of [plain, reader, navigation]) {
      expect(response.headers.get('vary')).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('needs both navigation headers: a fetch() to a document destination is not a person opening the feed', async () => {
    const partial: Array<Record<string, string>> = [{ 'sec-fetch-dest': 'document' }, { 'sec-fetch-mode': 'navigate' }, { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' }, { 'sec-fetch-dest': 'iframe', 'sec-fetch-mode': 'navigate' }];
    for (const headers of partial) {
      expect((await get(path, headers)).headers.get('content-type'), JSON.stringify(headers)).toBe(`${registered}; charset=utf-8`);
    }
  });

  it('answers conditional requests of either variant with the headers of the variant asked for', async () => {
    const plain = await get(path);
    const navigation = await get(path, NAVIGATION);
    const readerEtag = plain.headers.get('etag')!;
    const viewEtag = navigation.headers.get('etag')!;
    // The same bytes: either validator proves the client has them.
    for (const etag of [readerEtag, viewEtag]) {
      const asReader = await get(path, { 'if-none-match': etag });
      expect(asReader.status).toBe(304);
      expect(asReader.body.length).toBe(0);
      expect(asReader.headers.get('etag')).toBe(readerEtag);
      expect(asReader.headers.get('cache-control')).toBe('public, max-age=300');
      const asBrowser = await get(path, { ...NAVIGATION, 'if-none-match': etag });
      expect(asBrowser.status).toBe(304);
      expect(asBrowser.headers.get('etag')).toBe(viewEtag);
      expect(asBrowser.headers.get('cache-control')).toBe('private, max-age=300');
      expect(asBrowser.headers.get('vary')).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
    }
    expect((await get(path, { ...NAVIGATION, 'if-modified-since': plain.headers.get('last-modified')! })).status).toBe(304);
    expect((await get(path, { ...NAVIGATION, 'if-match': '"stale"' })).status).toBe(412);
    const head = await get(path, NAVIGATION, 'HEAD');
    expect(head.body.length).toBe(0);
    expect(head.headers.get('content-type')).toBe(`${browser}; charset=utf-8`);
    expect(head.headers.get('etag')).toBe(viewEtag);
  });
});

describe('what has no browser view', () => {
  it('answers a navigation to a page, the OPML list or a stylesheet exactly as anyone else', async () => {
    for (const path of ['/', '/china/', '/opml.xml', '/feed.css']) {
      const plain = await get(path);
      const navigation = await get(path, NAVIGATION);
      expect(navigation.body.equals(plain.body), path).toBe(true);
      expect([...navigation.headers].filter(([name]) => name !== 'date'), path).toEqual([...plain.headers].filter(([name]) => name !== 'date'));
      expect(plain.headers.get('vary'), path).toBe('Accept-Encoding');
    }
  });
});

describe('a compressed view', () => {
  it('is compressed as the feed is: the same bytes once decoded, its own ETag', async () => {
    const plain = await get('/rss.xml');
    expect(plain.body.length).toBeGreaterThan(1024);
    const response = await request('/rss.xml', { ...NAVIGATION, 'accept-encoding': 'gzip' });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.headers.get('etag')).toBe(`${plain.headers.get('etag')!.slice(0, -1)}-view-gzip"`);
    expect(gunzipSync(response.body).equals(plain.body)).toBe(true);
  });
});
