/**
 * `feedgen time` as users run it: the compiled CLI in a child process (npm test builds lib/ first).
 * The child inherits this project's host TZ.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatUtc, normalizeTimestamp } from '../../src/time/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/feedgen.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function feedgen(args: string[], stdin = '', env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(() => {
  const pairs = [
    ['src/cli/time.ts', 'lib/cli/time.js'],
    ['src/time/index.ts', 'lib/time/index.js'],
    ['src/time/parse.ts', 'lib/time/parse.js'],
    ['src/time/resolve.ts', 'lib/time/resolve.js'],
    ['src/time/zone.ts', 'lib/time/zone.js'],
  ];
  for (const [source, compiled] of pairs) {
    const built = statSync(path.join(ROOT, compiled as string), { throwIfNoEntry: false });
    if (!built || built.mtimeMs < statSync(path.join(ROOT, source as string)).mtimeMs) {
      throw new Error(`${compiled} is missing or older than ${source}: run "npm run build" first (npm test does)`);
    }
  }
});

describe('feedgen time INPUT --tz ZONE', () => {
  it('prints the Done-when instants', async () => {
    expect(await feedgen(['time', '2019-09-12 07:47', '--tz', 'Asia/Shanghai'])).toEqual({ code: 0, stdout: '2019-09-11T23:47:00Z\n', stderr: '' });
    expect(await feedgen(['time', '2019-03-10 02:30', '--tz', 'America/New_York'])).toEqual({ code: 0, stdout: '2019-03-10T07:30:00Z\n', stderr: '' });
  });

  it('with --disambiguation reject, exits 1 with a message naming the gap', async () => {
    const run = await feedgen(['time', '2019-03-10 02:30', '--tz', 'America/New_York', '--disambiguation', 'reject']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'feedgen time: 2019-03-10 02:30 does not exist in America/New_York: clocks jumped from -05:00 to -04:00, skipping 1 hour; write the offset, or choose disambiguation compatible, earlier or later\n',
    );
  });

  it('applies each rule, --disambiguation=RULE form included', async () => {
    const overlap = ['time', '2019-11-03 01:30', '--tz', 'America/New_York'];
    expect((await feedgen([...overlap])).stdout).toBe('2019-11-03T05:30:00Z\n');
    expect((await feedgen([...overlap, '--disambiguation', 'earlier'])).stdout).toBe('2019-11-03T05:30:00Z\n');
    expect((await feedgen([...overlap, '--disambiguation=later'])).stdout).toBe('2019-11-03T06:30:00Z\n');
    const reject = await feedgen([...overlap, '--disambiguation', 'reject']);
    expect(reject.code).toBe(1);
    expect(reject.stderr).toContain('happens twice in America/New_York');
  });

  it('prints milliseconds only when non-zero, and needs no --tz when the input has an offset', async () => {
    expect((await feedgen(['time', '2019-09-12T07:47:05.25+08:00'])).stdout).toBe('2019-09-11T23:47:05.250Z\n');
    expect((await feedgen(['time', 'Thu, 12 Sep 2019 07:47:00 +0800', '--tz', 'America/New_York'])).stdout).toBe('2019-09-11T23:47:00Z\n');
  });

  it.each([
    [['2019-02-30 10:00', '--tz', 'UTC'], 'feedgen time: day 30 does not exist in 2019-02 (it has 28 days) in "2019-02-30 10:00"\n'],
    [['2019-09-12 07:47', '--tz', 'CST'], 'feedgen time: time zone "CST" is an abbreviation, not an IANA zone name: it can mean America/Chicago, Asia/Shanghai or America/Havana: write the IANA name of the place\n'],
    [['2019-09-12 07:47', '--tz', 'Asia/Shangai'], 'feedgen time: unknown time zone "Asia/Shangai": did you mean Asia/Shanghai?\n'],
    [['2019-09-12 07:47', '--tz', 'UTC', '--disambiguation', 'latest'], 'feedgen time: disambiguation must be one of compatible, earlier, later, reject, not "latest"\n'],
    [['2019-09-12 07:47'], 'feedgen time: "2019-09-12 07:47" has no offset: give --tz ZONE (an IANA name such as Asia/Shanghai), or write the offset (e.g. +08:00)\n'],
  ])('bad input %j: exit 1 and one clear line on stderr', async (args, message) => {
    expect(await feedgen(['time', ...args])).toEqual({ code: 1, stdout: '', stderr: message });
  });

  it('an unaccepted form names the accepted ones', async () => {
    const run = await feedgen(['time', '12/09/2019 7:47 PM', '--tz', 'UTC']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^feedgen time: "12\/09\/2019 7:47 PM": 12-hour clock times are not accepted; use 00-23; accepted: "YYYY-MM-DD HH:mm", .* RFC 2822 .*\n$/);
  });

  it('usage errors exit 2 and point to --help', async () => {
    const none = await feedgen(['time']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give exactly one INPUT');
    expect(none.stderr).toContain('Run "feedgen time --help" for usage.');
    const unknown = await feedgen(['time', '2019-09-12 07:47', '--zone', 'UTC']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--zone'");
  });

  it('--help describes the command and exits 0', async () => {
    const run = await feedgen(['time', '--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const text of ['Usage: feedgen time INPUT --tz ZONE [--disambiguation compatible|earlier|later|reject]', 'feedgen time --batch', '--tz ZONE', '--disambiguation RULE', '--batch', 'Exit status']) {
      expect(run.stdout).toContain(text);
    }
  });

  it('gives the same answers whatever the host zone', async () => {
    for (const TZ of ['UTC', 'Pacific/Kiritimati', 'America/Sao_Paulo', 'Australia/Lord_Howe']) {
      const run = await feedgen(['time', '2018-11-04', '--tz', 'America/Sao_Paulo'], '', { ...process.env, TZ });
      expect(run.stdout, TZ).toBe('2018-11-04T03:00:00Z\n');
    }
  });
});

describe('feedgen time --batch', () => {
  it('answers each line in order, errors included, one output line per input line', async () => {
    const lines = [
      '{"input":"2019-09-12 07:47","tz":"Asia/Shanghai"}',
      '{"input":"2019-03-10 02:30","tz":"America/New_York"}',
      '{"input":"2019-03-10 02:30","tz":"America/New_York","disambiguation":"reject"}',
      '{"input":"2019-11-03 01:30","tz":"America/New_York","disambiguation":"later"}',
      '{"input":"2019-09-12T07:47:00.5Z"}',
      '{"input":"2019-09-12 07:47"}',
      '{"input":"2019-09-12 07:47","tz":"IST"}',
      '{"input":"2019-02-30","tz":"UTC"}',
      '{"input":"2019-09-12","tz":"UTC","disambiguation":"sometimes"}',
      'not json',
      '[1,2]',
      '{"input":42,"tz":"UTC"}',
      '{"input":"2019-09-12","tz":5}',
      '',
      '{"input":"2018-11-04","tz":"America/Sao_Paulo","disambiguation":null}\r',
      '{"input":"2019-09-12 07:47","tz":"Asia/Kolkata"}',
    ];
    const run = await feedgen(['time', '--batch'], `${lines.join('\n')}\n`);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = run.stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(lines.length);
    expect(out[0]).toBe('2019-09-11T23:47:00Z');
    expect(out[1]).toBe('2019-03-10T07:30:00Z');
    expect(out[2]).toBe('error: 2019-03-10 02:30 does not exist in America/New_York: clocks jumped from -05:00 to -04:00, skipping 1 hour; write the offset, or choose disambiguation compatible, earlier or later');
    expect(out[3]).toBe('2019-11-03T06:30:00Z');
    expect(out[4]).toBe('2019-09-12T07:47:00.500Z');
    expect(out[5]).toBe('error: "2019-09-12 07:47" has no offset: give "tz" (an IANA name such as Asia/Shanghai), or write the offset (e.g. +08:00)');
    expect(out[6]).toMatch(/^error: time zone "IST" is an abbreviation/);
    expect(out[7]).toMatch(/^error: day 30 does not exist/);
    expect(out[8]).toBe('error: disambiguation must be one of compatible, earlier, later, reject, not "sometimes"');
    expect(out[9]).toMatch(/^error: line is not JSON/);
    expect(out[10]).toBe('error: line must be a JSON object');
    expect(out[11]).toBe('error: "input" must be a string');
    expect(out[12]).toBe('error: "tz" must be a string');
    expect(out[13]).toMatch(/^error: empty line/);
    expect(out[14]).toBe('2018-11-04T03:00:00Z');
    expect(out[15]).toBe('2019-09-12T02:17:00Z');
  });

  it('handles thousands of lines in one process, each as the module does', async () => {
    const zones = Intl.supportedValuesOf('timeZone');
    const rules = ['compatible', 'earlier', 'later', 'reject'];
    const requests = Array.from({ length: 5000 }, (_, i) => ({
      input: i % 97 === 0 ? `2019-02-${29 + (i % 3)}` : `${1970 + (i % 68)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`,
      tz: zones[i % zones.length] as string,
      disambiguation: rules[i % 4] as 'compatible',
    }));
    const run = await feedgen(['time', '--batch'], requests.map((r) => JSON.stringify(r)).join('\n'));
    const out = run.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(requests.length);
    requests.forEach((r, i) => {
      const expected = normalizeTimestamp(r.input, { zone: r.tz, disambiguation: r.disambiguation });
      expect(out[i], JSON.stringify(r)).toBe(expected.ok ? formatUtc(expected.instant.epochMs) : `error: ${expected.error}`);
    });
    expect(out.filter((line) => line.startsWith('error: ')).length).toBeGreaterThan(0);
  });

  it('prints nothing for empty input, and takes no INPUT or --tz', async () => {
    expect(await feedgen(['time', '--batch'], '')).toEqual({ code: 0, stdout: '', stderr: '' });
    const withTz = await feedgen(['time', '--batch', '--tz', 'UTC']);
    expect(withTz.code).toBe(2);
    expect(withTz.stderr).toContain('--batch takes its inputs, zones and rules on stdin only');
  });
});
