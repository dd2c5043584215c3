/** CONTRACT "Timestamps": every accepted form, and every class of rejection with a message that says why. */
import { describe, expect, it } from 'vitest';
import { ACCEPTED_FORMS, formatRfc3339, formatUtc, normalizeTimestamp, parseTimestamp } from '../../src/time/index.js';

function utc(input: string, zone: string | null = 'Asia/Shanghai'): string {
  const result = normalizeTimestamp(input, { zone: zone ?? undefined });
  if (!result.ok) throw new Error(result.error);
  return formatUtc(result.instant.epochMs);
}

function own(input: string, zone: string | null = 'Asia/Shanghai'): string {
  const result = normalizeTimestamp(input, { zone: zone ?? undefined });
  if (!result.ok) throw new Error(result.error);
  return formatRfc3339(result.instant);
}

function error(input: string, zone: string | null = 'Asia/Shanghai'): string {
  const result = normalizeTimestamp(input, { zone: zone ?? undefined });
  if (result.ok) throw new Error(`${input} was accepted as ${formatRfc3339(result.instant)}`);
  return result.error;
}

describe('accepted forms, as wall times in the zone', () => {
  it.each([
    ['2019-09-12 07:47', '2019-09-11T23:47:00Z'],
    ['2019-09-12 07:47:05', '2019-09-11T23:47:05Z'],
    ['2019-09-12 07:47:05.123', '2019-09-11T23:47:05.123Z'],
    ['2019-09-12T07:47', '2019-09-11T23:47:00Z'],
    ['2019-09-12T07:47:05', '2019-09-11T23:47:05Z'],
    ['2019-09-12T07:47:05.120', '2019-09-11T23:47:05.120Z'],
    ['2019-09-12', '2019-09-11T16:00:00Z'],
    ['  2019-09-12 07:47  ', '2019-09-11T23:47:00Z'],
  ])('%s -> %s', (input, expected) => {
    expect(utc(input)).toBe(expected);
  });

  it('keeps the zone offset for display', () => {
    expect(own('2019-09-12 07:47')).toBe('2019-09-12T07:47:00+08:00');
    expect(own('2023-04-20 12:45', 'Asia/Kathmandu')).toBe('2023-04-20T12:45:00+05:45');
    expect(own('2019-09-12 07:47', 'America/St_Johns')).toBe('2019-09-12T07:47:00-02:30');
  });
});

describe('fractions of a second', () => {
  it.each([
    ['2019-09-12 07:47:05.1', '2019-09-11T23:47:05.100Z'],
    ['2019-09-12 07:47:05.12', '2019-09-11T23:47:05.120Z'],
    ['2019-09-12 07:47:05.000', '2019-09-11T23:47:05Z'],
    ['2019-09-12 07:47:05.1234', '2019-09-11T23:47:05.123Z'],
    ['2019-09-12 07:47:05.999999999', '2019-09-11T23:47:05.999Z'],
    ['2019-09-12T07:47:05.9999Z', '2019-09-12T07:47:05.999Z'],
  ])('1-9 digits, truncated (never rounded) to milliseconds: %s -> %s', (input, expected) => {
    expect(utc(input)).toBe(expected);
  });

  it('refuses more than 9 digits, a comma, and fractions without seconds or in RFC 2822', () => {
    expect(error('2019-09-12 07:47:05.1234567891')).toContain('at most 9 digits');
    expect(error('2019-09-12 07:47:05,5')).toContain('with a dot');
    expect(error('2019-09-12 07:47.5')).toContain('unexpected text ".5"');
    expect(error('Thu, 12 Sep 2019 07:47:00.5 +0800')).toContain('no fractions of a second');
  });
});

