/** Instants -> text: RFC 3339 (UTC and own offset), RFC 2822 for RSS, IMF-fixdate for HTTP. */
import { describe, expect, it } from 'vitest';
import { formatHttpDate, formatOffset, formatRfc2822, formatRfc3339, formatUtc } from '../../src/time/index.js';

const SEED_INSTANT = Date.UTC(2019, 8, 11, 23, 47); // 2019-09-12 07:47 in Beijing

describe('formatUtc', () => {
  it('prints milliseconds only when non-zero', () => {
    expect(formatUtc(SEED_INSTANT)).toBe('2019-09-11T23:47:00Z');
    expect(formatUtc(SEED_INSTANT + 5)).toBe('2019-09-11T23:47:00.005Z');
    expect(formatUtc(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(formatUtc(Date.parse('0101-01-01T00:00:00Z'))).toBe('0101-01-01T00:00:00Z');
  });
});

describe('formatRfc3339 in the instant\'s own offset', () => {
  it.each([
    [8 * 3600, '2019-09-12T07:47:00+08:00'],
    [-(3 * 3600 + 30 * 60), '2019-09-11T20:17:00-03:30'],
    [5 * 3600 + 45 * 60, '2019-09-12T05:32:00+05:45'],
    [0, '2019-09-11T23:47:00Z'],
  ])('offset %i s', (offsetSeconds, expected) => {
    expect(formatRfc3339({ epochMs: SEED_INSTANT, offsetSeconds })).toBe(expected);
  });

  it('an offset with seconds (LMT) is shown in UTC so the text stays exact', () => {
    expect(formatRfc3339({ epochMs: SEED_INSTANT, offsetSeconds: 8 * 3600 + 5 * 60 + 43 })).toBe('2019-09-11T23:47:00Z');
    expect(formatRfc2822({ epochMs: SEED_INSTANT, offsetSeconds: -(4 * 3600 + 56 * 60 + 2) })).toBe('Wed, 11 Sep 2019 23:47:00 +0000');
  });
});

describe('formatRfc2822 and formatHttpDate', () => {
  it('write day and month names in English and the offset without a colon', () => {
    expect(formatRfc2822({ epochMs: SEED_INSTANT, offsetSeconds: 8 * 3600 })).toBe('Thu, 12 Sep 2019 07:47:00 +0800');
    expect(formatRfc2822({ epochMs: SEED_INSTANT, offsetSeconds: -9000 })).toBe('Wed, 11 Sep 2019 21:17:00 -0230');
    expect(formatHttpDate(SEED_INSTANT + 999)).toBe('Wed, 11 Sep 2019 23:47:00 GMT');
    expect(formatHttpDate(-1)).toBe('Wed, 31 Dec 1969 23:59:59 GMT');
  });
});

describe('weekday names', () => {
  it('agree with Date across the years 0001-9999, in the offset shown', () => {
    const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const from = Date.UTC(1, 0, 1);
    const to = Date.UTC(9999, 11, 31);
    for (let step = 0; step <= 2000; step++) {
      const epochMs = from + Math.floor(((to - from) / 2000) * step);
      expect(formatHttpDate(epochMs).slice(0, 3)).toBe(names[new Date(epochMs).getUTCDay()]);
      for (const offsetSeconds of [-14 * 3600, 14 * 3600]) {
        const shownDay = new Date(epochMs + offsetSeconds * 1000).getUTCDay();
        expect(formatRfc2822({ epochMs, offsetSeconds }).slice(0, 3)).toBe(names[shownDay]);
      }
    }
  });
});

describe('formatOffset', () => {
  it('extended form (RFC 3339, messages): shows seconds only when there are some', () => {
    expect(formatOffset(0)).toBe('+00:00');
    expect(formatOffset(-18_000)).toBe('-05:00');
    expect(formatOffset(20_700)).toBe('+05:45');
    expect(formatOffset(29_143)).toBe('+08:05:43');
    expect(formatOffset(-17_762)).toBe('-04:56:02');
    expect(formatOffset(8 * 3600, 'extended')).toBe('+08:00');
  });

  it('basic form (RFC 2822): no colon', () => {
    expect(formatOffset(8 * 3600, 'basic')).toBe('+0800');
    expect(formatOffset(-9000, 'basic')).toBe('-0230');
    expect(formatOffset(0, 'basic')).toBe('+0000');
    expect(formatOffset(-14 * 3600, 'basic')).toBe('-1400');
  });

  it('is the offset the feed formats write', () => {
    for (const offsetSeconds of [-14 * 3600, -9000, 3600, 20_700, 14 * 3600]) {
      const instant = { epochMs: SEED_INSTANT, offsetSeconds };
      expect(formatRfc3339(instant).endsWith(formatOffset(offsetSeconds))).toBe(true);
      expect(formatRfc2822(instant).endsWith(` ${formatOffset(offsetSeconds, 'basic')}`)).toBe(true);
    }
  });
});
