/**
 * The time module against an independent oracle: the TC39 Temporal polyfill, which computes the
 * same disambiguation rules with its own code. Both read the zone rules from the runtime's ICU
 * data, so any difference is a difference in the arithmetic or the rules, which is what we test.
 *
 * Deterministic: fast-check runs with fixed seeds. Runs in each time-* project (host TZ differs).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Temporal } from '@js-temporal/polyfill';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DISAMBIGUATIONS, normalizeTimestamp, type Disambiguation } from '../../src/time/index.js';

const SEED = 20_261_125;
const ALL_ZONES = Intl.supportedValuesOf('timeZone');
const FROM_MS = Date.UTC(1970, 0, 1);
const TO_MS = Date.UTC(2038, 0, 1) - 1;
const MINUTE = 60_000;

/** Zones with unusual transitions: 30/45-minute offsets and DST, negative DST, skipped days, midnight gaps. */
const TRANSITION_ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Dublin',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'America/Sao_Paulo',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/St_Johns',
  'Asia/Tehran',
  'Africa/Casablanca',
  'America/Santiago',
  'Antarctica/Troll',
  'Pacific/Kiritimati',
];

type Outcome = { epochMs: number; offsetSeconds: number } | { refused: string };

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Wall time fields as the ISO text the module reads, in one of its accepted shapes. */
function wallText(pdt: Temporal.PlainDateTime, shape: number): string {
  const date = `${pad(pdt.year, 4)}-${pad(pdt.month)}-${pad(pdt.day)}`;
  const hm = `${pad(pdt.hour)}:${pad(pdt.minute)}`;
  switch (shape) {
    case 0: return `${date} ${hm}`;
    case 1: return `${date}T${hm}:${pad(pdt.second)}`;
    default: return `${date} ${hm}:${pad(pdt.second)}.${pad(pdt.millisecond, 3)}`;
  }
}

