/**
 * Local wall time + IANA zone -> exact instant, with DST gaps and overlaps resolved by a rule.
 *
 * The rule follows TC39 Temporal's `disambiguation`: candidates are found from the zone's offsets one
 * day before and one day after the wall time; in an overlap `compatible` and `earlier` take the
 * earlier instant and `later` the later one; in a gap `compatible` and `later` move the wall time
 * forward by the gap's length, `earlier` back by it; `reject` refuses both.
 */
import { MS_PER_DAY, pad, pad2, wallToEpochMs, type WallTime } from './calendar.js';
import { offsetAt } from './zone.js';

export const DISAMBIGUATIONS = ['compatible', 'earlier', 'later', 'reject'] as const;
export type Disambiguation = (typeof DISAMBIGUATIONS)[number];

export function isDisambiguation(value: unknown): value is Disambiguation {
  return typeof value === 'string' && (DISAMBIGUATIONS as readonly string[]).includes(value);
}

/** What happened to a wall time that was not exactly one instant. */
export interface Adjustment {
  kind: 'gap' | 'overlap';
  /** Offsets (seconds east of UTC) before and after the transition. */
  offsetBefore: number;
  offsetAfter: number;
}

export type Resolution =
  | { ok: true; epochMs: number; offsetSeconds: number; adjustment?: Adjustment }
  | { ok: false; error: string };

/** Instants whose wall time in `zone` is exactly `wallMs` (0, 1 or 2 of them, ascending). */
function candidates(zone: string, wallMs: number): { list: number[]; before: number; after: number } {
  const before = offsetAt(zone, wallMs - MS_PER_DAY);
  const after = offsetAt(zone, wallMs + MS_PER_DAY);
  const list: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const epochMs = wallMs - offset * 1000;
    if (offsetAt(zone, epochMs) === offset) list.push(epochMs);
  }
  list.sort((a, b) => a - b);
  return { list, before, after };
}

export function resolveWallTime(wall: WallTime, zone: string, rule: Disambiguation): Resolution {
  const wallMs = wallToEpochMs(wall);
  const { list, before, after } = candidates(zone, wallMs);
  const at = (epochMs: number) => ({ ok: true as const, epochMs, offsetSeconds: offsetAt(zone, epochMs) });

  if (list.length === 1) return at(list[0] as number);

  if (list.length === 2) {
    const adjustment: Adjustment = { kind: 'overlap', offsetBefore: before, offsetAfter: after };
    if (rule === 'reject') {
      return {
        ok: false,
        error: `${describeWall(wall)} happens twice in ${zone} (clocks were set back): it is ${formatOffset(before)} or ${formatOffset(after)}; write the offset, or choose disambiguation earlier or later`,
      };
    }
    const epochMs = rule === 'later' ? (list[1] as number) : (list[0] as number);
    return { ...at(epochMs), adjustment };
  }

  const adjustment: Adjustment = { kind: 'gap', offsetBefore: before, offsetAfter: after };
  if (rule === 'reject') {
    return {
      ok: false,
      error: `${describeWall(wall)} does not exist in ${zone}: clocks jumped from ${formatOffset(before)} to ${formatOffset(after)}, skipping ${formatDuration(after - before)}; write the offset, or choose disambiguation compatible, earlier or later`,
    };
  }
  const gapMs = (after - before) * 1000;
  const shifted = candidates(zone, rule === 'earlier' ? wallMs - gapMs : wallMs + gapMs).list;
  const epochMs = rule === 'earlier' ? shifted[0] : shifted[shifted.length - 1];
  if (epochMs === undefined) {
    return { ok: false, error: `${describeWall(wall)} cannot be resolved in ${zone}: the zone changed offset twice within two days` };
  }
  return { ...at(epochMs), adjustment };
}

export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const seconds = abs % 60;
  return `${sign}${pad2(hours)}:${pad2(minutes)}${seconds ? `:${pad2(seconds)}` : ''}`;
}

function formatDuration(seconds: number): string {
  const minutes = Math.round(Math.abs(seconds) / 60);
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

export function describeWall(w: WallTime): string {
  return `${pad(w.year, 4)}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}${w.second || w.millisecond ? `:${pad2(w.second)}` : ''}`;
}
