/**
 * Local times in DST gaps and overlaps, under each disambiguation rule, in the zones the issue names;
 * historic (LMT) offsets with seconds; years near 1970 and 2037.
 */
import { describe, expect, it } from 'vitest';
import { formatRfc3339, formatUtc, normalizeTimestamp, type Disambiguation } from '../../src/time/index.js';

function resolve(input: string, zone: string, disambiguation?: Disambiguation) {
  return normalizeTimestamp(input, { zone, disambiguation });
}

/** RFC 3339 in the instant's own offset (UTC for LMT offsets with seconds), or the error. */
function shown(input: string, zone: string, disambiguation?: Disambiguation): string {
  const result = resolve(input, zone, disambiguation);
  return result.ok ? formatRfc3339(result.instant) : `error: ${result.error}`;
}

describe('the issue\'s "done when" examples', () => {
  it('2019-09-12 07:47 in Asia/Shanghai', () => {
    const result = resolve('2019-09-12 07:47', 'Asia/Shanghai');
    expect(result.ok && formatUtc(result.instant.epochMs)).toBe('2019-09-11T23:47:00Z');
  });

  it('2019-03-10 02:30 in America/New_York (a gap) moves forward by the gap', () => {
    const result = resolve('2019-03-10 02:30', 'America/New_York');
    expect(result.ok && formatUtc(result.instant.epochMs)).toBe('2019-03-10T07:30:00Z');
    expect(result.ok && result.adjustment).toEqual({ kind: 'gap', offsetBefore: -18_000, offsetAfter: -14_400 });
  });

  it('... and with reject is an error naming the zone and both offsets', () => {
    expect(shown('2019-03-10 02:30', 'America/New_York', 'reject')).toBe(
      'error: 2019-03-10 02:30 does not exist in America/New_York: clocks jumped from -05:00 to -04:00, skipping 1 hour; write the offset, or choose disambiguation compatible, earlier or later',
    );
  });
});

describe('the four rules in America/New_York', () => {
  it.each([
    ['compatible', '2019-03-10T03:30:00-04:00', '2019-11-03T01:30:00-04:00'],
    ['earlier', '2019-03-10T01:30:00-05:00', '2019-11-03T01:30:00-04:00'],
    ['later', '2019-03-10T03:30:00-04:00', '2019-11-03T01:30:00-05:00'],
  ] as const)('%s: gap -> %s, overlap -> %s', (rule, gap, overlap) => {
    expect(shown('2019-03-10 02:30', 'America/New_York', rule)).toBe(gap);
    expect(shown('2019-11-03 01:30', 'America/New_York', rule)).toBe(overlap);
  });

  it('compatible is the default', () => {
    expect(shown('2019-03-10 02:30', 'America/New_York')).toBe(shown('2019-03-10 02:30', 'America/New_York', 'compatible'));
    expect(shown('2019-11-03 01:30', 'America/New_York')).toBe('2019-11-03T01:30:00-04:00');
  });

  it('reject in an overlap names both candidates in a form that can be written back', () => {
    expect(shown('2019-11-03 01:30', 'America/New_York', 'reject')).toBe(
      'error: 2019-11-03 01:30 happens twice in America/New_York: clocks were set back from -04:00 to -05:00, so it is either 2019-11-03 01:30-04:00 (earlier) or 2019-11-03 01:30-05:00 (later); write the offset, or choose disambiguation earlier or later',
    );
    for (const candidate of ['2019-11-03 01:30-04:00', '2019-11-03 01:30-05:00']) {
      expect(resolve(candidate, 'America/New_York', 'reject').ok).toBe(true);
    }
  });

  it('the edges: the first missing minute, the first minute after the gap, the first and last repeated minutes', () => {
    expect(shown('2019-03-10 01:59:59.999', 'America/New_York', 'reject')).toBe('2019-03-10T01:59:59.999-05:00');
    expect(shown('2019-03-10 02:00', 'America/New_York', 'reject')).toMatch(/^error: .* does not exist/);
    expect(shown('2019-03-10 02:59:59.999', 'America/New_York', 'reject')).toMatch(/^error: .* does not exist/);
    expect(shown('2019-03-10 03:00', 'America/New_York', 'reject')).toBe('2019-03-10T03:00:00-04:00');
    expect(shown('2019-11-03 00:59:59.999', 'America/New_York', 'reject')).toBe('2019-11-03T00:59:59.999-04:00');
    expect(shown('2019-11-03 01:00', 'America/New_York', 'reject')).toMatch(/^error: .* happens twice/);
    expect(shown('2019-11-03 01:59:59.999', 'America/New_York', 'reject')).toMatch(/^error: .* happens twice/);
    expect(shown('2019-11-03 02:00', 'America/New_York', 'reject')).toBe('2019-11-03T02:00:00-05:00');
  });

  it('reports no adjustment for times that are exactly one instant, or resolved by earlier/later alike', () => {
    const plain = resolve('2019-07-01 12:00', 'America/New_York');
    expect(plain.ok && plain.adjustment).toBeUndefined();
    const overlap = resolve('2019-11-03 01:30', 'America/New_York', 'later');
    expect(overlap.ok && overlap.adjustment).toEqual({ kind: 'overlap', offsetBefore: -14_400, offsetAfter: -18_000 });
  });
});