function oracle(pdt: Temporal.PlainDateTime, zone: string, rule: Disambiguation): Outcome {
  try {
    const zdt = pdt.toZonedDateTime(zone, { disambiguation: rule });
    return { epochMs: zdt.epochMilliseconds, offsetSeconds: zdt.offsetNanoseconds / 1e9 };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

function ours(text: string, zone: string, rule: Disambiguation): Outcome {
  const result = normalizeTimestamp(text, { zone, disambiguation: rule });
  return result.ok ? { epochMs: result.instant.epochMs, offsetSeconds: result.instant.offsetSeconds } : { refused: result.error };
}

/** Same instant and offset, or both refuse (`reject` only). */
function agree(text: string, pdt: Temporal.PlainDateTime, zone: string, rule: Disambiguation): void {
  const expected = oracle(pdt, zone, rule);
  const actual = ours(text, zone, rule);
  const label = `${text} in ${zone}, ${rule}`;
  if ('refused' in expected) {
    expect(rule, `${label}: Temporal refused (${expected.refused})`).toBe('reject');
    expect('refused' in actual, `${label}: Temporal refused, the module gave ${JSON.stringify(actual)}`).toBe(true);
    if ('refused' in actual) expect(actual.refused, label).toContain(zone);
  } else {
    expect(actual, label).toEqual(expected);
  }
}

/** PlainDateTime of `ms` read as a UTC wall clock: a way to build wall times with no host zone. */
function wallOf(ms: number): Temporal.PlainDateTime {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO('UTC').toPlainDateTime();
}

function wallMsOf(pdt: Temporal.PlainDateTime): number {
  return pdt.toZonedDateTime('UTC').epochMilliseconds;
}

interface Transition {
  /** Wall clock (as UTC ms) where the transition starts and ends, lower first. */
  lo: number;
  hi: number;
  kind: 'gap' | 'overlap';
}

function findTransitions(zone: string): Transition[] {
  const list: Transition[] = [];
  let zdt: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(FROM_MS).toZonedDateTimeISO(zone);
  for (;;) {
    zdt = zdt.getTimeZoneTransition('next');
    if (!zdt || zdt.epochMilliseconds > TO_MS) return list;
    const after = zdt.offsetNanoseconds / 1e6;
    const before = zdt.subtract({ nanoseconds: 1 }).offsetNanoseconds / 1e6;
    if (after === before) continue;
    const wallBefore = zdt.epochMilliseconds + before;
    const wallAfter = zdt.epochMilliseconds + after;
    list.push({ lo: Math.min(wallBefore, wallAfter), hi: Math.max(wallBefore, wallAfter), kind: after > before ? 'gap' : 'overlap' });
  }
}

let byZone: Map<string, Transition[]>;

/**
 * Every zone's transitions 1970-2037, as Temporal finds them (about half of this file's time): the
 * same whatever the host zone, so the first time-* project to need them leaves them in the run's
 * shared folder (tests/setup/temporary-folder.ts) for the others. They only choose the wall times
 * tested; what each must become is asked of Temporal under each host zone.
 */
async function everyZonesTransitions(): Promise<Map<string, Transition[]>> {
  const shared = inject('sharedFolder');
  const file = shared && path.join(shared, 'oracle-transitions.json');
  const saved = file && (await readFile(file, 'utf8').then((text) => JSON.parse(text) as Array<[string, Transition[]]>, () => undefined));
  if (saved) return new Map(saved);
  const found = new Map(ALL_ZONES.map((zone) => [zone, findTransitions(zone)]));
  if (file) {
    const mine = `${file}.${process.pid}`;
    await writeFile(mine, JSON.stringify([...found]));
    await rename(mine, file);
  }
  return found;
}

beforeAll(async () => {
  byZone = await everyZonesTransitions();
}, 60_000);

/** A zone's transitions; one that the runtime does not list (an alias such as Asia/Kathmandu) is looked up now. */
function transitionsOf(zone: string): Transition[] {
  let list = byZone.get(zone);
  if (!list) byZone.set(zone, (list = findTransitions(zone)));
  return list;
}

describe('random local times in every IANA zone, 1970-2037, against Temporal', () => {
  it(`covers all ${ALL_ZONES.length} zones the runtime lists`, () => {
    expect(ALL_ZONES.length).toBeGreaterThan(400);
  });

  it('agrees on instant and offset for every rule', () => {
    ALL_ZONES.forEach((zone, index) => {
      fc.assert(
        fc.property(fc.integer({ min: FROM_MS, max: TO_MS }), fc.integer({ min: 0, max: 2 }), (wallMs, shape) => {
          const text = wallText(wallOf(wallMs), shape);
          const pdt = Temporal.PlainDateTime.from(text.replace(' ', 'T'));
          for (const rule of DISAMBIGUATIONS) agree(text, pdt, zone, rule);
        }),
        { seed: SEED + index, numRuns: 8 },
      );
    });
  });

  it('agrees on date-only inputs (local midnight under the rule)', () => {
    ALL_ZONES.forEach((zone, index) => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Math.floor((TO_MS - FROM_MS) / 86_400_000) }), (day) => {
          const pdt = wallOf(FROM_MS + day * 86_400_000);
          const text = pdt.toPlainDate().toString();
          for (const rule of DISAMBIGUATIONS) agree(text, pdt, zone, rule);
        }),
        { seed: SEED - index, numRuns: 3 },
      );
    });
  });

  it('agrees near random transitions of every zone that has any', () => {
    let zonesWithTransitions = 0;
    ALL_ZONES.forEach((zone, index) => {
      const transitions = transitionsOf(zone);
      if (transitions.length === 0) return;
      zonesWithTransitions++;
      fc.assert(
        fc.property(
          fc.nat({ max: transitions.length - 1 }),
          fc.integer({ min: -90 * MINUTE, max: 150 * MINUTE }),
          fc.integer({ min: 0, max: 2 }),
          (which, delta, shape) => {
            const { lo } = transitions[which] as Transition;
            const text = wallText(wallOf(lo + (shape === 2 ? delta : Math.round(delta / MINUTE) * MINUTE)), shape);
            const pdt = Temporal.PlainDateTime.from(text.replace(' ', 'T'));
            for (const rule of DISAMBIGUATIONS) agree(text, pdt, zone, rule);
          },
        ),
        { seed: SEED * 2 + index, numRuns: 6 },
      );
    });
    expect(zonesWithTransitions).toBeGreaterThan(250);
  });
});

