/** The publish ledger: its text format, what it records, and its file written by two processes at once. */
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readLedger, saveLedger } from '../../src/ledger/file.js';
import { Ledger } from '../../src/ledger/ledger.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const pathOf = (url: string) => url.replace('https://x.example', '');
const live = (key: string, hash = `h-${key}`, id = `https://x.example/${key}/`) => ({ key, id, url: `https://x.example/${key}/`, contentHash: hash });

describe('Ledger records', () => {
  it('publishes new articles now, keeps their first publication, deletes and brings back', () => {
    const ledger = new Ledger();
    expect(ledger.recordArticles([live('a'), live('b')], T0, pathOf).added).toEqual(['a', 'b']);
    expect(ledger.recordArticles([live('a')], T0 + 60_000, pathOf)).toEqual({ added: [], deleted: ['b'], moves: [] });
    expect(ledger.articles.get('b')?.deleted).toBe(T0 + 60_000);
    expect(ledger.recordArticles([live('a'), live('b')], T0 + 120_000, pathOf).added).toEqual([]);
    expect(ledger.articles.get('b')).toEqual({ key: 'b', published: T0, id: 'https://x.example/b/', url: 'https://x.example/b/', contentHash: 'h-b' });
  });

  it('records a scheduled article ahead at its instant, publishes it then, and deletes it at its expiry', () => {
    const ledger = new Ledger();
    const at = T0 + 3_600_000;
    const expiry = T0 + 7_200_000;
    ledger.recordArticles([live('a')], T0, pathOf, { scheduled: [{ ...live('s'), at }], expired: [] });
    expect(ledger.articles.get('s')).toEqual({ ...live('s'), published: at, scheduled: true });
    // Rescheduled while pending: the record follows; nothing was published, so nothing is deleted.
    expect(ledger.recordArticles([live('a')], T0 + 1000, pathOf, { scheduled: [{ ...live('s'), at: at + 60_000 }], expired: [] }).deleted).toEqual([]);
    expect(ledger.articles.get('s')?.published).toBe(at + 60_000);
    // A run that comes late finds it published at its instant, not at the run's.
    expect(ledger.recordArticles([live('a'), live('s')], at + 600_000, pathOf).added).toEqual([]);
    expect(ledger.articles.get('s')?.published).toBe(at + 60_000);
    const changes = ledger.recordArticles([live('a')], expiry + 600_000, pathOf, { scheduled: [], expired: [{ key: 's', at: expiry }] });
    expect(changes.deleted).toEqual(['s']);
    expect(ledger.articles.get('s')?.deleted).toBe(expiry);
    // The mark survives the file, and a hand-written one is read.
    const again = Ledger.parse(ledger.serialize());
    expect(again.problems).toEqual([]);
    expect(again.ledger.articles.get('s')).toEqual(ledger.articles.get('s'));
    expect(ledger.serialize()).toMatch(/^article\ts\t\S+\t\S+\t\S+\th-s\t\S+\tscheduled$/m);
  });

  it('forgets a scheduled article that goes away, or expires, before its instant, and takes down one scheduled again', () => {
    const ledger = new Ledger();
    const at = T0 + 3_600_000;
    ledger.recordArticles([live('a')], T0, pathOf, { scheduled: [{ ...live('gone'), at }, { ...live('short'), at }], expired: [] });
    const changes = ledger.recordArticles([live('a')], T0 + 1000, pathOf, { scheduled: [], expired: [{ key: 'short', at: T0 + 500 }] });
    expect(changes.deleted).toEqual([]);
    expect([...ledger.articles.keys()]).toEqual(['a']);
    // Live, then its date moved to the future: taken down now, brought back (first publication kept) at the new date.
    expect(ledger.recordArticles([], T0 + 2000, pathOf, { scheduled: [{ ...live('a'), at }], expired: [] }).deleted).toEqual(['a']);
    expect(ledger.articles.get('a')?.deleted).toBe(T0 + 2000);
    ledger.recordArticles([live('a')], at, pathOf);
    expect(ledger.articles.get('a')).toEqual({ ...live('a'), published: T0 });
  });

  it('knows a renamed file by its content, keeps its publication and redirects its old URL, chains included', () => {
    const ledger = new Ledger();
    ledger.recordArticles([live('news/old', 'same')], T0, pathOf);
    const changes = ledger.recordArticles([live('news/new', 'same')], T0 + 1000, pathOf);
    expect(changes.added).toEqual([]);
    expect(changes.moves.map((m) => m.kind)).toEqual(['id', 'url']);
    expect(ledger.articles.get('news/new')?.published).toBe(T0);
    expect(ledger.articles.has('news/old')).toBe(false);
    ledger.recordArticles([live('news/newer', 'same')], T0 + 2000, pathOf);
    expect(Object.fromEntries(ledger.redirects)).toEqual({ '/news/old/': '/news/newer/', '/news/new/': '/news/newer/' });
  });

  it('reports an id changed in place', () => {
    const ledger = new Ledger();
    ledger.recordArticles([live('a')], T0, pathOf);
    expect(ledger.recordArticles([live('a', 'h-a', 'tag:x.example,2026:a')], T0, pathOf).moves).toEqual([{ kind: 'id', key: 'a', from: 'https://x.example/a/', to: 'tag:x.example,2026:a' }]);
  });

  it('dates bytes when they first appear, in whole seconds, and never backwards', () => {
    const ledger = new Ledger();
    expect(ledger.stampResource('/rss.xml', 'one', T0 + 1500)).toBe(T0 + 1000);
    expect(ledger.stampResource('/rss.xml', 'one', T0 + 9000)).toBe(T0 + 1000);
    expect(ledger.stampResource('/rss.xml', 'two', T0 + 1200)).toBe(T0 + 2000);
    expect(ledger.stampResource('/rss.xml', 'three', T0 - 86_400_000)).toBe(T0 + 3000);
  });

  it('writes sorted, tab-separated lines that read back to the same records', () => {
    const ledger = new Ledger();
    ledger.recordArticles([live('z'), live('a/中文')], T0, pathOf);
    ledger.recordArticles([live('a/中文')], T0 + 5000, pathOf);
    ledger.stampResource('/rss.xml', 'abc', T0);
    ledger.stampResource('/', 'def', T0);
    ledger.redirects.set('/old/', '/new/');
    const text = ledger.serialize();
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      'article\ta/中文\t2026-01-01T00:00:00Z\thttps://x.example/a/中文/\thttps://x.example/a/中文/\th-a/中文',
      'article\tz\t2026-01-01T00:00:00Z\thttps://x.example/z/\thttps://x.example/z/\th-z\t2026-01-01T00:00:05Z',
      'resource\t/\t2026-01-01T00:00:00Z\tdef',
      'resource\t/rss.xml\t2026-01-01T00:00:00Z\tabc',
      'redirect\t/old/\t/new/',
      '',
    ]);
    const back = Ledger.parse(text);
    expect(back.problems).toEqual([]);
    expect(back.ledger.serialize()).toBe(text);
  });

  it('reports a hand-broken line by number, with what is wrong', () => {
    const text = [
      '# comment',
      'article\ta\t2026-01-01T00:00:00Z\tid\turl\thash',
      'article\tb\t2026-13-01T00:00:00Z\tid\turl\thash',
      'resource\trss.xml\t2026-01-01T00:00:00Z\thash',
      'article\ta\t2026-01-01T00:00:00Z\tid\turl\thash',
      'resourse\t/x\t2026-01-01T00:00:00Z\th',
      'resource\t/y\t\th',
      'article\tc\t2026-01-01 00:00\tid\turl\thash',
    ].join('\n');
    expect(Ledger.parse(text).problems).toEqual([
      { line: 3, message: '"2026-13-01T00:00:00Z" is not an instant such as 2026-11-30T01:20:00Z' },
      { line: 4, message: '"rss.xml" is not a site path (it starts with "/")' },
      { line: 5, message: 'article "a" is recorded twice' },
      { line: 6, message: 'unknown record "resourse" (known: article, resource, redirect)' },
      { line: 7, message: 'empty field (two tabs in a row, or a tab at the end)' },
      { line: 8, message: '"2026-01-01 00:00" is not an instant such as 2026-11-30T01:20:00Z' },
    ]);
  });
});

