import { createInterface } from 'node:readline';
import { DISAMBIGUATIONS, formatUtc, isDisambiguation, normalizeTimestamp, parseTimestamp, type Disambiguation } from '../time/index.js';
import { UsageError, helpText, parse, type Command, type CommandIO } from './args.js';

export const timeCommand: Command = {
  name: 'time',
  summary: 'Turn a local time in an IANA zone into the exact instant, printed as RFC 3339 UTC.',
  usage: 'feedgen time INPUT --tz ZONE [--disambiguation compatible|earlier|later|reject]\n       feedgen time --batch   < lines of {"input": …, "tz": …, "disambiguation": …}',
  options: [
    '--tz ZONE                IANA zone the input is written in, e.g. Asia/Shanghai (not needed when INPUT has an offset)',
    '--disambiguation RULE    for times in a DST gap or overlap: compatible (default), earlier, later, reject',
    '--batch                  read JSON lines on stdin; print exactly one line for each: the instant, or "error: <message>"',
    '-h, --help               show this help',
    '',
    'INPUT is "YYYY-MM-DD HH:mm" (with :ss, .SSS, T, Z or ±HH:MM as wanted), "YYYY-MM-DD", or RFC 2822.',
    'Exit status: 0 on success, 1 when INPUT, ZONE or RULE is not accepted, 2 on a usage error.',
  ],
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { tz: { type: 'string' }, disambiguation: { type: 'string' }, batch: { type: 'boolean' } },
      true,
    );
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    if (values.batch) {
      if (positionals.length > 0 || values.tz !== undefined || values.disambiguation !== undefined) {
        throw new UsageError('--batch takes its inputs, zones and rules on stdin only');
      }
      await runBatch(io);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one INPUT (quote it: "2019-09-12 07:47")');
    const result = convert(positionals[0] as string, values.tz, values.disambiguation, '--tz ZONE');
    if (!result.ok) {
      io.err(`feedgen time: ${result.error}\n`);
      return 1;
    }
    io.out(`${result.text}\n`);
    return 0;
  },
};

type Conversion = { ok: true; text: string } | { ok: false; error: string };

function convert(input: string, zone: string | undefined, rule: string | undefined, zoneOption: string): Conversion {
  let disambiguation: Disambiguation | undefined;
  if (rule !== undefined) {
    if (!isDisambiguation(rule)) return { ok: false, error: `disambiguation must be one of ${DISAMBIGUATIONS.join(', ')}, not ${JSON.stringify(rule)}` };
    disambiguation = rule;
  }
  const result = normalizeTimestamp(input, { zone, disambiguation });
  if (result.ok) return { ok: true, text: formatUtc(result.instant.epochMs) };
  if (zone === undefined) {
    const parsed = parseTimestamp(input);
    if (parsed.ok && parsed.value.offsetSeconds === undefined) {
      return { ok: false, error: `${JSON.stringify(input.trim())} has no offset: give ${zoneOption} (an IANA name such as Asia/Shanghai), or write the offset (e.g. +08:00)` };
    }
  }
  return result;
}

function convertLine(line: string): string {
  if (line.trim() === '') return 'error: empty line; expected {"input": "2019-09-12 07:47", "tz": "Asia/Shanghai"}';
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    return 'error: line is not JSON; expected {"input": "2019-09-12 07:47", "tz": "Asia/Shanghai"}';
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return 'error: line must be a JSON object';
  const { input, tz, disambiguation } = request as Record<string, unknown>;
  if (typeof input !== 'string') return 'error: "input" must be a string';
  if (tz !== undefined && tz !== null && typeof tz !== 'string') return 'error: "tz" must be a string';
  if (disambiguation !== undefined && disambiguation !== null && typeof disambiguation !== 'string') {
    return 'error: "disambiguation" must be a string';
  }
  const result = convert(input, tz ?? undefined, disambiguation ?? undefined, '"tz"');
  return result.ok ? result.text : `error: ${result.error}`;
}

/** One output line per input line, blank ones included, so that outputs pair with inputs by position. */
function runBatch(io: CommandIO): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    let buffer = '';
    lines.on('line', (line) => {
      buffer += `${convertLine(line)}\n`;
      if (buffer.length > 64 * 1024) {
        io.out(buffer);
        buffer = '';
      }
    });
    lines.on('close', () => {
      io.out(buffer);
      resolve();
    });
    io.stdin.on('error', reject);
  });
}
