/**
 * The publish ledger as text and on disk: one record a line that reads back to what was written,
 * the rules that resolve two lines for one record (what a union merge of two branches leaves), a
 * format 1 file read and rewritten, problems by line, atomic saves under a lock that two processes
 * cannot both take, and no record lost when processes save at once.
 */
import { execFile } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Ledger, type ArticleRecord } from '../../src/state/ledger.js';
import { readLedger, saveLedger } from '../../src/state/ledger-file.js';
import { scratchFolder } from '../helpers/scratch.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');

const scratch = () => scratchFolder('feedgen-ledger-');
/** Processes that save the ledger, run by tsx, which keeps no cache in the temporary folder. */
const TSX = { cwd: ROOT, env: { ...process.env, TSX_DISABLE_CACHE: '1' } };

function record(key: string, changes: Partial<ArticleRecord> = {}): ArticleRecord {
  return { key, published: T0, revised: T0, id: `https://x.example/${key}/`, textHash: `h-${key}`, scopes: new Map([['/', {}]]), ...changes };
}

describe('the ledger as text', () => {
  it('writes one sorted record a line and reads it back to the same text', () => {
    const ledger = new Ledger();
    ledger.articles.set('z', record('z', { deleted: T0 + 5000 }));
    ledger.articles.set('a/中文', record('a/中文', { scopes: new Map([['/', { archive: 2 }], ['/a/', {}], ['/tags/5g/', { left: T0 + 3000 }], ['~huawei', {}]]) }));
    ledger.articles.set('s', record('s', { published: T0 + 86_400_000, scheduled: true, scopes: new Map() }));
    ledger.settings.set('_index.md', { key: '_index.md', hash: 'abc', revised: T0 });
    ledger.media.set('podcast/x.mp3', { key: 'podcast/x.mp3', hash: 'def', revised: T0 });
    ledger.generator = { revision: 2, since: T0 };
    ledger.clocks = [[{ at: T0 + 5000, digest: 'aaaa' }, { at: T0, digest: 'bbbb' }]];
    ledger.redirects.set('/old/', '/new/');
    const text = ledger.serialize();
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      `generator\t2\t${at(0)}`,
      `clock\t${at(5)}~aaaa\t${at(0)}~bbbb`,
      `settings\t_index.md\tabc\t${at(0)}`,
      `media\tpodcast/x.mp3\tdef\t${at(0)}`,
      `article\ta/中文\t${at(0)}\t${at(0)}\thttps://x.example/a/中文/\th-a/中文\t/#2 /a/ /tags/5g/@${at(3)} ~huawei`,
      `article\ts\t${at(86_400)}\t${at(0)}\thttps://x.example/s/\th-s\t-\tscheduled`,
      `article\tz\t${at(0)}\t${at(0)}\thttps://x.example/z/\th-z\t/\tdeleted:${at(5)}`,
      'redirect\t/old/\t/new/',
      '',
    ]);
    const back = Ledger.parse(text);
    expect(back.problems).toEqual([]);
    expect(back.ledger.serialize()).toBe(text);
  });

  it('reads a ledger of format 1, dropping the per-URL stamps a run derives now', () => {
    const text = [
      `article\tnews/a\t${at(0)}\thttps://x.example/news/a/\thttps://x.example/news/a/\th-a`,
      `article\tnews/b\t${at(60)}\thttps://x.example/news/b/\thttps://x.example/news/b/\th-b\t${at(120)}`,
      `article\tnews/s\t${at(600)}\thttps://x.example/news/s/\thttps://x.example/news/s/\th-s\tscheduled`,
      `resource\t/rss.xml\t${at(0)}\tetag`,
      'redirect\t/news/old/\t/news/a/',
    ].join('\n');
    const { ledger, problems } = Ledger.parse(text);
    expect(problems).toEqual([]);
    expect(ledger.articles.get('news/a')).toEqual({ key: 'news/a', published: T0, revised: T0, id: 'https://x.example/news/a/', textHash: 'h-a', scopes: new Map() });
    expect(ledger.articles.get('news/b')?.deleted).toBe(T0 + 120_000);
    expect(ledger.articles.get('news/s')?.scheduled).toBe(true);
    expect(ledger.serialize()).not.toContain('resource');
  });

  it('reports a hand-broken line by number, with what is wrong, and reads the rest', () => {
    const text = [
      '# comment',
      `article\ta\t${at(0)}\t${at(0)}\tid\thash\t/`,
      `article\tb\t2026-13-01T00:00:00Z\t${at(0)}\tid\thash\t/`,
      `article\tc\t${at(0)}\t${at(0)}\tid\thash\tnews`,
      `articel\td\t${at(0)}`,
      `settings\t_index.md\t\t${at(0)}`,
      `article\te\t${at(0)}\t${at(0)}\tid\thash\t/\tdeleted`,
      'clock\tyesterday',
    ].join('\n');
    const { ledger, problems } = Ledger.parse(text);
    expect(problems).toEqual([
      { line: 3, message: '"2026-13-01T00:00:00Z" is not an instant such as 2026-11-30T01:20:00Z' },
      { line: 4, message: '"news" is not a scope such as /news/#3 or /tags/5g/@2026-11-30T01:20:00Z' },
      { line: 5, message: 'unknown record "articel" (known: article, settings, media, generator, redirect, clock, merge)' },
      { line: 6, message: 'empty field (two tabs in a row, or a tab at the end)' },
      { line: 7, message: 'unknown field "deleted" (known: deleted:<instant>, scheduled)' },
      { line: 8, message: '"yesterday" is not a run such as 2026-11-30T01:20:00Z~1a2b3c' },
    ]);
    expect([...ledger.articles.keys()]).toEqual(['a']);
  });
});

