/**
 * Proves that each time-* project really runs under its host time zone (vitest.config.ts), so that
 * the rest of the suite passing in every project means results do not depend on the host.
 */
import { describe, expect, it } from 'vitest';

const expected = process.env.FEEDGEN_EXPECTED_TZ;

/** Minutes west of UTC on 2019-01-15 and 2019-07-15 (Date's own sign), per host zone. */
const HOST_OFFSETS: Record<string, [number, number]> = {
  UTC: [0, 0],
  'America/New_York': [300, 240],
  'Asia/Kolkata': [-330, -330],
};

describe.runIf(expected !== undefined)(`the host time zone of this project (${expected})`, () => {
  it('is what the project configured', () => {
    expect(process.env.TZ).toBe(expected);
    // ICU names some zones by their old spelling (Asia/Calcutta), so compare canonical names.
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: expected }).resolvedOptions().timeZone;
    expect(new Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(canonical);
  });

  it('drives Date local fields, so tests that pass here pass despite a non-UTC host', () => {
    const [winter, summer] = HOST_OFFSETS[expected ?? ''] ?? [NaN, NaN];
    expect(new Date(Date.UTC(2019, 0, 15)).getTimezoneOffset()).toBe(winter);
    expect(new Date(Date.UTC(2019, 6, 15)).getTimezoneOffset()).toBe(summer);
  });
});