describe('every DST transition 1970-2037 of zones with unusual rules, against Temporal', () => {
  for (const zone of TRANSITION_ZONES) {
    it(`${zone}: just before, at the edges of, inside and just after each gap and overlap`, () => {
      const transitions = transitionsOf(zone);
      expect(transitions.length).toBeGreaterThan(0);
      for (const { lo, hi, kind } of transitions) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        const points = [lo - MINUTE, lo - 1, lo, mid, hi - 1, hi, hi + MINUTE];
        for (const ms of points) {
          const pdt = wallOf(ms);
          const text = wallText(pdt, 2);
          for (const rule of DISAMBIGUATIONS) agree(text, pdt, zone, rule);
          const inside = ms >= lo && ms < hi;
          const rejected = normalizeTimestamp(text, { zone, disambiguation: 'reject' });
          if (inside) {
            expect(rejected.ok, `${text} in ${zone} lies in a ${kind}`).toBe(false);
            if (!rejected.ok) expect(rejected.error).toContain(kind === 'gap' ? 'does not exist' : 'happens twice');
          } else {
            expect(rejected.ok, `${text} in ${zone} lies outside the ${kind}`).toBe(true);
          }
        }
      }
    });
  }

  it('finds the transitions it is meant to test', () => {
    const kinds = (zone: string) => new Set(transitionsOf(zone).map((t) => `${t.kind} ${(t.hi - t.lo) / MINUTE}`));
    expect([...kinds('Australia/Lord_Howe')]).toEqual(expect.arrayContaining(['gap 30', 'overlap 30']));
    expect([...kinds('Pacific/Apia')]).toContain('gap 1440');
    expect([...kinds('Asia/Kathmandu')]).toContain('gap 15');
    expect([...kinds('Antarctica/Troll')]).toEqual(expect.arrayContaining(['gap 120', 'overlap 120']));
    const saoPaulo = transitionsOf('America/Sao_Paulo').map((t) => wallOf(t.lo).toString());
    expect(saoPaulo).toContain('2018-11-04T00:00:00');
  });
});

describe('explicit offsets, against Temporal.Instant', () => {
  it('agree for every accepted offset form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FROM_MS, max: TO_MS }),
        fc.integer({ min: -18 * 60, max: 18 * 60 }),
        fc.constantFrom(...ALL_ZONES),
        (wallMs, offsetMinutes, zone) => {
          const wall = wallOf(wallMs);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const offset = offsetMinutes === 0 && wallMs % 2 === 0 ? 'Z' : `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
          const text = `${wallText(wall, 2).replace(' ', 'T')}${offset}`;
          const expected = Temporal.Instant.from(text).epochMilliseconds;
          for (const rule of DISAMBIGUATIONS) {
            const result = normalizeTimestamp(text, { zone, disambiguation: rule });
            expect(result.ok && result.instant.epochMs, `${text} (${zone}, ${rule})`).toBe(expected);
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('wall times read back', () => {
  it('an instant the module produced shows the same wall time in its own offset (Temporal)', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM_MS, max: TO_MS }), fc.constantFrom(...ALL_ZONES), (wallMs, zone) => {
        const wall = wallOf(wallMs);
        const text = wallText(wall, 2);
        const result = normalizeTimestamp(text, { zone, disambiguation: 'reject' });
        fc.pre(result.ok);
        if (!result.ok) return;
        const seen = Temporal.Instant.fromEpochMilliseconds(result.instant.epochMs).toZonedDateTimeISO(zone);
        expect(wallMsOf(seen.toPlainDateTime()), `${text} in ${zone}`).toBe(wallMs);
        expect(seen.offsetNanoseconds / 1e9).toBe(result.instant.offsetSeconds);
      }),
      { seed: SEED + 7, numRuns: 500 },
    );
  });
});