describe('explicit offsets win over the zone and over reject', () => {
  it.each([
    ['2019-09-12T07:47:00Z', '2019-09-12T07:47:00Z'],
    ['2019-09-12 07:47Z', '2019-09-12T07:47:00Z'],
    ['2019-09-12T07:47+08:00', '2019-09-11T23:47:00Z'],
    ['2019-09-12T07:47:00.5-05:30', '2019-09-12T13:17:00.500Z'],
    ['2019-09-12T07:47+18:00', '2019-09-11T13:47:00Z'],
    ['2019-09-12T07:47-18:00', '2019-09-13T01:47:00Z'],
    ['2019-09-12T07:47-00:00', '2019-09-12T07:47:00Z'],
    ['2019-09-12Z', '2019-09-12T00:00:00Z'],
    ['2019-09-12+05:45', '2019-09-11T18:15:00Z'],
  ])('%s -> %s', (input, expected) => {
    expect(utc(input, 'America/New_York')).toBe(expected);
    expect(utc(input, null)).toBe(expected);
  });

  it('a time in a gap or overlap with its offset is exact even under reject', () => {
    const gap = normalizeTimestamp('2019-03-10T02:30-05:00', { zone: 'America/New_York', disambiguation: 'reject' });
    expect(gap.ok && formatUtc(gap.instant.epochMs)).toBe('2019-03-10T07:30:00Z');
    const overlap = normalizeTimestamp('2019-11-03T01:30-05:00', { zone: 'America/New_York', disambiguation: 'reject' });
    expect(overlap.ok && formatUtc(overlap.instant.epochMs)).toBe('2019-11-03T06:30:00Z');
    expect(overlap.ok && overlap.adjustment).toBeUndefined();
  });

  it('is shown in the offset written', () => {
    expect(own('2019-09-12T07:47-05:30', 'Asia/Tokyo')).toBe('2019-09-12T07:47:00-05:30');
  });
});

describe('RFC 2822', () => {
  it.each([
    ['Thu, 12 Sep 2019 07:47:00 +0800', '2019-09-11T23:47:00Z'],
    ['12 Sep 2019 07:47:00 +0800', '2019-09-11T23:47:00Z'],
    ['Thu, 12 Sep 2019 07:47 +0800', '2019-09-11T23:47:00Z'],
    ['Thu, 2 Jan 2020 07:47 -0330', '2020-01-02T11:17:00Z'],
    ['thu, 12 SEP 2019 07:47:00 GMT', '2019-09-12T07:47:00Z'],
    ['Thu, 12 Sep 2019 07:47:00 UT', '2019-09-12T07:47:00Z'],
    ['Thu,12 Sep 2019 07:47:00 -0000', '2019-09-12T07:47:00Z'],
  ])('%s -> %s', (input, expected) => {
    expect(utc(input, 'America/New_York')).toBe(expected);
  });

  it('refuses a weekday that contradicts the date', () => {
    expect(error('Fri, 12 Sep 2019 07:47:00 +0800')).toBe('2019-09-12 is a Thu, not a Fri, in "Fri, 12 Sep 2019 07:47:00 +0800"');
  });

  it.each([
    ['Thu, 12 Sep 2019 07:47:00 EST', 'zone "EST" is not accepted in RFC 2822 dates: write a numeric offset such as +0800, or GMT or UT'],
    ['Thu, 12 Sep 2019 07:47:00 Z', 'zone "Z" is not accepted'],
    ['Thu, 12 Sep 2019 07:47:00', 'needs its zone'],
    ['Thu, 12 Sep 2019 07:47 +08:00', 'write the offset as +0800 (no colon)'],
    ['Thursday, 12 Sep 2019 07:47 +0800', 'day name with three letters'],
    ['Thu, 12 September 2019 07:47 +0800', 'month name with three letters'],
    ['Thu 12 Sep 2019 07:47 +0800', 'put a comma after the day name'],
    ['Thu, 12 Sep 19 07:47 +0800', 'two-digit years are not accepted'],
    ['Thu, 12 Sep 2019 7:47 +0800', 'hour and minute need two digits'],
    ['Xyz, 12 Sep 2019 07:47 +0800', '"Xyz" is not an RFC 2822 day name'],
    ['Thu, 12 Sek 2019 07:47 +0800', '"Sek" is not an RFC 2822 month name'],
    ['Thu, 12 Sep 2019 07:47 +1900', 'offset +19:00 is beyond ±18:00'],
    ['Thu, 12 Sep 2019 07:47 +0860', 'offset minutes must be 00-59'],
  ])('refuses %s', (input, message) => {
    expect(error(input)).toContain(message);
  });
});