describe('the ledger file', () => {
  it('is missing for a fresh site, and a broken one is reported, never overwritten', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'feedgen-ledger-'));
    const file = path.join(dir, '_ledger.tsv');
    const fresh = readLedger(file);
    expect(fresh.ok && fresh.ledger.articles.size).toBe(0);
    await writeFile(file, 'article\tbroken\n');
    expect(readLedger(file)).toEqual({ ok: false, problems: [{ line: 1, message: 'an article record has 5 or 6 fields after "article", not 1' }] });
    const ledger = new Ledger();
    ledger.stampResource('/', 'x', T0);
    expect((await saveLedger(file, ledger)).ok).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('article\tbroken\n');
  });

  it('survives a crash: a leftover temporary file and a lock of a dead process change nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'feedgen-ledger-'));
    const file = path.join(dir, '_ledger.tsv');
    await writeFile(`${file}.999999.tmp`, 'article\thalf-writ');
    await writeFile(`${file}.lock`, '999999');
    const ledger = new Ledger();
    ledger.stampResource('/', 'x', T0);
    expect((await saveLedger(file, ledger)).ok).toBe(true);
    const read = readLedger(file);
    expect(read.ok && [...read.ledger.resources.keys()]).toEqual(['/']);
  });

  it('merges what others wrote between the saves of a long-running process, whether they replaced the file or edited it in place', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'feedgen-ledger-'));
    const file = path.join(dir, '_ledger.tsv');
    const server = readLedger(file);
    if (!server.ok) throw new Error('unreadable');
    const stampAndSave = async (ledger: Ledger, resource: string) => {
      ledger.stampResource(resource, 'h', T0);
      expect((await saveLedger(file, ledger)).ok).toBe(true);
    };
    await stampAndSave(server.ledger, '/a');
    const other = readLedger(file);
    if (!other.ok) throw new Error('unreadable');
    await stampAndSave(other.ledger, '/b');
    await stampAndSave(server.ledger, '/c');
    await appendFile(file, 'resource\t/d\t2026-01-01T00:00:00Z\th\n');
    await stampAndSave(server.ledger, '/e');
    await stampAndSave(server.ledger, '/f');
    const read = readLedger(file);
    expect(read.ok && [...read.ledger.resources.keys()]).toEqual(['/a', '/b', '/c', '/d', '/e', '/f']);
  });

  it('loses no entry when two processes save at once, again and again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'feedgen-ledger-'));
    const file = path.join(dir, '_ledger.tsv');
    const writer = path.join(dir, 'writer.mts');
    await writeFile(
      writer,
      `import { readLedger, saveLedger } from ${JSON.stringify(path.join(ROOT, 'src/ledger/file.ts'))};
const [file, name] = process.argv.slice(2);
for (let i = 0; i < 40; i++) {
  const read = readLedger(file);
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  read.ledger.stampResource('/' + name + '/' + i, 'h' + i, ${T0});
  const saved = await saveLedger(file, read.ledger);
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
}
`,
    );
    await Promise.all(['a', 'b', 'c'].map((name) => run(process.execPath, ['--import', 'tsx', writer, file, name], { cwd: ROOT })));
    const read = readLedger(file);
    expect(read.ok).toBe(true);
    expect(read.ok && read.ledger.resources.size).toBe(120);
  }, 60_000);
});
