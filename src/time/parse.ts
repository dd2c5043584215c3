/**
 * Timestamp text -> calendar fields (+ an explicit offset when the text carries one).
 * Only the forms of CONTRACT "Timestamps" are accepted; everything else gets a message that
 * says what was wrong and which forms are accepted. No host time zone is involved here.
 */

import { daysInMonth, dayOfWeek, pad2, type WallTime } from './calendar.js';

export interface ParsedTimestamp {
  wall: WallTime;
  /** Seconds east of UTC when the text names its own offset (`Z`, `+08:00`, `+0800`, `GMT`). */
  offsetSeconds?: number;
  dateOnly: boolean;
}

export type ParseResult = { ok: true; value: ParsedTimestamp } | { ok: false; error: string };

export const ACCEPTED_FORMS =
  'accepted: "YYYY-MM-DD HH:mm", with ":ss" and ".SSS", "T" instead of the space, "YYYY-MM-DD", ' +
  'each optionally followed by "Z" or "±HH:MM"; or RFC 2822 such as "Thu, 12 Sep 2019 07:47:00 +0800"';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:([ T])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const RFC2822 =
  /^(?:([A-Za-z]{3}),[ \t]*)?(\d{1,2})[ \t]+([A-Za-z]{3})[ \t]+(\d{4})[ \t]+(\d{2}):(\d{2})(?::(\d{2}))?[ \t]+([+-]\d{4}|[A-Za-z]+)$/;

const MAX_OFFSET_SECONDS = 18 * 3600;

function fail(error: string): ParseResult {
  return { ok: false, error };
}

export function parseTimestamp(input: string): ParseResult {
  const text = input.trim();
  if (text === '') return fail(`empty timestamp; ${ACCEPTED_FORMS}`);
  const iso = ISO.exec(text);
  if (iso) return fromIso(text, iso);
  const rfc = RFC2822.exec(text);
  if (rfc) return fromRfc2822(text, rfc);
  return fail(`${diagnose(text)}; ${ACCEPTED_FORMS}`);
}

function fromIso(text: string, m: RegExpExecArray): ParseResult {
  const [, y, mo, d, sep, h, mi, s, frac, zone] = m;
  const dateOnly = sep === undefined;
  const wall: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: dateOnly ? 0 : Number(h),
    minute: dateOnly ? 0 : Number(mi),
    second: s === undefined ? 0 : Number(s),
    // Sub-millisecond digits are truncated: an instant here has millisecond resolution.
    millisecond: frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3)),
  };
  const invalid = checkWall(wall, text);
  if (invalid) return fail(invalid);
  if (zone === undefined) return { ok: true, value: { wall, dateOnly } };
  const offset = zone === 'Z' ? 0 : parseOffset(zone.slice(0, 3), zone.slice(4, 6));
  if (typeof offset === 'string') return fail(`${offset} in "${text}"`);
  return { ok: true, value: { wall, offsetSeconds: offset, dateOnly } };
}

function fromRfc2822(text: string, m: RegExpExecArray): ParseResult {
  const [, weekday, d, mon, y, h, mi, s, zone = ''] = m;
  const month = MONTHS.indexOf((mon ?? '').toLowerCase()) + 1;
  if (month === 0) return fail(`"${mon}" is not an RFC 2822 month name (Jan ... Dec) in "${text}"`);
  const wall: WallTime = {
    year: Number(y),
    month,
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: s === undefined ? 0 : Number(s),
    millisecond: 0,
  };
  const invalid = checkWall(wall, text);
  if (invalid) return fail(invalid);
  if (weekday !== undefined) {
    const expected = WEEKDAYS[dayOfWeek(wall.year, wall.month, wall.day)] ?? '';
    const given = weekday.toLowerCase();
    if (!WEEKDAYS.includes(given)) return fail(`"${weekday}" is not an RFC 2822 day name in "${text}"`);
    if (given !== expected) {
      return fail(`${wall.year}-${pad2(wall.month)}-${pad2(wall.day)} is a ${capitalize(expected)}, not a ${capitalize(given)}, in "${text}"`);
    }
  }
  let offset: number | string;
  if (/^[+-]\d{4}$/.test(zone)) offset = parseOffset(zone.slice(0, 3), zone.slice(3, 5));
  else if (zone === 'GMT' || zone === 'UT') offset = 0;
  else {
    offset = `zone "${zone}" is not accepted in RFC 2822 dates: write a numeric offset such as +0800, or GMT or UT`;
  }
  if (typeof offset === 'string') return fail(`${offset} in "${text}"`);
  return { ok: true, value: { wall, offsetSeconds: offset, dateOnly: false } };
}

