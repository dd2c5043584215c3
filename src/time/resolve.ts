/**
 * Local wall time + IANA zone -> exact instant, with DST gaps and overlaps resolved by a rule.
 *
 * The rule follows TC39 Temporal's `disambiguation`: candidates are found from the zone's offsets one
 * day before and one day after the wall time; in an overlap `compatible` and `earlier` take the
 * earlier instant and `later` the later one; in a gap `compatible` and `later` move the wall time
 * forward by the gap's length, `earlier` back by it; `reject` refuses both.
 */
import { MS_PER_DAY, pad, pad2, wallToEpochMs, type WallTime } from './calendar.js';
import { formatOffset } from './format.js';
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

interface Candidate {
  epochMs: number;
  offsetSeconds: number;
}

/**
 * Instants whose wall time in `zone` is exactly `wallMs` (0, 1 or 2 of them, ascending), tried at
 * the zone's offsets one day before and one day after, as Temporal does.
 */
function candidates(zone: string, wallMs: number): { list: Candidate[]; before: number; after: number } {
  const before = offsetAt(zone, wallMs - MS_PER_DAY);
  const after = offsetAt(zone, wallMs + MS_PER_DAY);
  const list: Candidate[] = [];
  for (const offsetSeconds of before === after ? [before] : [before, after]) {
    const epochMs = wallMs - offsetSeconds * 1000;
    if (offsetAt(zone, epochMs) === offsetSeconds) list.push({ epochMs, offsetSeconds });
  }
  list.sort((a, b) => a.epochMs - b.epochMs);
  return { list, before, after };
}

export function resolveWallTime(wall: WallTime, zone: string, rule: Disambiguation): Resolution {
  const wallMs = wallToEpochMs(wall);
  const { list, before, after } = candidates(zone, wallMs);
  const [first, second] = list;

  if (first && !second) return { ok: true, ...first };

  if (first && second) {
    if (rule === 'reject') {
      const text = describeWall(wall);
      return {
        ok: false,
        error: `${text} happens twice in ${zone}: clocks were set back from ${formatOffset(before)} to ${formatOffset(after)}, so it is either ${text}${formatOffset(first.offsetSeconds)} (earlier) or ${text}${formatOffset(second.offsetSeconds)} (later); write the offset, or choose disambiguation earlier or later`,
      };
    }
    const chosen = rule === 'later' ? second : first;
    return { ok: true, ...chosen, adjustment: { kind: 'overlap', offsetBefore: before, offsetAfter: after } };
  }

  if (rule === 'reject') {
    return {
      ok: false,
      error: `${describeWall(wall)} does not exist in ${zone}: clocks jumped from ${formatOffset(before)} to ${formatOffset(after)}, skipping ${formatDuration(after - before)}; write the offset, or choose disambiguation compatible, earlier or later`,
    };
  }
  const gapMs = (after - before) * 1000;
  const shifted = candidates(zone, rule === 'earlier' ? wallMs - gapMs : wallMs + gapMs).list;
  const chosen = rule === 'earlier' ? shifted[0] : shifted[shifted.length - 1];
  if (chosen === undefined) {
    return { ok: false, error: `${describeWall(wall)} cannot be resolved in ${zone}: the zone changed its offset more than once within two days; write the offset` };
  }
  return { ok: true, ...chosen, adjustment: { kind: 'gap', offsetBefore: before, offsetAfter: after } };
}

function formatDuration(seconds: number): string {
  const abs = Math.abs(seconds);
  const units: [number, string][] = [[Math.floor(abs / 3600), 'hour'], [Math.floor((abs % 3600) / 60), 'minute'], [abs % 60, 'second']];
  const parts = units.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return parts.join(' ') || '0 seconds';
}

export function describeWall(w: WallTime): string {
  const seconds = w.second || w.millisecond ? `:${pad2(w.second)}` : '';
  const fraction = w.millisecond ? `.${pad(w.millisecond, 3)}` : '';
  return `${pad(w.year, 4)}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}${seconds}${fraction}`;
}
