/**
 * Timestamp text -> calendar fields (+ an explicit offset when the text carries one).
 * Only the forms of CONTRACT "Timestamps" are accepted; everything else gets a message that
 * says what was wrong and which forms are accepted. No host time zone is involved here.
 */

import { daysInMonth, dayOfWeek, pad2, type WallTime } from './calendar.js';
import { quote } from './quote.js';

export interface ParsedTimestamp {
  wall: WallTime;
  /** Seconds east of UTC when the text names its own offset (`Z`, `+08:00`, `+0800`, `GMT`). */
  offsetSeconds?: number;
}

export type ParseResult = { ok: true; value: ParsedTimestamp } | { ok: false; error: string };

export const ACCEPTED_FORMS =
  'accepted: "YYYY-MM-DD HH:mm", with ":ss" and ".SSS", "T" instead of the space, "YYYY-MM-DD", ' +
  'each optionally followed by "Z" or "±HH:MM"; or RFC 2822 such as "Thu, 12 Sep 2019 07:47:00 +0800"';

/** Fractions may have 1-9 digits; digits beyond milliseconds are truncated, never rounded. */
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
  const mistake = diagnose(text);
  return fail(`${quote(text)}${mistake ? `: ${mistake}` : ' is not a timestamp'}; ${ACCEPTED_FORMS}`);
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
    millisecond: frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3)),
  };
  const invalid = checkWall(wall);
  if (invalid) return fail(`${invalid} in ${quote(text)}`);
  if (zone === undefined) return { ok: true, value: { wall } };
  const offset = zone === 'Z' ? 0 : parseOffset(zone.slice(0, 3), zone.slice(4, 6));
  if (typeof offset === 'string') return fail(`${offset} in ${quote(text)}`);
  return { ok: true, value: { wall, offsetSeconds: offset } };
}

function fromRfc2822(text: string, m: RegExpExecArray): ParseResult {
  const [, weekday, d, mon, y, h, mi, s, zone = ''] = m;
  const month = MONTHS.indexOf((mon ?? '').toLowerCase()) + 1;
  if (month === 0) return fail(`"${mon}" is not an RFC 2822 month name (Jan ... Dec) in ${quote(text)}`);
  const wall: WallTime = {
    year: Number(y),
    month,
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: s === undefined ? 0 : Number(s),
    millisecond: 0,
  };
  const invalid = checkWall(wall);
  if (invalid) return fail(`${invalid} in ${quote(text)}`);
  if (weekday !== undefined) {
    const expected = WEEKDAYS[dayOfWeek(wall.year, wall.month, wall.day)] ?? '';
    const given = weekday.toLowerCase();
    if (!WEEKDAYS.includes(given)) return fail(`"${weekday}" is not an RFC 2822 day name (Mon ... Sun) in ${quote(text)}`);
    if (given !== expected) {
      return fail(`${wall.year}-${pad2(wall.month)}-${pad2(wall.day)} is a ${capitalize(expected)}, not a ${capitalize(given)}, in ${quote(text)}`);
    }
  }
  let offset: number | string;
  if (/^[+-]\d{4}$/.test(zone)) offset = parseOffset(zone.slice(0, 3), zone.slice(3, 5));
  else if (zone === 'GMT' || zone === 'UT') offset = 0;
  else offset = `zone "${zone}" is not accepted in RFC 2822 dates: write a numeric offset such as +0800, or GMT or UT`;
  if (typeof offset === 'string') return fail(`${offset} in ${quote(text)}`);
  return { ok: true, value: { wall, offsetSeconds: offset } };
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

function checkWall(w: WallTime): string | undefined {
  if (w.month < 1 || w.month > 12) return `month ${pad2(w.month)} does not exist`;
  const days = daysInMonth(w.year, w.month);
  if (w.day < 1 || w.day > days) return `day ${pad2(w.day)} does not exist in ${w.year}-${pad2(w.month)} (it has ${days} days)`;
  if (w.hour > 23) return `hour ${pad2(w.hour)} does not exist (use 00-23; 24:00 is written as 00:00 of the next day)`;
  if (w.minute > 59) return `minute ${pad2(w.minute)} does not exist`;
  if (w.second === 60) return 'leap seconds (:60) cannot be represented';
  if (w.second > 59) return `second ${pad2(w.second)} does not exist`;
  return undefined;
}

const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:\d{2})?/;
const RFC_WORDS = /^(?:[A-Za-z]+,?\s+)?\d{1,2}\s+[A-Za-z]+\s+\d+\s/;

