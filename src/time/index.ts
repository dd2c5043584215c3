/**
 * The time module's one entry point: timestamp text + zone + rule -> exact instant.
 *
 * An explicit offset in the text (`Z`, `+08:00`, RFC 2822 `+0800`/`GMT`) wins over the zone and over
 * `reject`; otherwise the text is a wall time in `zone`, resolved by `resolveWallTime`.
 */
import { wallToEpochMs } from './calendar.js';
import { displayOffset, type OffsetInstant } from './format.js';
import { parseTimestamp } from './parse.js';
import { quote } from './quote.js';
import { resolveWallTime, type Adjustment, type Disambiguation } from './resolve.js';
import { checkZone, offsetAt } from './zone.js';

export type { OffsetInstant } from './format.js';
export type { Adjustment, Disambiguation } from './resolve.js';
export type { WallTime } from './calendar.js';
export { DISAMBIGUATIONS, isDisambiguation } from './resolve.js';
export { checkZone, offsetAt } from './zone.js';
export { MAX_DISPLAY_OFFSET_SECONDS, displayOffset, formatHttpDate, formatOffset, formatRfc2822, formatRfc3339, formatUtc } from './format.js';
export { ACCEPTED_FORMS, parseTimestamp } from './parse.js';

export interface NormalizeOptions {
  zone?: string | undefined;
  disambiguation?: Disambiguation | undefined;
}

export type Normalized =
  | { ok: true; instant: OffsetInstant; adjustment?: Adjustment }
  | { ok: false; error: string };

/**
 * Feed dates can carry the years 0001-9999: RFC 3339 has four-digit years and Atom's xsd:dateTime
 * has no year 0000. An instant must fit both in UTC and in the offset feeds show it in.
 */
const FIRST_FEED_MS = wallToEpochMs({ year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });
const LAST_FEED_MS = wallToEpochMs({ year: 10_000, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }) - 1;

function withinFeedYears(epochMs: number): boolean {
  return epochMs >= FIRST_FEED_MS && epochMs <= LAST_FEED_MS;
}

function feedYearsError(input: string, instant: OffsetInstant): string | undefined {
  const { epochMs, offsetSeconds } = instant;
  if (withinFeedYears(epochMs) && withinFeedYears(epochMs + displayOffset(instant) * 1000)) return undefined;
  const writtenWithin = withinFeedYears(epochMs + offsetSeconds * 1000);
  return `${quote(input.trim())} falls outside the years 0001-9999${writtenWithin ? ' once converted to UTC' : ''}, the only years feed dates can carry`;
}

export function normalizeTimestamp(input: string, options: NormalizeOptions = {}): Normalized {
  let zone: string | undefined;
  if (options.zone !== undefined) {
    const checked = checkZone(options.zone);
    if (!checked.ok) return checked;
    zone = checked.zone;
  }
  const parsed = parseTimestamp(input);
  if (!parsed.ok) return parsed;
  const { wall, offsetSeconds } = parsed.value;
  let result: Normalized;
  if (offsetSeconds !== undefined) {
    result = { ok: true, instant: { epochMs: wallToEpochMs(wall) - offsetSeconds * 1000, offsetSeconds } };
  } else if (zone === undefined) {
    return {
      ok: false,
      error: `${quote(input.trim())} has no offset and no time zone applies: name the zone (an IANA name such as Asia/Shanghai) or write the offset (e.g. +08:00)`,
    };
  } else {
    const resolved = resolveWallTime(wall, zone, options.disambiguation ?? 'compatible');
    if (!resolved.ok) return resolved;
    const instant = { epochMs: resolved.epochMs, offsetSeconds: resolved.offsetSeconds };
    result = resolved.adjustment ? { ok: true, instant, adjustment: resolved.adjustment } : { ok: true, instant };
  }
  const error = feedYearsError(input, result.instant);
  return error === undefined ? result : { ok: false, error };
}

/** The instant with the offset `zone` (a name checkZone accepted) has then: how its clocks show it. */
export function inZone(epochMs: number, zone: string): OffsetInstant {
  return { epochMs, offsetSeconds: offsetAt(zone, epochMs) };
}
