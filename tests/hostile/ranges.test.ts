/**
 * Range requests (RFC 9110 section 14) as the Node server and the Worker answer them, identically:
 * valid, reversed, overlapping, past the end, `bytes=-0`, thousands of ranges, If-Range, HEAD,
 * conditional requests, on audio, on a small text file the server would compress, and on a feed,
 * which ignores them. Workers Static Assets itself answers every Range with the whole file
 * (tests/worker), so the Worker cuts the range: the same bytes, the same headers. A static build's
 * `_headers` says nothing about ranges, which the host answers as it does.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article, writeArticles } from '../helpers/articles.js';
import { exchange, runtimesFor, type Runtimes } from '../helpers/runtimes.js';

const SIZE = 100_000;
const AUDIO = Uint8Array.from({ length: SIZE }, (_, i) => (i * 7 + (i >> 8)) % 256);
const TEXT = `WEBVTT\n\n${'00:00.000 --> 00:01.000\nA line of the transcript.\n\n'.repeat(100)}`;
let runtimes: Runtimes;
/** Where runtimesFor builds the static site. */
let dist: string;

beforeAll(async () => {
  const articles = await writeArticles({
    'show/ep.md': article('title: Ep\ndate: 2020-01-01 10:00\nenclosures: [{ url: ep.mp3, type: audio/mpeg, length: 100000 }]\ntranscript: ep.vtt'),
  });
  await mkdir(path.join(articles, 'show', 'ep'));
  await writeFile(path.join(articles, 'show', 'ep', 'ep.mp3'), AUDIO);
  await writeFile(path.join(articles, 'show', 'ep', 'ep.vtt'), TEXT);
  dist = path.join(path.dirname(articles), 'dist');
  runtimes = await runtimesFor(articles);
}, 120_000);

afterAll(() => runtimes?.close());

const AUDIO_PATH = '/show/ep/ep.mp3';
type Expected = { status: number; range?: string; bytes?: [number, number] };

/** Each request with the answer it must get: status, Content-Range, and which bytes. */
const CASES: Array<[label: string, headers: Record<string, string>, expected: Expected]> = [
  ['no range', {}, { status: 200, bytes: [0, SIZE] }],
  ['the first 100 bytes', { range: 'bytes=0-99' }, { status: 206, range: `bytes 0-99/${SIZE}`, bytes: [0, 100] }],
  ['from a position to the end', { range: 'bytes=99990-' }, { status: 206, range: `bytes 99990-99999/${SIZE}`, bytes: [99990, SIZE] }],
  ['every byte', { range: 'bytes=0-' }, { status: 206, range: `bytes 0-99999/${SIZE}`, bytes: [0, SIZE] }],
  ['the last 10 bytes', { range: 'bytes=-10' }, { status: 206, range: `bytes 99990-99999/${SIZE}`, bytes: [99990, SIZE] }],
  ['a suffix longer than the file', { range: 'bytes=-999999' }, { status: 206, range: `bytes 0-99999/${SIZE}`, bytes: [0, SIZE] }],
  ['a range running past the end', { range: 'bytes=65530-999999' }, { status: 206, range: `bytes 65530-99999/${SIZE}`, bytes: [65530, SIZE] }],
  ['one byte across a 64 KiB boundary', { range: 'bytes=65535-65536' }, { status: 206, range: `bytes 65535-65536/${SIZE}`, bytes: [65535, 65537] }],
  ['reversed', { range: 'bytes=99-0' }, { status: 200, bytes: [0, SIZE] }],
  ['overlapping', { range: 'bytes=0-99,50-149' }, { status: 200, bytes: [0, SIZE] }],
  ['two apart', { range: 'bytes=0-0,-1' }, { status: 200, bytes: [0, SIZE] }],
  // As many as a request's head holds (Node's limit: 16 KiB): 3,000.
  ['thousands of ranges', { range: `bytes=${Array.from({ length: 3000 }, () => '0-0').join(',')}` }, { status: 200, bytes: [0, SIZE] }],
  ['past the end', { range: `bytes=${SIZE}-` }, { status: 416, range: `bytes */${SIZE}` }],
  ['far past the end', { range: 'bytes=99999999999999999999-' }, { status: 416, range: `bytes */${SIZE}` }],
  ['bytes=-0', { range: 'bytes=-0' }, { status: 416, range: `bytes */${SIZE}` }],
  ['not bytes', { range: 'items=0-9' }, { status: 200, bytes: [0, SIZE] }],
  ['malformed', { range: 'bytes=x-y' }, { status: 200, bytes: [0, SIZE] }],
  ['If-Range with another ETag', { range: 'bytes=0-99', 'if-range': '"other"' }, { status: 200, bytes: [0, SIZE] }],
  ['If-Range with a date that is not Last-Modified', { range: 'bytes=0-99', 'if-range': 'Thu, 01 Jan 1970 00:00:00 GMT' }, { status: 200, bytes: [0, SIZE] }],
  ['a range and a failing If-Match', { range: 'bytes=0-99', 'if-match': '"other"' }, { status: 412 }],
  ['compressed codings offered', { range: 'bytes=0-99', 'accept-encoding': 'br, gzip' }, { status: 206, range: `bytes 0-99/${SIZE}`, bytes: [0, 100] }],
];

