/**
 * The time module's one entry point: timestamp text + zone + rule -> exact instant.
 *
 * An explicit offset in the text (`Z`, `+08:00`, RFC 2822 `+0800`/`GMT`) wins over the zone and over
 * `reject`; otherwise the text is a wall time in `zone`, resolved by `resolveWallTime`.
 */
import type { OffsetInstant } from './format.js';
import { wallToEpochMs } from './calendar.js';
import { parseTimestamp } from './parse.js';
import { resolveWallTime, type Adjustment, type Disambiguation } from './resolve.js';
import { checkZone } from './zone.js';

export type { OffsetInstant } from './format.js';
export type { Adjustment, Disambiguation } from './resolve.js';
export type { WallTime } from './calendar.js';
export { DISAMBIGUATIONS, isDisambiguation, formatOffset } from './resolve.js';
export { checkZone } from './zone.js';
export { formatHttpDate, formatRfc2822, formatRfc3339, formatUtc } from './format.js';
export { ACCEPTED_FORMS } from './parse.js';

export interface NormalizeOptions {
  zone?: string | undefined;
  disambiguation?: Disambiguation | undefined;
}

export type Normalized =
  | { ok: true; instant: OffsetInstant; adjustment?: Adjustment }
  | { ok: false; error: string };

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
  if (offsetSeconds !== undefined) {
    const epochMs = wallToEpochMs(wall) - offsetSeconds * 1000;
    return { ok: true, instant: { epochMs, offsetSeconds } };
  }
  if (zone === undefined) {
    return { ok: false, error: `"${input.trim()}" has no offset and no time zone applies: set "timezone" or write the offset (e.g. +08:00)` };
  }
  const resolved = resolveWallTime(wall, zone, options.disambiguation ?? 'compatible');
  if (!resolved.ok) return resolved;
  const instant = { epochMs: resolved.epochMs, offsetSeconds: resolved.offsetSeconds };
  return resolved.adjustment ? { ok: true, instant, adjustment: resolved.adjustment } : { ok: true, instant };
}
