/**
 * The time module's one entry point: timestamp text + zone + rule -> exact instant.
 *
 * An explicit offset in the text (`Z`, `+08:00`, RFC 2822 `+0800`/`GMT`) wins over the zone and over
 * `reject`; otherwise the text is a wall time in `zone`, resolved by `resolveWallTime`.
 */
import type { OffsetInstant } from './format.js';
import { wallToEpochMs } from './calendar.js';
import { parseTimestamp } from './parse.js';
import { quote } from './quote.js';
import { resolveWallTime, type Adjustment, type Disambiguation } from './resolve.js';
import { checkZone } from './zone.js';

export type { OffsetInstant } from './format.js';
export type { Adjustment, Disambiguation } from './resolve.js';
export type { WallTime } from './calendar.js';
export { DISAMBIGUATIONS, isDisambiguation } from './resolve.js';
export { checkZone } from './zone.js';
export { MAX_DISPLAY_OFFSET_SECONDS, displayOffset, formatHttpDate, formatOffset, formatRfc2822, formatRfc3339, formatUtc } from './format.js';
export { ACCEPTED_FORMS, parseTimestamp } from './parse.js';

export interface NormalizeOptions {
  zone?: string | undefined;
  disambiguation?: Disambiguation | undefined;
}

export type Normalized =
  | { ok: true; instant: OffsetInstant; adjustment?: Adjustment }
  | { ok: false; error: string };

/** RFC 3339 has four-digit years: instants must lie in 0000-9999 both in UTC and in their own offset. */
const MIN_EPOCH_MS = wallToEpochMs({ year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });
const MAX_EPOCH_MS = wallToEpochMs({ year: 10_000, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }) - 1;

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
  const { epochMs, offsetSeconds: shown } = result.instant;
  if (epochMs < MIN_EPOCH_MS || epochMs > MAX_EPOCH_MS || epochMs + shown * 1000 < MIN_EPOCH_MS || epochMs + shown * 1000 > MAX_EPOCH_MS) {
    return { ok: false, error: `${quote(input.trim())} falls outside the years 0000-9999 once converted to UTC` };
  }
  return result;
}