/** `signedHours` is like "+08"; returns seconds east of UTC, or a message. */
function parseOffset(signedHours: string, minutes: string): number | string {
  const hours = Number(signedHours.slice(1));
  const mins = Number(minutes);
  if (mins > 59) return `offset minutes must be 00-59`;
  const seconds = (hours * 60 + mins) * 60;
  if (seconds > MAX_OFFSET_SECONDS) return `offset ${signedHours}:${minutes} is beyond ±18:00`;
  return signedHours.startsWith('-') ? -seconds : seconds;
}

function checkWall(w: WallTime, text: string): string | undefined {
  if (w.month < 1 || w.month > 12) return `month ${pad2(w.month)} does not exist in "${text}"`;
  const days = daysInMonth(w.year, w.month);
  if (w.day < 1 || w.day > days) {
    return `day ${pad2(w.day)} does not exist in ${w.year}-${pad2(w.month)} (it has ${days} days) in "${text}"`;
  }
  if (w.hour > 23) return `hour ${pad2(w.hour)} does not exist (use 00-23; 24:00 is written as 00:00 of the next day) in "${text}"`;
  if (w.minute > 59) return `minute ${pad2(w.minute)} does not exist in "${text}"`;
  if (w.second === 60) return `leap seconds (:60) cannot be represented in "${text}"`;
  if (w.second > 59) return `second ${pad2(w.second)} does not exist in "${text}"`;
  return undefined;
}

/** Explains the most likely mistake in text that matches no accepted form. */
function diagnose(text: string): string {
  if (/\d\s*[ap]\.?m\.?$/i.test(text)) return `12-hour clock times are not accepted in "${text}"; use 00-23`;
  if (/^\d{1,4}[/.]\d{1,2}[/.]\d{1,4}/.test(text)) return `dates with slashes or dots are not accepted in "${text}"; write YYYY-MM-DD`;
  if (/^\d{4}-\d{1,2}-\d{1,2}/.test(text) && !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    return `month and day need two digits in "${text}"`;
  }
  const isoStart = /^\d{4}-\d{2}-\d{2}(?:[ T](\d{1,2}):?(\d{0,2}))?/.exec(text);
  if (isoStart) {
    if (isoStart[1] !== undefined && (isoStart[1].length !== 2 || isoStart[2]?.length !== 2)) {
      return `hour and minute need two digits, as HH:mm, in "${text}"`;
    }
    if (/[+-]\d{4}$/.test(text)) return `write the offset as ±HH:MM (e.g. +08:00) in "${text}"`;
    if (/[+-]\d{2}$/.test(text)) return `write the offset as ±HH:MM (e.g. +08:00), not ±HH, in "${text}"`;
    if (/\s[A-Z]{2,5}$/.test(text) || /\s[A-Za-z]+\/[A-Za-z_]+$/.test(text)) {
      return `a zone name after the time is not accepted in "${text}"; set the zone with "timezone" (or --tz)`;
    }
    if (/\.\d{10,}/.test(text)) return `fractions of a second take at most 9 digits in "${text}"`;
    const match = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:\d{2})?/.exec(text);
    if (match && match[0].length < text.length) {
      return `unexpected text "${text.slice(match[0].length)}" after the timestamp in "${text}"`;
    }
  }
  if (/^(now|today|yesterday|tomorrow)\b|\bago$|^[+-]?\d+\s*(s|m|h|d|w|mo|y)\w*$/i.test(text)) {
    return `relative dates are not accepted: "${text}"`;
  }
  if (/^\d{9,}$/.test(text)) return `Unix timestamps are not accepted: "${text}"`;
  if (/^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2}\s/.test(text)) {
    return `two-digit years are not accepted in "${text}"`;
  }
  return `"${text}" is not a timestamp`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