describe('range requests, answered alike by the Node server and the Worker', () => {
  it.each(CASES)('%s', async (_label, headers, expected) => {
    const { node, worker } = await exchange(runtimes, AUDIO_PATH, { headers });
    expect(worker.status).toBe(node.status);
    expect(worker.headers).toEqual(node.headers);
    expect(worker.body.equals(node.body)).toBe(true);
    expect(node.status).toBe(expected.status);
    expect(node.headers['content-range']).toBe(expected.range);
    if (expected.bytes) {
      const [start, end] = expected.bytes;
      expect(Buffer.from(AUDIO.subarray(start, end)).equals(node.body)).toBe(true);
      expect(node.headers['content-length']).toBe(String(end - start));
    }
    if (expected.status === 200 || expected.status === 206) {
      expect(node.headers['accept-ranges']).toBe('bytes');
      expect(node.headers['content-encoding']).toBeUndefined();
    }
  });

  it('If-Range with the current ETag or Last-Modified, and a conditional request that matches', async () => {
    const { node: plain } = await exchange(runtimes, AUDIO_PATH);
    const { etag, 'last-modified': lastModified } = plain.headers as { etag: string; 'last-modified': string };
    for (const ifRange of [etag, lastModified]) {
      const { node, worker } = await exchange(runtimes, AUDIO_PATH, { headers: { range: 'bytes=10-19', 'if-range': ifRange } });
      expect([node.status, worker.status, node.headers['content-range'], worker.body.equals(node.body)]).toEqual([206, 206, `bytes 10-19/${SIZE}`, true]);
    }
    const weak = await exchange(runtimes, AUDIO_PATH, { headers: { range: 'bytes=10-19', 'if-range': `W/${etag}` } });
    expect([weak.node.status, weak.worker.status]).toEqual([200, 200]);
    const unchanged = await exchange(runtimes, AUDIO_PATH, { headers: { range: 'bytes=10-19', 'if-none-match': etag } });
    expect([unchanged.node.status, unchanged.worker.status]).toEqual([304, 304]);
  });

  it('HEAD ignores Range (defined for GET only) and says what a GET would: the whole length, Accept-Ranges', async () => {
    const { node, worker } = await exchange(runtimes, AUDIO_PATH, { method: 'HEAD', headers: { range: 'bytes=0-99' } });
    expect([node.status, worker.status]).toEqual([200, 200]);
    expect(worker.headers).toEqual(node.headers);
    expect(node.headers).toMatchObject({ 'accept-ranges': 'bytes', 'content-length': String(SIZE), 'content-type': 'audio/mpeg' });
    expect(node.headers['content-range']).toBeUndefined();
    expect(node.body.byteLength).toBe(0);
  });

  it('a small text file is compressed when whole, and sent as it is for a range', async () => {
    const whole = await fetch(`${runtimes.node.url}/show/ep/ep.vtt`, { headers: { 'accept-encoding': 'gzip' } });
    expect(whole.headers.get('content-encoding')).toBe('gzip');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const { node, worker } = await exchange(runtimes, '/show/ep/ep.vtt', { headers: { range: 'bytes=0-5', 'accept-encoding': 'gzip' } });
    expect([node.status, worker.status]).toEqual([206, 206]);
    expect(worker.headers).toEqual(node.headers);
    expect(node.body.toString()).toBe('WEBVTT');
    expect(node.headers['content-encoding']).toBeUndefined();
  });

  it('audio is never compressed, whatever the client accepts', async () => {
    const response = await fetch(`${runtimes.node.url}${AUDIO_PATH}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(AUDIO))).toBe(true);
  });

  it('feeds and pages ignore Range: the whole representation, 200, without Accept-Ranges', async () => {
    for (const urlPath of ['/rss.xml', '/show/ep/']) {
      const { node, worker } = await exchange(runtimes, urlPath, { headers: { range: 'bytes=0-9' } });
      expect([node.status, worker.status], urlPath).toEqual([200, 200]);
      expect(node.headers['accept-ranges'], urlPath).toBeUndefined();
      expect(worker.body.equals(node.body), urlPath).toBe(true);
    }
  });

  it("the static build's _headers says nothing of ranges, and holds the file as it is", async () => {
    const headers = await readFile(path.join(dist, '_headers'), 'utf8');
    expect(headers.toLowerCase()).not.toContain('range');
    expect((await runtimes.host.body(AUDIO_PATH, runtimes.basePath)).equals(Buffer.from(AUDIO))).toBe(true);
  });
});