describe('impossible dates and times are errors, never rolled over', () => {
  it.each([
    ['2019-02-30', 'day 30 does not exist in 2019-02 (it has 28 days) in "2019-02-30"'],
    ['2019-02-29 10:00', 'day 29 does not exist in 2019-02 (it has 28 days)'],
    ['1900-02-29', 'day 29 does not exist in 1900-02'],
    ['2019-04-31', 'day 31 does not exist in 2019-04 (it has 30 days)'],
    ['2019-09-00', 'day 00 does not exist'],
    ['2019-13-01', 'month 13 does not exist in "2019-13-01"'],
    ['2019-00-10', 'month 00 does not exist'],
    ['2019-09-12 24:00', 'hour 24 does not exist (use 00-23; 24:00 is written as 00:00 of the next day)'],
    ['2019-09-12 24:01', 'hour 24 does not exist'],
    ['2019-09-12T25:00Z', 'hour 25 does not exist'],
    ['2019-09-12 07:60', 'minute 60 does not exist'],
    ['2019-09-12 07:47:61', 'second 61 does not exist'],
    ['2019-09-12 23:59:60', 'leap seconds (:60) cannot be represented'],
    ['Sat, 29 Feb 2019 10:00 +0000', 'day 29 does not exist in 2019-02'],
    ['2019-09-12T07:47+18:01', 'offset +18:01 is beyond ±18:00'],
    ['2019-09-12T07:47-23:00', 'offset -23:00 is beyond ±18:00'],
    ['2019-09-12T07:47+05:60', 'offset minutes must be 00-59'],
  ])('%s', (input, message) => {
    expect(error(input)).toContain(message);
  });

  it('leap days that exist are accepted', () => {
    expect(utc('2020-02-29 10:00', 'UTC')).toBe('2020-02-29T10:00:00Z');
    expect(utc('2000-02-29', 'UTC')).toBe('2000-02-29T00:00:00Z');
  });
});

describe('everything else is rejected, naming the accepted forms', () => {
  it.each([
    ['', 'empty timestamp'],
    ['   ', 'empty timestamp'],
    ['2019-9-12', 'month and day need two digits'],
    ['2019-09-1', 'month and day need two digits'],
    ['2019-09-12 7:47', 'hour and minute need two digits'],
    ['2019-09-12 07:4', 'hour and minute need two digits'],
    ['2019-09-12 07', 'a time needs hours and minutes'],
    ['2019-09-12 0747', 'write the time with a colon'],
    ['2019-09-12 07:47:5', 'seconds need two digits'],
    ['19-09-12', 'the year needs four digits'],
    ['12-09-2019', 'year first'],
    ['2019-09-12 07:47 PM', '12-hour clock times are not accepted'],
    ['2019-09-12 7:47am', '12-hour clock times are not accepted'],
    ['2019-09-12T07:47+0800', 'write the offset as ±HH:MM (e.g. +08:00)'],
    ['2019-09-12 07:47:00 +0800', 'write the offset as ±HH:MM'],
    ['2019-09-12T07:47+08', 'not ±HH'],
    ['2019-09-12T07:47+8:00', 'two-digit hours'],
    ['2019-09-12 07:47 +08:00', 'with no space'],
    ['2019-09-12t07:47', '"T" and "Z" as capital letters'],
    ['2019-09-12T07:47z', '"T" and "Z" as capital letters'],
    ['2019-09-12 07:47 CST', 'a zone name after the time is not accepted'],
    ['2019-09-12 07:47 Asia/Shanghai', 'a zone name after the time is not accepted'],
    ['2019-09-12T07:47+08:00[Asia/Shanghai]', 'a bracketed zone name is not accepted'],
    ['2019/09/12 07:47', 'dates with slashes or dots are not accepted'],
    ['9/12/2019', 'dates with slashes or dots are not accepted'],
    ['12.09.2019', 'dates with slashes or dots are not accepted'],
    ['20190912T0747', 'with dashes'],
    ['2019-W37-4', 'ISO week dates are not accepted'],
    ['2019-255', 'ISO ordinal dates'],
    ['+012019-09-12', 'years outside 0001-9999 are not accepted'],
    ['07:47', 'a time needs its date'],
    ['now', 'relative dates are not accepted'],
    ['yesterday', 'relative dates are not accepted'],
    ['3 days ago', 'relative dates are not accepted'],
    ['next friday', 'relative dates are not accepted'],
    ['+2d', 'relative dates are not accepted'],
    ['1568274420', 'Unix timestamps are not accepted'],
    ['Sep 12, 2019', 'month names are accepted only in RFC 2822 dates'],
    ['September 12 2019 07:47', 'month names are accepted only in RFC 2822 dates'],
    ['2019-09-12 07:47 extra', 'unexpected text " extra" after the timestamp'],
    ['2019-09-12  07:47', 'unexpected text'],
    ['2019-09-12T', 'unexpected text "T"'],
    ['hello', '"hello" is not a timestamp'],
    ['٢٠١٩-٠٩-١٢', 'is not a timestamp'],
  ])('%j: %s', (input, message) => {
    const text = error(input);
    expect(text).toContain(message);
    expect(text.endsWith(ACCEPTED_FORMS)).toBe(true);
  });

  it('quotes the input with control characters escaped, so that a message stays on one line', () => {
    const text = error('2019-09-12\n07:47');
    expect(text).toContain('"2019-09-12\\n07:47"');
    expect(text).not.toContain('\n');
  });

  it('cuts very long input short in the message', () => {
    const text = error(`2019-09-12 ${'x'.repeat(100_000)}`);
    expect(text).toContain('… (100011 characters)');
    expect(text.length).toBeLessThan(600);
  });

  it('ACCEPTED_FORMS names every form', () => {
    for (const form of ['YYYY-MM-DD HH:mm', ':ss', '.SSS', '"T"', 'YYYY-MM-DD"', '"Z"', '±HH:MM', 'RFC 2822']) {
      expect(ACCEPTED_FORMS).toContain(form);
    }
  });
});