/** The most likely mistake in text that matches no accepted form; the first match wins. */
const MISTAKES: [RegExp, string | ((text: string) => string | undefined)][] = [
  [/\d\s*[ap]\.?m\.?$/i, '12-hour clock times are not accepted; use 00-23'],
  [/^(now|today|yesterday|tomorrow)\b|\bago$|^(next|last)\s|^[+-]?\d+\s*(s|m|h|d|w|mo|y)[a-z]*$/i, 'relative dates are not accepted'],
  [/^-?\d{9,}(\.\d+)?$/, 'Unix timestamps are not accepted'],
  [/^\d{1,4}[/.]\d{1,2}[/.]\d{1,4}/, 'dates with slashes or dots are not accepted; write YYYY-MM-DD'],
  [/^\d{8}(T\d{4,6})?/, 'write the date with dashes and the time with colons, as YYYY-MM-DD HH:mm'],
  [/^\d{4}-W\d{2}/i, 'ISO week dates are not accepted; write YYYY-MM-DD'],
  [/^\d{4}-\d{3}$/, 'ISO ordinal dates (day of the year) are not accepted; write YYYY-MM-DD'],
  [/^[+-]\d{5,}-/, 'years outside 0001-9999 are not accepted'],
  [/^\d{1,2}-\d{1,2}-\d{4}/, 'write the date as YYYY-MM-DD (year first)'],
  [/^\d{1,3}-\d{1,2}-\d{1,2}/, 'the year needs four digits'],
  [/^\d{4}-\d{1,2}-\d{1,2}/, (text) => (/^\d{4}-\d{2}-\d{2}/.test(text) ? isoTail(text) : 'month and day need two digits')],
  [/^\d{1,2}:\d{2}/, 'a time needs its date, as YYYY-MM-DD HH:mm'],
  [RFC_WORDS, rfcMistake],
  [/^[A-Za-z]+\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}/, 'month names are accepted only in RFC 2822 dates, day first and with a zone'],
];

function diagnose(text: string): string | undefined {
  for (const [pattern, message] of MISTAKES) {
    if (pattern.test(text)) return typeof message === 'string' ? message : message(text);
  }
  return undefined;
}

/** Text that starts with a well-formed ISO date but goes wrong after it. */
function isoTail(text: string): string | undefined {
  if (/^.{10}t/.test(text) || /\d[z]$/.test(text)) return 'write "T" and "Z" as capital letters';
  if (/^.{10}[ T]\d(?:\D|$)/.test(text) || /^.{10}[ T]\d{2}:\d(?:\D|$)/.test(text)) return 'hour and minute need two digits, as HH:mm';
  if (/^.{10}[ T]\d{2}(?:$|[^:\d])/.test(text)) return 'a time needs hours and minutes, as HH:mm';
  if (/^.{10}[ T]\d{4}/.test(text)) return 'write the time with a colon, as HH:mm';
  if (/^.{10}[ T]\d{2}:\d{2}:\d(?:\D|$)/.test(text)) return 'seconds need two digits, as :ss';
  if (/^.{10}[ T][\d:]+,\d/.test(text)) return 'write fractions of a second with a dot (.SSS)';
  if (/\.\d{10,}/.test(text)) return 'fractions of a second take at most 9 digits';
  if (/\[[^\]]*\]$/.test(text)) return 'a bracketed zone name is not accepted; set the zone with "timezone" (or --tz) and write only the offset';
  if (/\s(?:Z|[+-]\d{2}:\d{2})$/.test(text)) return 'write the offset right after the time, with no space (07:47+08:00)';
  if (/\d[+-]\d{4}$/.test(text) || /\s[+-]\d{4}$/.test(text)) return 'write the offset as ±HH:MM (e.g. +08:00)';
  if (/[+-]\d{2}$/.test(text)) return 'write the offset as ±HH:MM (e.g. +08:00), not ±HH';
  if (/[+-]\d:\d{2}$/.test(text)) return 'the offset needs two-digit hours, as ±HH:MM (e.g. +08:00)';
  if (/\s(?:UTC|GMT|[A-Z]{2,5}|[A-Za-z]+\/[A-Za-z_/+-]+)$/.test(text)) {
    return 'a zone name after the time is not accepted; set the zone with "timezone" (or --tz), or write the offset (Z or ±HH:MM)';
  }
  const match = ISO_PREFIX.exec(text);
  if (match && match[0].length < text.length) return `unexpected text ${quote(text.slice(match[0].length))} after the timestamp`;
  return undefined;
}

/** Text that looks like RFC 2822 (day, month name, year) but is not quite. */
function rfcMistake(text: string): string | undefined {
  const words = /^(?:([A-Za-z]+)(,?)\s+)?\d{1,2}\s+([A-Za-z]+)\s+(\d+)\s+(.*)$/.exec(text);
  if (!words) return undefined;
  const [, weekday, comma, month = '', year = '', rest = ''] = words;
  if (weekday !== undefined && weekday.length !== 3) return 'write the day name with three letters (Mon ... Sun), as RFC 2822 does';
  if (weekday !== undefined && comma === '') return 'put a comma after the day name (Thu, 12 Sep ...)';
  if (month.length !== 3) return 'write the month name with three letters (Jan ... Dec), as RFC 2822 does';
  if (year.length === 2) return 'two-digit years are not accepted';
  if (year.length !== 4) return 'the year needs four digits';
  if (/^\d(?:\D|$)/.test(rest) || /^\d{2}:\d(?:\D|$)/.test(rest)) return 'hour and minute need two digits, as HH:mm';
  if (/^\d{2}:\d{2}(:\d{2})?\.\d/.test(rest)) return 'RFC 2822 dates have no fractions of a second';
  if (/^\d{2}:\d{2}(:\d{2})?$/.test(rest)) return 'an RFC 2822 date needs its zone: a numeric offset such as +0800, or GMT or UT';
  if (/^\d{2}:\d{2}(:\d{2})?\s+[+-]\d{2}:\d{2}$/.test(rest)) return 'write the offset as +0800 (no colon) in RFC 2822 dates';
  return 'not an RFC 2822 date';
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