describe('two lines for one record, as a union merge of two branches leaves them', () => {
  const merged = (...lines: string[]) => {
    const { ledger, problems } = Ledger.parse(lines.join('\n'));
    expect(problems).toEqual([]);
    return ledger;
  };

  it('keep the earliest first publication, the newer text, every scope and the lower of two archives', () => {
    const ledger = merged(
      `article\tnews/a\t${at(60)}\t${at(60)}\tid-1\told\t/#1 /news/ /tags/x/`,
      `article\tnews/a\t${at(0)}\t${at(90)}\tid-2\tnew\t/#2 /news/#1 /tags/y/@${at(90)}`,
    );
    expect(ledger.articles.get('news/a')).toEqual({
      key: 'news/a',
      published: T0,
      revised: T0 + 90_000,
      id: 'id-2',
      textHash: 'new',
      scopes: new Map([['/', { archive: 1 }], ['/news/', { archive: 1 }], ['/tags/x/', {}], ['/tags/y/', { left: T0 + 90_000 }]]),
    });
  });

  it('resolve alike whichever side comes first', () => {
    const a = `article\tnews/a\t${at(60)}\t${at(60)}\tid\tone\t/ /tags/x/@${at(70)}\tdeleted:${at(80)}`;
    const b = `article\tnews/a\t${at(0)}\t${at(60)}\tid\ttwo\t/#1 /tags/x/@${at(75)}`;
    const settings = [`settings\tnews/_index.md\th1\t${at(5)}`, `settings\tnews/_index.md\th2\t${at(5)}`];
    expect(merged(a, b, ...settings).serialize()).toBe(merged(b, a, ...settings.reverse()).serialize());
  });

  it('keep the later revision of a settings or media file, the newer output revision, and every redirect once', () => {
    const ledger = merged(
      `settings\t_index.md\told\t${at(0)}`,
      `settings\t_index.md\tnew\t${at(30)}`,
      `generator\t2\t${at(10)}`,
      `generator\t2\t${at(5)}`,
      `generator\t1\t${at(1)}`,
      'redirect\t/a/\t/c/',
      'redirect\t/a/\t/b/',
    );
    expect(ledger.settings.get('_index.md')).toEqual({ key: '_index.md', hash: 'new', revised: T0 + 30_000 });
    expect(ledger.generator).toEqual({ revision: 2, since: T0 + 5000 });
    expect([...ledger.redirects]).toEqual([['/a/', '/b/']]);
  });

  it('keep both clock lines: the next run knows two histories joined', () => {
    const ledger = merged(`clock\t${at(20)}~b\t${at(10)}~a`, `clock\t${at(30)}~c\t${at(10)}~a`, `clock\t${at(20)}~b\t${at(10)}~a`);
    expect(ledger.clocks).toHaveLength(2);
  });

  it('keep a clock line beside the one that went on from it: the side that did not record still served the site', () => {
    const ledger = merged(`clock\t${at(20)}~b\t${at(10)}~a`, `clock\t${at(10)}~a`);
    expect(ledger.clocks).toHaveLength(2);
  });
});