describe('parseTimestamp', () => {
  it('keeps the wall fields exact, and reads a date-only input as midnight with no offset', () => {
    const parsed = parseTimestamp('2019-09-12T07:47:05.678+05:45');
    expect(parsed).toEqual({
      ok: true,
      value: { wall: { year: 2019, month: 9, day: 12, hour: 7, minute: 47, second: 5, millisecond: 678 }, offsetSeconds: 20_700 },
    });
    expect(parseTimestamp('2019-09-12')).toEqual({
      ok: true,
      value: { wall: { year: 2019, month: 9, day: 12, hour: 0, minute: 0, second: 0, millisecond: 0 } },
    });
  });
});

describe('without an offset, a zone is needed', () => {
  it('says so', () => {
    expect(error('2019-09-12 07:47', null)).toBe(
      '"2019-09-12 07:47" has no offset and no time zone applies: name the zone (an IANA name such as Asia/Shanghai) or write the offset (e.g. +08:00)',
    );
  });
});

describe('the years 0001-9999, the only years feed dates can carry', () => {
  it('are all accepted, LMT included', () => {
    expect(utc('0001-01-01 00:00', 'UTC')).toBe('0001-01-01T00:00:00Z');
    expect(utc('0001-01-01 12:00', 'UTC')).toBe('0001-01-01T12:00:00Z');
    expect(utc('9999-12-31 23:59:59.999', 'UTC')).toBe('9999-12-31T23:59:59.999Z');
    expect(utc('1500-06-01 12:00', 'Europe/London')).toBe('1500-06-01T12:01:15Z');
  });

  it('refuse the year 0000, which RFC 3339 could write but Atom\'s xsd:dateTime cannot', () => {
    const result = normalizeTimestamp('0000-06-01 12:00', { zone: 'UTC' });
    expect(result).toEqual({ ok: false, error: '"0000-06-01 12:00" falls outside the years 0001-9999, the only years feed dates can carry' });
    expect(error('0000-12-31 23:59:59.999', 'UTC')).toContain('falls outside the years 0001-9999');
  });

  it('refuse an instant that would leave them in UTC, rather than print year 0000 or a five-digit year', () => {
    expect(error('0000-01-01T00:00+01:00')).toContain('falls outside the years 0001-9999,');
    expect(error('0001-01-01T00:30+01:00')).toBe('"0001-01-01T00:30+01:00" falls outside the years 0001-9999 once converted to UTC, the only years feed dates can carry');
    expect(error('9999-12-31T23:00-02:00')).toContain('falls outside the years 0001-9999 once converted to UTC');
    // LMT +08:05:43: 0000-12-31T16:24:17Z.
    expect(error('0001-01-01 00:30', 'Asia/Shanghai')).toContain('falls outside the years 0001-9999 once converted to UTC');
  });

  it('refuse an instant that would leave them in the offset feeds show it in', () => {
    // 0001-01-01T00:00Z in UTC, but feeds would write 0000-12-31T23:00:00-01:00.
    expect(error('0000-12-31T23:00-01:00')).toContain('falls outside the years 0001-9999');
  });

  it('judge a time written in year 0000 as feeds show it: in UTC when its offset has seconds or is beyond ±14:00', () => {
    // New York's LMT was -04:56:02.
    expect(own('0000-12-31 23:00', 'America/New_York')).toBe('0001-01-01T03:56:02Z');
    expect(own('0000-12-31T20:00-15:00')).toBe('0001-01-01T11:00:00Z');
  });
});
