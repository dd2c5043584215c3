/**
 * What people bring from Hugo and wrangler: `--version`, colour on a terminal (NO_COLOR honoured),
 * progress through parsing and writing (a redrawn line on a terminal, a plain line now and then in
 * a log), usage lines that name every option, and a hint when the port is taken. Terminals are real:
 * `script` (util-linux) runs the command on a pseudo-terminal.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/args.js';
import { Progress, colourWanted } from '../../src/cli/terminal.js';
import { article, writeArticles } from '../helpers/articles.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = path.join(ROOT, 'bin/feedgen.js');
const run = promisify(execFile);
const ESC = '\u001b[';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function feedgen(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Run) => error,
  );
}

/** The command on a pseudo-terminal: stdout and stderr both go to it, and come back as one text. */
async function onTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const { stdout } = await run('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm', ...env } }).catch(
    (error: { stdout: string }) => error,
  );
  return stdout;
}

const SITE = {
  'news/_index.md': '---\ntitle: News\n---\n',
  'news/good.md': article('title: Good\ndate: 2020-01-01 10:00\nautor: Me'),
  'news/bad.md': article('title: Bad: colon\ndate: 2020-01-01 10:00'),
};
const VALID_SITE = {
  'news/_index.md': '---\ntitle: News\n---\n',
  'news/one.md': article('title: One\ndate: 2020-01-01 10:00'),
  'news/two.md': article('title: Two\ndate: 2020-01-02 10:00'),
};

describe('feedgen --version', () => {
  it('prints the version of package.json, as -v and version do', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v', 'version']) {
      expect(await feedgen([flag], ROOT)).toEqual({ code: 0, stdout: `feedgen ${version}\n`, stderr: '' });
    }
    expect((await feedgen(['--help'], ROOT)).stdout).toContain('feedgen --version');
  });
});

describe('colour', () => {
  it('marks problems on a terminal: the place in bold, errors red, the label of a warning yellow', async () => {
    const cwd = path.dirname(await writeArticles(SITE));
    const shown = await onTerminal(['check', '--no-cache'], cwd);
    expect(shown).toContain(`${ESC}1marticles/news/bad.md:2: ${ESC}22m${ESC}31mYAML: Nested mappings`);
    expect(shown).toContain(`${ESC}1marticles/news/good.md:4: ${ESC}22m${ESC}33mwarning:${ESC}39m unknown key "autor"`);
    expect(shown).toContain(`${ESC}31m1 error${ESC}39m, ${ESC}33m1 warning${ESC}39m`);
  });

  it('is left out with NO_COLOR, when not on a terminal, and on a dumb terminal; FORCE_COLOR asks for it anywhere', async () => {
    const cwd = path.dirname(await writeArticles(SITE));
    const SGR = /\u001b\[\d+m/;
    expect(await onTerminal(['check', '--no-cache'], cwd, { NO_COLOR: '1' })).not.toMatch(SGR);
    expect(await onTerminal(['check', '--no-cache'], cwd, { TERM: 'dumb' })).not.toMatch(SGR);
    const piped = await feedgen(['check', '--no-cache'], cwd);
    expect(piped.stdout + piped.stderr).not.toContain('\u001b');
    expect((await feedgen(['check', '--no-cache'], cwd, { FORCE_COLOR: '1' })).stdout).toContain(`${ESC}1marticles/news/bad.md:2: `);
    expect(colourWanted(true, { NO_COLOR: '' })).toBe(true);
    expect(colourWanted(true, { NO_COLOR: 'yes' })).toBe(false);
    expect(colourWanted(true, { TERM: 'dumb' })).toBe(false);
    expect(colourWanted(false, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourWanted(true, { FORCE_COLOR: '0' })).toBe(false);
  });
});

describe('progress', () => {
  it('on a terminal, redraws one line through parsing and writing and clears it before the summary', async () => {
    const cwd = path.dirname(await writeArticles(VALID_SITE));
    const shown = await onTerminal(['build', '--no-cache', '--out', 'out'], cwd, { NO_COLOR: '1' });
    expect(shown).toContain('\rfeedgen build: parsing 1/2 articles\u001b[K');
    expect(shown).toMatch(/\rfeedgen build: building 1\/\d+ files, 1 written\u001b\[K/);
    expect(shown).toMatch(/\r\u001b\[Kfeedgen build: 2 articles, \d+ files, \d+(\.\d)? KiB in out: \d+ written, 0 deleted; parsed on 1 thread/);
  });

  it('elsewhere, prints a plain line every FEEDGEN_PROGRESS_SECONDS once a step has taken that long; a build that writes nothing says so', async () => {
    const cwd = path.dirname(await writeArticles(VALID_SITE));
    const env = { FEEDGEN_PROGRESS_SECONDS: '0.001' };
    const first = await feedgen(['build', '--out', 'out'], cwd, env);
    expect(first.stderr).toMatch(/^feedgen build: parsing [12]\/2 articles \((50|100)%\)$/m);
    expect(first.stderr).toMatch(/^feedgen build: building \d+\/\d+ files, \d+ written \(\d+%\)$/m);
    // Again, from the cache: nothing changed, so it stops before parsing or building, and says that.
    const again = await feedgen(['build', '--out', 'out'], cwd, env);
    expect(again.stderr).not.toMatch(/parsing|building/);
    expect(again.stderr).toMatch(/: 0 written, 0 deleted; all 2 articles from the cache$/m);
    // By default (every 10 s) a quick run prints no progress at all.
    const quick = await feedgen(['build', '--out', 'out'], cwd);
    expect(quick.stderr).not.toMatch(/parsing|building/);
  });

  it('in a log, waits a whole interval before its first line and then prints one per interval', () => {
    let now = 0;
    const lines: string[] = [];
    const io: CommandIO = { out: () => {}, err: (text) => lines.push(text), stdin: process.stdin, isTTY: false, env: { FEEDGEN_PROGRESS_SECONDS: '10' } };
    const report = new Progress(io, 'build', { now: () => now }).step('parsing', 'articles');
    for (let done = 1; done <= 100; done++) {
      now = done * 500;
      report(done, 100);
    }
    expect(lines).toEqual(['feedgen build: parsing 20/100 articles (20%)\n', 'feedgen build: parsing 40/100 articles (40%)\n', 'feedgen build: parsing 60/100 articles (60%)\n', 'feedgen build: parsing 80/100 articles (80%)\n', 'feedgen build: parsing 100/100 articles (100%)\n']);
  });
});

describe('usage lines', () => {
  it('name every option each command takes', async () => {
    const help = async (command: string) => (await feedgen([command, '--help'], ROOT)).stdout.split('\n').find((line) => line.startsWith('Usage: ')) ?? '';
    for (const command of ['serve', 'build', 'check', 'worker-data']) {
      expect(await help(command), command).toContain('[--cache DIR] [--no-cache]');
    }
    expect(await help('worker-data')).toContain('[--out DIR]');
  });
});

describe('serve on a port in use', () => {
  it('says so and how to pick another, instead of "listen EADDRINUSE"', async () => {
    const cwd = path.dirname(await writeArticles({ 'news/_index.md': '---\ntitle: News\n---\n' }));
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const served = await feedgen(['serve', '--port', String(port), '--no-cache'], cwd);
      expect(served.code).toBe(1);
      expect(served.stderr).toBe(`feedgen serve: port ${port} is in use on 127.0.0.1 (another feedgen serve or wrangler dev?): stop it, or serve on another port with --port ${port + 1} (or PORT=…)\n`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