describe('a ledger absorbing another', () => {
  const parse = (...lines: string[]) => Ledger.parse(lines.join('\n')).ledger;
  const heads = (ledger: Ledger) => ledger.clocks.map((line) => line[0]?.digest);

  it('joins nothing when one went on from the other (two writers that read the same file)', () => {
    const newer = parse(`clock\t${at(30)}~c\t${at(20)}~b\t${at(10)}~a`);
    newer.absorb(parse(`clock\t${at(20)}~b\t${at(10)}~a`));
    expect(heads(newer)).toEqual(['c']);
    const older = parse(`clock\t${at(20)}~b\t${at(10)}~a`);
    older.absorb(parse(`clock\t${at(30)}~c\t${at(20)}~b`));
    expect(heads(older)).toEqual(['c']);
  });

  it('keeps what the later one learnt: a scope an article left stays left (found by the fuzzer: serve --watch saving over the file it went on from)', () => {
    const before = `article\tnews/a\t${at(0)}\t${at(0)}\tid\th1\t/ /tags/beta/`;
    const after = `article\tnews/a\t${at(0)}\t${at(30)}\tid\th2\t/ /tags/beta/@${at(30)}`;
    const watching = parse(`clock\t${at(30)}~c\t${at(20)}~b`, after);
    watching.absorb(parse(`clock\t${at(20)}~b`, before));
    expect(watching.articles.get('news/a')?.scopes.get('/tags/beta/')).toEqual({ left: Date.parse(at(30)) });
    const file = parse(`clock\t${at(20)}~b`, before);
    file.absorb(parse(`clock\t${at(30)}~c\t${at(20)}~b`, after));
    expect(file.serialize()).toBe(parse(`clock\t${at(30)}~c\t${at(20)}~b`, after).serialize());
  });

  it('keeps both histories when they forked, and a merge not yet recorded on either side', () => {
    const ours = parse(`clock\t${at(30)}~c\t${at(20)}~b`);
    ours.absorb(parse(`clock\t${at(40)}~d\t${at(20)}~b`));
    expect(heads(ours)).toEqual(['c', 'd']);
    const pending = parse(`clock\t${at(30)}~c\t${at(20)}~b`, `clock\t${at(20)}~b`);
    pending.absorb(parse(`clock\t${at(30)}~c\t${at(20)}~b`, `clock\t${at(20)}~b`));
    expect(heads(pending)).toEqual(['c', 'b']);
  });
});