describe('30-minute DST: Australia/Lord_Howe (+10:30 / +11:00)', () => {
  it('gap 02:00-02:30 on 2019-10-06', () => {
    expect(shown('2019-10-06 02:15', 'Australia/Lord_Howe')).toBe('2019-10-06T02:45:00+11:00');
    expect(shown('2019-10-06 02:15', 'Australia/Lord_Howe', 'earlier')).toBe('2019-10-06T01:45:00+10:30');
    expect(shown('2019-10-06 02:15', 'Australia/Lord_Howe', 'reject')).toContain('clocks jumped from +10:30 to +11:00, skipping 30 minutes');
    expect(shown('2019-10-06 02:30', 'Australia/Lord_Howe', 'reject')).toBe('2019-10-06T02:30:00+11:00');
  });

  it('overlap 01:30-02:00 on 2019-04-07', () => {
    expect(shown('2019-04-07 01:45', 'Australia/Lord_Howe')).toBe('2019-04-07T01:45:00+11:00');
    expect(shown('2019-04-07 01:45', 'Australia/Lord_Howe', 'later')).toBe('2019-04-07T01:45:00+10:30');
    expect(shown('2019-04-07 01:45', 'Australia/Lord_Howe', 'reject')).toContain('either 2019-04-07 01:45+11:00 (earlier) or 2019-04-07 01:45+10:30 (later)');
  });
});

describe('negative DST: Europe/Dublin (IST +01:00 in summer is the standard time)', () => {
  it('spring gap and autumn overlap resolve like any other zone', () => {
    expect(shown('2019-03-31 01:30', 'Europe/Dublin')).toBe('2019-03-31T02:30:00+01:00');
    expect(shown('2019-03-31 01:30', 'Europe/Dublin', 'earlier')).toBe('2019-03-31T00:30:00Z');
    expect(shown('2019-10-27 01:30', 'Europe/Dublin')).toBe('2019-10-27T01:30:00+01:00');
    expect(shown('2019-10-27 01:30', 'Europe/Dublin', 'later')).toBe('2019-10-27T01:30:00Z');
    expect(shown('2019-10-27 01:30', 'Europe/Dublin', 'reject')).toContain('set back from +01:00 to +00:00');
  });
});

describe('a skipped day: Pacific/Apia 2011-12-30 (-10:00 -> +14:00)', () => {
  it('the whole day is a 24-hour gap', () => {
    expect(shown('2011-12-29 23:59:59.999', 'Pacific/Apia', 'reject')).toBe('2011-12-29T23:59:59.999-10:00');
    expect(shown('2011-12-30 00:00', 'Pacific/Apia', 'reject')).toContain('clocks jumped from -10:00 to +14:00, skipping 24 hours');
    expect(shown('2011-12-30', 'Pacific/Apia', 'reject')).toContain('2011-12-30 00:00 does not exist in Pacific/Apia');
    expect(shown('2011-12-30 12:00', 'Pacific/Apia')).toBe('2011-12-31T12:00:00+14:00');
    expect(shown('2011-12-30 12:00', 'Pacific/Apia', 'earlier')).toBe('2011-12-29T12:00:00-10:00');
    expect(shown('2011-12-31 00:00', 'Pacific/Apia', 'reject')).toBe('2011-12-31T00:00:00+14:00');
  });

  it('the instants on either side are adjacent', () => {
    const before = resolve('2011-12-29 23:59:59.999', 'Pacific/Apia');
    const after = resolve('2011-12-31 00:00', 'Pacific/Apia');
    expect(before.ok && after.ok && after.instant.epochMs - before.instant.epochMs).toBe(1);
  });
});

describe('midnight inside a gap: date-only inputs in America/Sao_Paulo, 2018-11-04', () => {
  it('follow the rule like the wall time 00:00 they stand for', () => {
    expect(shown('2018-11-04', 'America/Sao_Paulo')).toBe('2018-11-04T01:00:00-02:00');
    expect(shown('2018-11-04', 'America/Sao_Paulo', 'later')).toBe('2018-11-04T01:00:00-02:00');
    expect(shown('2018-11-04', 'America/Sao_Paulo', 'earlier')).toBe('2018-11-03T23:00:00-03:00');
    expect(shown('2018-11-04', 'America/Sao_Paulo', 'reject')).toBe(
      'error: 2018-11-04 00:00 does not exist in America/Sao_Paulo: clocks jumped from -03:00 to -02:00, skipping 1 hour; write the offset, or choose disambiguation compatible, earlier or later',
    );
    const result = resolve('2018-11-04', 'America/Sao_Paulo');
    expect(result.ok && result.adjustment?.kind).toBe('gap');
  });

  it('the overlap at the end of that summer (2019-02-16 23:00-24:00) too', () => {
    expect(shown('2019-02-16 23:30', 'America/Sao_Paulo')).toBe('2019-02-16T23:30:00-02:00');
    expect(shown('2019-02-16 23:30', 'America/Sao_Paulo', 'later')).toBe('2019-02-16T23:30:00-03:00');
    expect(shown('2019-02-17', 'America/Sao_Paulo', 'reject')).toBe('2019-02-17T00:00:00-03:00');
  });
});

