/**
 * A media file of several gigabytes (sparse: it takes no disk, and reading its holes costs no
 * I/O), where a file held in a string fails: `check`, `build` and `worker-data` pass, the build
 * and the Worker's assets copy it as it is and keep it sparse, and the Node server streams it, in
 * the ranges asked for. Its hash is read once and kept in the cache by the file's stamp. The
 * resident memory of 20 clients reading it at once is measured by bench/media.ts.
 */
import { execFile } from 'node:child_process';
import { open, readFile, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article, writeArticles } from '../helpers/articles.js';
import { startServer } from '../helpers/server.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
/** 3 GiB and a little: past every 32-bit length, and not a whole number of buffers. */
const SIZE = 3 * 2 ** 30 + 12_345;

let articles: string;
let root: string;

async function feedgen(args: string[]): Promise<{ code: number; stderr: string }> {
  return run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args, '--articles', articles], { cwd: root, env: { ...process.env, SOURCE_DATE_EPOCH: '1790000000' } }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => error,
  );
}

/** The bytes of `file` from `start`, `length` of them. */
async function bytesAt(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** Disk the file takes (sparse: far less than its size; a copy writes whole megabytes where there are bytes). */
async function allocated(file: string): Promise<number> {
  return (await stat(file)).blocks * 512;
}

beforeAll(async () => {
  articles = await writeArticles({
    'video/talk.md': article(`title: A long talk\ndate: 2020-01-01 10:00\nenclosures: [{ url: ../../media/talk.mp4, type: video/mp4, length: ${SIZE} }]`),
    'media/talk.mp4': '',
  });
  root = path.dirname(articles);
  const file = path.join(articles, 'media', 'talk.mp4');
  await truncate(file, SIZE);
  const handle = await open(file, 'r+');
  await handle.write('HEAD', 0);
  await handle.write('TAIL', SIZE - 4);
  await handle.close();
  // A file stamped within two seconds of its last change is read again by the next run (see
  // content/source.ts): once settled, its hash is read from the cache by every run after the first.
  await new Promise((resolve) => setTimeout(resolve, 2100));
});

describe(`a sparse media file of ${SIZE} bytes`, () => {
  it('takes almost no disk here', async () => {
    expect(await allocated(path.join(articles, 'media', 'talk.mp4'))).toBeLessThan(1024 * 1024);
  });

  it('is copied as it is, and kept sparse, by build and worker-data, and passes check', { timeout: 120_000 }, async () => {
    for (const [command, out] of [['build', 'dist'], ['worker-data', 'assets']] as const) {
      const result = await feedgen([command, '--out', path.join(root, out)]);
      expect(result.code, result.stderr).toBe(0);
      const copy = path.join(root, out, 'media', 'talk.mp4');
      expect((await stat(copy)).size, out).toBe(SIZE);
      expect(await allocated(copy), out).toBeLessThan(4 * 1024 * 1024);
      expect((await bytesAt(copy, 0, 4)).toString(), out).toBe('HEAD');
      expect((await bytesAt(copy, SIZE - 4, 4)).toString(), out).toBe('TAIL');
      if (command === 'worker-data') expect(result.stderr).toContain('feedgen worker-data: warning: /media/talk.mp4 has 3 GiB, and Workers Static Assets takes files up to 25 MiB');
    }
    // Its hash was read once and kept, with the file's stamp, for the next runs.
    expect((await stat(path.join(root, '.feedgen-cache', 'articles', 'media.bin'))).size).toBeGreaterThan(0);
    const checked = await feedgen(['check']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(await readFile(path.join(root, 'dist', 'video', 'rss.xml'), 'utf8')).toContain(`<enclosure url="https://feeds.example.com/media/talk.mp4" length="${SIZE}" type="video/mp4"/>`);
  });

  describe('served by the Node server', () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      server = await startServer(articles, undefined, { cacheDir: path.join(root, '.feedgen-cache', 'articles'), now: () => 1_790_000_000_000 });
    }, 60_000);
    afterAll(() => server?.close());

    it('with its length, in ranges from anywhere in it, never compressed', async () => {
      const url = `${server.url}/media/talk.mp4`;
      const head = await fetch(url, { method: 'HEAD' });
      expect([head.status, head.headers.get('content-length'), head.headers.get('accept-ranges')]).toEqual([200, String(SIZE), 'bytes']);
      const ranges: Array<[string, string, string | Buffer]> = [
        ['bytes=0-3', `bytes 0-3/${SIZE}`, 'HEAD'],
        ['bytes=-4', `bytes ${SIZE - 4}-${SIZE - 1}/${SIZE}`, 'TAIL'],
        [`bytes=${2 ** 31}-${2 ** 31 + 65_535}`, `bytes ${2 ** 31}-${2 ** 31 + 65_535}/${SIZE}`, Buffer.alloc(65_536)],
        [`bytes=${SIZE - 10}-${SIZE * 2}`, `bytes ${SIZE - 10}-${SIZE - 1}/${SIZE}`, Buffer.concat([Buffer.alloc(6), Buffer.from('TAIL')])],
      ];
      for (const [range, contentRange, body] of ranges) {
        const response = await fetch(url, { headers: { range, 'accept-encoding': 'gzip, br' } });
        expect([response.status, response.headers.get('content-range'), response.headers.get('content-encoding')], range).toEqual([206, contentRange, null]);
        expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(body)), range).toBe(true);
      }
      expect((await fetch(url, { headers: { range: `bytes=${SIZE}-` } })).status).toBe(416);
    });

    it('whole, as a stream, to a client that reads only its start and goes', async () => {
      const controller = new AbortController();
      const response = await fetch(`${server.url}/media/talk.mp4`, { signal: controller.signal });
      expect([response.status, response.headers.get('content-length')]).toEqual([200, String(SIZE)]);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value as Uint8Array).subarray(0, 4).toString()).toBe('HEAD');
      controller.abort();
      await reader.cancel().catch(() => undefined);
      // The server goes on serving.
      expect((await fetch(`${server.url}/video/rss.xml`)).status).toBe(200);
    });
  });
});
