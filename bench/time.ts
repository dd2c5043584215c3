/**
 * Normalizations per second on the batch path of the time module, each next to a baseline measured
 * in the same run (machines here vary by ±50%, so only the ratios compare across runs):
 *
 *   in process   normalizeTimestamp + formatUtc       vs  Temporal polyfill doing the same conversions
 *                                                     vs  JSON.parse + JSON.stringify per line (floor)
 *   one process  `feedgen time --batch` fed N lines    vs  a bare Node readline process echoing them (floor)
 *
 *   npm run build && npx tsx bench/time.ts [N=50000] [rounds=5]
 *
 * Not part of npm test; nothing here asserts a time.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Temporal } from '@js-temporal/polyfill';
import { DISAMBIGUATIONS, formatUtc, normalizeTimestamp, type Disambiguation } from '../src/time/index.js';
import { random } from './random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/feedgen.js');
const N = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 5);

interface Request {
  input: string;
  tz: string;
  disambiguation: Disambiguation;
}

/** Local times 1970-2037 in every zone the runtime lists, all four rules; the newsroom case. */
function requests(count: number): Request[] {
  const next = random(20_261_125);
  const zones = Intl.supportedValuesOf('timeZone');
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return Array.from({ length: count }, () => {
    const year = 1970 + Math.floor(next() * 68);
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    const time = `${pad(Math.floor(next() * 24))}:${pad(Math.floor(next() * 60))}`;
    return {
      input: `${year}-${pad(month)}-${pad(day)} ${time}`,
      tz: zones[Math.floor(next() * zones.length)] as string,
      disambiguation: DISAMBIGUATIONS[Math.floor(next() * 4)] as Disambiguation,
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs `work` ROUNDS times after one warm-up; returns the median rate in items per second. */
function rateOf(work: () => number): number {
  work();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    const items = work();
    rates.push(items / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

async function processRate(args: string[], stdin: string, lines: number): Promise<{ rate: number; seconds: number }> {
  const run = () =>
    new Promise<number>((resolve, reject) => {
      const start = performance.now();
      const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
      let newlines = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        for (const byte of chunk) if (byte === 10) newlines++;
      });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0 || newlines !== lines) reject(new Error(`${args.join(' ')}: exit ${code}, ${newlines} lines of ${lines}`));
        else resolve((performance.now() - start) / 1000);
      });
      child.stdin.end(stdin);
    });
  await run();
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) times.push(await run());
  const seconds = median(times);
  return { rate: lines / seconds, seconds };
}

const ECHO = `
const rl = require('node:readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
let out = '';
rl.on('line', (line) => { out += JSON.stringify(JSON.parse(line)) + '\\n'; if (out.length > 65536) { process.stdout.write(out); out = ''; } });
rl.on('close', () => process.stdout.write(out));
`;

function format(rate: number): string {
  return `${Math.round(rate).toLocaleString('en-US').padStart(11)} /s`;
}

function row(label: string, rate: number): void {
  console.log(`  ${label.padEnd(52)}${format(rate)}`);
}

function ratio(label: string, rate: number, baseline: number): void {
  console.log(`  ${label.padEnd(52)}${`${(rate / baseline).toFixed(2)}x`.padStart(11)}`);
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'lib/cli/index.js'))) {
    console.error('lib/ is missing: run "npm run build" first');
    process.exitCode = 1;
    return;
  }
  const list = requests(N);
  const lines = list.map((r) => JSON.stringify(r));
  const stdin = `${lines.join('\n')}\n`;
  let sink = 0;

  const ours = rateOf(() => {
    for (const r of list) {
      const result = normalizeTimestamp(r.input, { zone: r.tz, disambiguation: r.disambiguation });
      sink += result.ok ? formatUtc(result.instant.epochMs).length : result.error.length;
    }
    return list.length;
  });
  const temporal = rateOf(() => {
    for (const r of list) {
      try {
        const zdt = Temporal.PlainDateTime.from(r.input.replace(' ', 'T')).toZonedDateTime(r.tz, { disambiguation: r.disambiguation });
        sink += zdt.toInstant().toString().length;
      } catch (error) {
        sink += (error as Error).message.length;
      }
    }
    return list.length;
  });
  const json = rateOf(() => {
    for (const line of lines) sink += JSON.stringify(JSON.parse(line)).length;
    return lines.length;
  });

  const batch = await processRate([path.join(ROOT, 'bin/feedgen.js'), 'time', '--batch'], stdin, N);
  const echo = await processRate(['-e', ECHO], stdin, N);
  const startup = await processRate([path.join(ROOT, 'bin/feedgen.js'), 'time', '--batch'], '', 0);

  console.log(`time module, batch path: ${N.toLocaleString('en-US')} local times (1970-2037, all ${Intl.supportedValuesOf('timeZone').length} zones, all 4 rules), median of ${ROUNDS} rounds`);
  console.log(`Node ${process.version}, ICU ${process.versions.icu}, tz ${process.versions.tz}, host TZ ${process.env.TZ ?? '(unset)'}\n`);
  console.log('in process                                                    rate');
  row('normalizeTimestamp + formatUtc', ours);
  row('baseline: Temporal polyfill, same conversions', temporal);
  ratio('  ratio module / Temporal', ours, temporal);
  row('floor: JSON.parse + JSON.stringify per line', json);
  ratio('  ratio module / JSON floor', ours, json);
  console.log('\none process, stdin -> stdout (start-up included)');
  row('feedgen time --batch', batch.rate);
  row('floor: node readline JSON echo', echo.rate);
  ratio('  ratio feedgen / echo', batch.rate, echo.rate);
  console.log(`  (feedgen start-up with empty input: ${(startup.seconds * 1000).toFixed(0)} ms; ${N.toLocaleString('en-US')} lines took ${batch.seconds.toFixed(2)} s)`);
  if (sink === 0) console.log('');
}

await main();