describe('45-minute offsets', () => {
  it('Asia/Kathmandu moved from +05:30 to +05:45 on 1986-01-01, a 15-minute gap', () => {
    expect(shown('1986-01-01 00:10', 'Asia/Kathmandu')).toBe('1986-01-01T00:25:00+05:45');
    expect(shown('1986-01-01 00:10', 'Asia/Kathmandu', 'earlier')).toBe('1985-12-31T23:55:00+05:30');
    expect(shown('1986-01-01 00:10', 'Asia/Kathmandu', 'reject')).toContain('skipping 15 minutes');
    expect(shown('1986-01-01', 'Asia/Kathmandu')).toBe('1986-01-01T00:15:00+05:45');
  });

  it('Pacific/Chatham (+12:45 / +13:45) gap and overlap', () => {
    expect(shown('2019-09-29 02:45', 'Pacific/Chatham')).toBe('2019-09-29T03:45:00+13:45');
    expect(shown('2019-04-07 02:45', 'Pacific/Chatham')).toBe('2019-04-07T02:45:00+13:45');
    expect(shown('2019-04-07 02:45', 'Pacific/Chatham', 'later')).toBe('2019-04-07T02:45:00+12:45');
  });
});

describe('historic offsets with seconds (LMT)', () => {
  it('are honoured to the second and shown in UTC, since RFC 3339 offsets have no seconds', () => {
    expect(shown('1900-01-01 00:00', 'Asia/Shanghai')).toBe('1899-12-31T15:54:17Z'); // +08:05:43
    expect(shown('1900-01-01 00:00', 'Asia/Kolkata')).toBe('1899-12-31T18:38:50Z'); // +05:21:10
    expect(shown('1850-06-01 12:00', 'America/New_York')).toBe('1850-06-01T16:56:02Z'); // -04:56:02
    const result = resolve('1900-01-01 00:00', 'Asia/Shanghai');
    expect(result.ok && result.instant.offsetSeconds).toBe(8 * 3600 + 5 * 60 + 43);
  });

  it('the end of LMT in New York (1883-11-18 12:03:58 -> 12:00:00 EST) is a 3 min 58 s overlap', () => {
    expect(shown('1883-11-18 12:02', 'America/New_York', 'reject')).toContain(
      'clocks were set back from -04:56:02 to -05:00, so it is either 1883-11-18 12:02-04:56:02 (earlier) or 1883-11-18 12:02-05:00 (later)',
    );
    expect(shown('1883-11-18 12:02', 'America/New_York')).toBe('1883-11-18T16:58:02Z');
    expect(shown('1883-11-18 12:02', 'America/New_York', 'later')).toBe('1883-11-18T12:02:00-05:00');
    expect(shown('1883-11-18 12:03:58', 'America/New_York', 'reject')).toBe('1883-11-18T12:03:58-05:00');
  });

  it('a gap of minutes and seconds is described exactly', () => {
    // Europe/Berlin 1893-04-01: LMT +00:53:28 -> CET +01:00, so 00:00:00-00:06:31 never happened.
    expect(shown('1893-04-01 00:03', 'Europe/Berlin', 'reject')).toContain(
      'clocks jumped from +00:53:28 to +01:00, skipping 6 minutes 32 seconds',
    );
    expect(shown('1893-04-01 00:03', 'Europe/Berlin')).toBe('1893-04-01T00:09:32+01:00');
  });
});

describe('years near 1970 and 2037', () => {
  it.each([
    ['1969-12-31 23:59:59.999', 'UTC', '1969-12-31T23:59:59.999Z'],
    ['1970-01-01 00:00', 'America/New_York', '1970-01-01T00:00:00-05:00'],
    ['1970-01-01 00:00', 'Europe/London', '1970-01-01T00:00:00+01:00'],
    ['2037-12-31 23:59:59', 'America/New_York', '2037-12-31T23:59:59-05:00'],
    ['2038-01-19 03:14:08', 'UTC', '2038-01-19T03:14:08Z'],
    ['2037-03-08 02:30', 'America/New_York', '2037-03-08T03:30:00-04:00'],
    ['2038-03-14 02:30', 'America/New_York', '2038-03-14T03:30:00-04:00'],
    ['2100-03-14 02:30', 'America/New_York', '2100-03-14T03:30:00-04:00'],
  ])('%s in %s -> %s', (input, zone, expected) => {
    expect(shown(input, zone)).toBe(expected);
  });
});

describe('a zone that skipped a day forward across the date line: Pacific/Kiritimati 1994-12-31', () => {
  it('is a 24-hour gap', () => {
    expect(shown('1994-12-31 12:00', 'Pacific/Kiritimati', 'reject')).toContain('clocks jumped from -10:00 to +14:00, skipping 24 hours');
    expect(shown('1994-12-31 12:00', 'Pacific/Kiritimati')).toBe('1995-01-01T12:00:00+14:00');
  });
});
