/** IANA zone names: what is accepted, and the suggestions for what is not. */
import { describe, expect, it } from 'vitest';
import { checkZone, formatRfc3339, normalizeTimestamp } from '../../src/time/index.js';
import { offsetAt, offsetAtFromParts } from '../../src/time/zone.js';

function zoneError(name: string): string {
  const result = checkZone(name);
  if (result.ok) throw new Error(`${name} was accepted as ${result.zone}`);
  return result.error;
}

describe('accepted zone names', () => {
  it.each([
    ['Asia/Shanghai', 'Asia/Shanghai'],
    ['asia/shanghai', 'Asia/Shanghai'],
    [' Europe/Dublin ', 'Europe/Dublin'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Calcutta'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'Etc/UTC'],
    ['US/Eastern', 'US/Eastern'],
  ])('%j -> %s (as written, not renamed by ICU)', (name, expected) => {
    expect(checkZone(name)).toEqual({ ok: true, zone: expected });
  });

  it('every zone Intl lists', () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) expect(checkZone(zone), zone).toEqual({ ok: true, zone });
  });

  it('messages name the zone as the user wrote it', () => {
    const result = normalizeTimestamp('2019-03-10 02:30', { zone: 'Asia/Kolkata', disambiguation: 'reject' });
    expect(result.ok).toBe(true);
    const gap = normalizeTimestamp('2019-03-31 01:30', { zone: 'europe/dublin', disambiguation: 'reject' });
    expect(!gap.ok && gap.error).toContain('in Europe/Dublin:');
  });
});

describe('abbreviations are refused with the IANA names they may mean', () => {
  it.each([
    ['CST', 'time zone "CST" is an abbreviation, not an IANA zone name: it can mean America/Chicago, Asia/Shanghai or America/Havana: write the IANA name of the place'],
    ['IST', 'it can mean Asia/Kolkata, Europe/Dublin or Asia/Jerusalem'],
    ['BST', 'it can mean Europe/London or Asia/Dhaka'],
    ['EST', 'America/New_York'],
    ['est', 'time zone "est" is an abbreviation'],
    ['Cst', 'time zone "Cst" is an abbreviation'],
    ['PST', 'America/Los_Angeles'],
    ['JST', 'time zone "JST" is an abbreviation, not an IANA zone name: write Asia/Tokyo'],
    ['GMT', 'it can mean UTC or Europe/London'],
    ['CET', 'it can mean Europe/Paris or Europe/Berlin'],
    ['MST', 'America/Phoenix'],
    ['HST', 'write Pacific/Honolulu'],
    ['XYZT', 'time zone "XYZT" looks like an abbreviation, not an IANA zone name: use an IANA name such as Asia/Shanghai'],
  ])('%s', (name, message) => {
    expect(zoneError(name)).toContain(message);
  });

  it('old capitalised aliases point to the current name', () => {
    expect(zoneError('PRC')).toBe('time zone "PRC" is an old alias: write Asia/Shanghai');
    expect(zoneError('NZ')).toContain('write Pacific/Auckland');
    expect(zoneError('ROC')).toContain('write Asia/Taipei');
  });
});

describe('unknown names are refused with a suggestion', () => {
  it.each([
    ['Asia/Shangai', 'unknown time zone "Asia/Shangai": did you mean Asia/Shanghai?'],
    ['America/NewYork', 'did you mean America/New_York?'],
    ['America/New York', 'did you mean America/New_York?'],
    ['Beijing', 'did you mean Asia/Shanghai?'],
    ['Asia/Beijing', 'did you mean Asia/Shanghai?'],
    ['Mumbai', 'did you mean Asia/Kolkata?'],
    ['Asia/Kolkatta', 'did you mean Asia/Kolkata?'],
    ['Europe/Kyyiv', 'did you mean Europe/Kyiv?'],
    ['Mars/Olympus_Mons', 'unknown time zone "Mars/Olympus_Mons": use an IANA name such as Asia/Shanghai or America/New_York'],
    ['Asia/Shanghai\u0000', 'unknown time zone "Asia/Shanghai\\u0000": did you mean Asia/Shanghai?'],
  ])('%j', (name, message) => {
    expect(zoneError(name)).toContain(message);
  });

  it('a very long name is cut short and not compared with every zone', () => {
    expect(zoneError(`Asia/${'x'.repeat(100_000)}`)).toMatch(/^unknown time zone "Asia\/x+"… \(100005 characters\): use an IANA name/);
  });

  it('an empty zone', () => {
    expect(zoneError('')).toBe('empty time zone: use an IANA name such as Asia/Shanghai or America/New_York');
    expect(zoneError('   ')).toContain('empty time zone');
  });

  it.each(['+08:00', '-0500', 'UTC+8', 'GMT-05:00', 'Z', 'utc+5:30'])('a fixed offset %j is not a zone', (name) => {
    expect(zoneError(name)).toContain('is a fixed offset, not an IANA zone name: write the offset in the timestamp');
  });

  it('a bad zone is reported even when the timestamp carries its own offset', () => {
    const result = normalizeTimestamp('2019-09-12T07:47+08:00', { zone: 'CST' });
    expect(!result.ok && result.error).toContain('"CST" is an abbreviation');
  });
});

describe('zones with unusual offsets', () => {
  it.each([
    ['Asia/Kathmandu', '2023-04-20T12:45:00+05:45'],
    ['Pacific/Chatham', '2023-04-20T12:45:00+12:45'],
    ['Australia/Eucla', '2023-04-20T12:45:00+08:45'],
    ['Asia/Kolkata', '2023-04-20T12:45:00+05:30'],
    ['America/St_Johns', '2023-04-20T12:45:00-02:30'],
    ['Pacific/Marquesas', '2023-04-20T12:45:00-09:30'],
    ['Pacific/Kiritimati', '2023-04-20T12:45:00+14:00'],
    ['Etc/GMT+12', '2023-04-20T12:45:00-12:00'],
  ])('%s', (zone, expected) => {
    const result = normalizeTimestamp('2023-04-20 12:45', { zone });
    expect(result.ok && formatRfc3339(result.instant)).toBe(expected);
  });
});

describe('offsetAt', () => {
  it('reads the formatted text exactly as formatToParts would, in every zone from 1800 to 2100 and at the extremes', () => {
    const from = Date.UTC(1800, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    let seed = 1;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const instants = [Date.parse('0000-01-01T00:00:00Z'), Date.parse('9999-12-31T23:59:59.999Z'), -1, 0];
      for (let i = 0; i < 20; i++) instants.push(Math.floor(from + next() * (to - from)));
      for (const ms of instants) expect(offsetAt(zone, ms), `${zone} at ${ms}`).toBe(offsetAtFromParts(zone, ms));
    }
  });

  it('is exact to the second, LMT included', () => {
    expect(offsetAt('Asia/Shanghai', Date.UTC(1900, 0, 1))).toBe(8 * 3600 + 5 * 60 + 43);
    expect(offsetAt('Europe/Dublin', Date.UTC(1900, 0, 1))).toBe(-(25 * 60 + 21));
    expect(offsetAt('Asia/Kathmandu', Date.UTC(2019, 0, 1))).toBe(5 * 3600 + 45 * 60);
  });
});