describe('the ledger file', () => {
  it('is missing for a fresh site, and a broken one is reported, never overwritten', async () => {
    const file = path.join(await scratch(), '_ledger.tsv');
    const fresh = readLedger(file);
    expect(fresh.ok && fresh.ledger.articles.size).toBe(0);
    await writeFile(file, 'article\tbroken\n');
    expect(readLedger(file)).toEqual({ ok: false, problems: [{ line: 1, message: 'an article record has 6 fields or more after "article", not 1' }] });
    const ledger = new Ledger();
    ledger.articles.set('a', record('a'));
    expect((await saveLedger(file, ledger)).ok).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('article\tbroken\n');
  });

  it('is not written when nothing was learnt since it was read', async () => {
    const file = path.join(await scratch(), '_ledger.tsv');
    await writeFile(file, `article\ta\t${at(0)}\t${at(0)}\tid\th\t/\n`);
    const read = readLedger(file);
    if (!read.ok) throw new Error('unreadable');
    expect(await saveLedger(file, read.ledger)).toEqual({ ok: true, written: false });
    expect(await readFile(file, 'utf8')).toBe(`article\ta\t${at(0)}\t${at(0)}\tid\th\t/\n`);
  });

  it('survives a crash: a leftover temporary file and a lock of a dead process change nothing', async () => {
    const file = path.join(await scratch(), '_ledger.tsv');
    await writeFile(`${file}.999999.tmp`, 'article\thalf-writ');
    await writeFile(`${file}.lock`, '999999');
    const ledger = new Ledger();
    ledger.articles.set('a', record('a'));
    expect((await saveLedger(file, ledger)).ok).toBe(true);
    const read = readLedger(file);
    expect(read.ok && [...read.ledger.articles.keys()]).toEqual(['a']);
  });

  it('takes in what others wrote between the saves of a long-running process, whether they replaced the file or edited it in place', async () => {
    const file = path.join(await scratch(), '_ledger.tsv');
    const server = readLedger(file);
    if (!server.ok) throw new Error('unreadable');
    const add = async (ledger: Ledger, key: string) => {
      ledger.articles.set(key, record(key));
      expect((await saveLedger(file, ledger)).ok).toBe(true);
    };
    await add(server.ledger, 'a');
    const other = readLedger(file);
    if (!other.ok) throw new Error('unreadable');
    await add(other.ledger, 'b');
    await add(server.ledger, 'c');
    await appendFile(file, `article\td\t${at(0)}\t${at(0)}\tid\th\t/\n`);
    await add(server.ledger, 'e');
    await add(server.ledger, 'f');
    const read = readLedger(file);
    expect(read.ok && [...read.ledger.articles.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('loses no record when three processes save at once, again and again', async () => {
    const dir = await scratch();
    const file = path.join(dir, '_ledger.tsv');
    const writer = path.join(dir, 'writer.mts');
    await writeFile(
      writer,
      `import { readLedger, saveLedger } from ${JSON.stringify(path.join(ROOT, 'src/state/ledger-file.ts'))};
const [file, name] = process.argv.slice(2);
for (let i = 0; i < 40; i++) {
  const read = readLedger(file);
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  read.ledger.articles.set(name + i, { key: name + i, published: ${T0}, revised: ${T0}, id: 'id', textHash: 'h', scopes: new Map() });
  const saved = await saveLedger(file, read.ledger);
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
}
`,
    );
    await Promise.all(['a', 'b', 'c'].map((name) => run(process.execPath, ['--import', 'tsx', writer, file, name], TSX)));
    const read = readLedger(file);
    expect(read.ok && read.ledger.articles.size).toBe(120);
  }, 60_000);

  it('is locked by one process at a time, even when two find a lock left by a process that died', async () => {
    const dir = await scratch();
    const counter = path.join(dir, 'counter');
    const lock = path.join(dir, '_ledger.tsv.lock');
    await writeFile(counter, '0');
    const worker = path.join(dir, 'locker.mts');
    // Each round: take the lock, read, add one, write, let go; now and then leave a lock as a
    // process that died would (its id is one no process has), which the others must break.
    await writeFile(
      worker,
      `import { readFileSync, writeFileSync, rmSync, openSync, closeSync, writeSync } from 'node:fs';
import { acquireLock } from ${JSON.stringify(path.join(ROOT, 'src/state/lock.ts'))};
const [counter, lock, rounds] = process.argv.slice(2);
for (let i = 0; i < Number(rounds); i++) {
  await acquireLock(lock, { staleMs: 30_000, wait: { ms: 10_000, busy: 'locked' } });
  const value = Number(readFileSync(counter, 'utf8'));
  await new Promise((resolve) => setImmediate(resolve));
  writeFileSync(counter, String(value + 1));
  rmSync(lock);
  if (i % 2 === 0) {
    try { const fd = openSync(lock, 'wx'); writeSync(fd, '2147483646'); closeSync(fd); } catch {}
  }
}
`,
    );
    const rounds = 150;
    await Promise.all([0, 1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', worker, counter, lock, String(rounds)], TSX)));
    expect(Number(await readFile(counter, 'utf8'))).toBe(4 * rounds);
  }, 60_000);
});
