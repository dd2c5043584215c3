/**
 * IANA zone names: validation with helpful suggestions, and the UTC offset of a zone at an instant.
 * Offsets come from the runtime's ICU data through Intl.DateTimeFormat, read field by field, so
 * they are exact to the second (LMT offsets such as +08:05:43 included) and never depend on the
 * host's own time zone.
 */
import { editDistance } from '../words/closest.js';
import { daysFromCivil } from './calendar.js';
import { quote } from './quote.js';

export type ZoneResult = { ok: true; zone: string } | { ok: false; error: string };

/** Abbreviations people write for zones; matched in any letter case. */
const ABBREVIATIONS: Record<string, string[]> = {
  CST: ['America/Chicago', 'Asia/Shanghai', 'America/Havana'],
  CDT: ['America/Chicago', 'America/Havana'],
  IST: ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem'],
  IDT: ['Asia/Jerusalem'],
  BST: ['Europe/London', 'Asia/Dhaka'],
  GMT: ['UTC', 'Europe/London'],
  EST: ['America/New_York', 'America/Toronto', 'America/Panama'],
  EDT: ['America/New_York', 'America/Toronto'],
  MST: ['America/Denver', 'America/Phoenix'],
  MDT: ['America/Denver'],
  PST: ['America/Los_Angeles', 'Asia/Manila'],
  PDT: ['America/Los_Angeles'],
  AKST: ['America/Anchorage'],
  AKDT: ['America/Anchorage'],
  HST: ['Pacific/Honolulu'],
  AST: ['America/Halifax', 'Asia/Riyadh', 'America/Puerto_Rico'],
  ADT: ['America/Halifax'],
  NST: ['America/St_Johns'],
  NDT: ['America/St_Johns'],
  AEST: ['Australia/Sydney', 'Australia/Brisbane'],
  AEDT: ['Australia/Sydney'],
  ACST: ['Australia/Adelaide', 'Australia/Darwin'],
  ACDT: ['Australia/Adelaide'],
  AWST: ['Australia/Perth'],
  NZST: ['Pacific/Auckland'],
  NZDT: ['Pacific/Auckland'],
  WET: ['Europe/Lisbon', 'Atlantic/Canary'],
  WEST: ['Europe/Lisbon', 'Atlantic/Canary'],
  CET: ['Europe/Paris', 'Europe/Berlin'],
  CEST: ['Europe/Paris', 'Europe/Berlin'],
  MET: ['Europe/Paris', 'Europe/Berlin'],
  MEZ: ['Europe/Berlin'],
  MESZ: ['Europe/Berlin'],
  EET: ['Europe/Athens', 'Africa/Cairo'],
  EEST: ['Europe/Athens'],
  MSK: ['Europe/Moscow'],
  WAT: ['Africa/Lagos'],
  CAT: ['Africa/Maputo'],
  EAT: ['Africa/Nairobi'],
  SAST: ['Africa/Johannesburg'],
  GST: ['Asia/Dubai'],
  PKT: ['Asia/Karachi'],
  NPT: ['Asia/Kathmandu'],
  ICT: ['Asia/Bangkok'],
  WIB: ['Asia/Jakarta'],
  SGT: ['Asia/Singapore'],
  HKT: ['Asia/Hong_Kong'],
  PHT: ['Asia/Manila'],
  JST: ['Asia/Tokyo'],
  KST: ['Asia/Seoul'],
  ART: ['America/Argentina/Buenos_Aires'],
  BRT: ['America/Sao_Paulo'],
};

/** Old IANA aliases written in capitals, which look like abbreviations. */
const CAPITAL_ALIASES: Record<string, string> = {
  PRC: 'Asia/Shanghai',
  ROC: 'Asia/Taipei',
  ROK: 'Asia/Seoul',
  NZ: 'Pacific/Auckland',
  GB: 'Europe/London',
  UCT: 'UTC',
};

/** Cities people write that are not zone names of their own. */
const CITY_ALIASES: Record<string, string> = {
  beijing: 'Asia/Shanghai',
  peking: 'Asia/Shanghai',
  delhi: 'Asia/Kolkata',
  new_delhi: 'Asia/Kolkata',
  mumbai: 'Asia/Kolkata',
  bombay: 'Asia/Kolkata',
  washington: 'America/New_York',
  boston: 'America/New_York',
  san_francisco: 'America/Los_Angeles',
  seattle: 'America/Los_Angeles',
  osaka: 'Asia/Tokyo',
  hanoi: 'Asia/Bangkok',
  abuja: 'Africa/Lagos',
  geneva: 'Europe/Zurich',
};

/**
 * ICU still lists some zones under their old names (Intl.supportedValuesOf gives Asia/Calcutta);
 * suggestions use the current IANA names, which Intl accepts as well.
 */
const CURRENT_NAMES: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'America/Godthab': 'America/Nuuk',
  'Africa/Asmera': 'Africa/Asmara',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Coral_Harbour': 'America/Atikokan',
};

const EXAMPLE = 'use an IANA name such as Asia/Shanghai or America/New_York';
const MAX_CACHED_NAMES = 2048;

const formatters = new Map<string, Intl.DateTimeFormat>();
const checked = new Map<string, ZoneResult>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let dtf = formatters.get(zone);
  if (!dtf) {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, dtf);
  }
  return dtf;
}

/**
 * Validates a zone name. Returns the name as the user wrote it, with the letter case of the IANA
 * spelling when it differs only in case (Intl would otherwise rename Asia/Kolkata to Asia/Calcutta).
 */
export function checkZone(name: string): ZoneResult {
  const cached = checked.get(name);
  if (cached) return cached;
  const result = validate(name);
  if (checked.size >= MAX_CACHED_NAMES) checked.clear();
  checked.set(name, result);
  return result;
}

function validate(name: string): ZoneResult {
  const trimmed = name.trim();
  const shown = quote(trimmed);
  if (trimmed === '') return { ok: false, error: `empty time zone: ${EXAMPLE}` };
  const upper = trimmed.toUpperCase();
  const meanings = ABBREVIATIONS[upper];
  if (meanings) {
    const hint = meanings.length === 1 ? `write ${meanings[0]}` : `it can mean ${listOr(meanings)}: write the IANA name of the place`;
    return { ok: false, error: `time zone ${shown} is an abbreviation, not an IANA zone name: ${hint}` };
  }
  const alias = CAPITAL_ALIASES[trimmed];
  if (alias) return { ok: false, error: `time zone ${shown} is an old alias: write ${alias}` };
  if (/^[A-Z]{2,5}$/.test(trimmed) && upper !== 'UTC') {
    return { ok: false, error: `time zone ${shown} looks like an abbreviation, not an IANA zone name: ${EXAMPLE}` };
  }
  if (/^(?:Z|(?:UTC|GMT)?\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?)$/i.test(trimmed)) {
    return {
      ok: false,
      error: `time zone ${shown} is a fixed offset, not an IANA zone name: write the offset in the timestamp (e.g. 2019-09-12T07:47+08:00), or ${EXAMPLE}`,
    };
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    const suggestion = suggestZone(trimmed);
    return { ok: false, error: `unknown time zone ${shown}: ${suggestion ? `did you mean ${suggestion}?` : EXAMPLE}` };
  }
  if (/^[+-]\d/.test(resolved)) {
    return { ok: false, error: `time zone ${shown} is a fixed offset, not an IANA zone name: write the offset in the timestamp instead` };
  }
  return { ok: true, zone: spelling(trimmed, resolved) };
}

let knownSpellings: Map<string, string> | undefined;

/** Lower-case name -> IANA spelling, for every zone Intl lists and its current name. */
function spellings(): Map<string, string> {
  if (!knownSpellings) {
    knownSpellings = new Map();
    for (const zone of [...Intl.supportedValuesOf('timeZone'), ...Object.values(CURRENT_NAMES), 'UTC']) {
      knownSpellings.set(zone.toLowerCase(), zone);
    }
  }
  return knownSpellings;
}

function spelling(written: string, resolved: string): string {
  const lower = written.toLowerCase();
  if (resolved.toLowerCase() === lower) return resolved;
  return spellings().get(lower) ?? written;
}

function listOr(items: string[]): string {
  return items.length === 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Longer than any IANA name (the longest has 32 characters): no point comparing. */
const MAX_SUGGESTABLE = 64;

function suggestZone(name: string): string | undefined {
  if (name.length > MAX_SUGGESTABLE) return undefined;
  const wanted = name.replace(/ +/g, '_').toLowerCase();
  const city = wanted.split('/').pop() ?? wanted;
  const alias = CITY_ALIASES[city];
  if (alias) return alias;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const [lower, zone] of spellings()) {
    const zoneCity = lower.split('/').pop() ?? lower;
    const distance = zoneCity === city ? 0 : editDistance(lower, wanted);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = CURRENT_NAMES[zone] ?? zone;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(wanted.length / 5)) ? best : undefined;
}

/**
 * Offset of `zone` (a name checkZone accepted) at the instant `epochMs`, in seconds east of UTC.
 */
export function offsetAt(zone: string, epochMs: number): number {
  const dtf = formatterFor(zone);
  const fields = (fastTextIsOk() ? fieldsFromText(dtf.format(epochMs)) : undefined) ?? fieldsFromParts(dtf, epochMs);
  return wallSeconds(fields) - Math.floor(epochMs / 1000);
}

/** year (astronomical: 1 BC = 0), month, day, hour, minute, second. */
type Fields = [number, number, number, number, number, number];

function wallSeconds([year, month, day, hour, minute, second]: Fields): number {
  return daysFromCivil(year, month, day) * 86_400 + (hour * 60 + minute) * 60 + second;
}

/** The same as offsetAt, always through formatToParts (the path used if fastTextIsOk() is false). */
export function offsetAtFromParts(zone: string, epochMs: number): number {
  return wallSeconds(fieldsFromParts(formatterFor(zone), epochMs)) - Math.floor(epochMs / 1000);
}

/** Reads the fields one by one: works whatever the layout of the formatted text. */
function fieldsFromParts(dtf: Intl.DateTimeFormat, epochMs: number): Fields {
  const fields: Fields = [0, 1, 1, 0, 0, 0];
  let beforeCommonEra = false;
  for (const part of dtf.formatToParts(epochMs)) {
    switch (part.type) {
      case 'year': fields[0] = Number(part.value); break;
      case 'month': fields[1] = Number(part.value); break;
      case 'day': fields[2] = Number(part.value); break;
      case 'hour': fields[3] = Number(part.value); break;
      case 'minute': fields[4] = Number(part.value); break;
      case 'second': fields[5] = Number(part.value); break;
      case 'era': beforeCommonEra = part.value === 'BC' || part.value === 'B'; break;
      default: break;
    }
  }
  if (beforeCommonEra) fields[0] = 1 - fields[0];
  return fields;
}

const EN_US_TEXT = /^(\d+)\/(\d+)\/(\d+) (AD|BC), (\d+):(\d+):(\d+)$/;

/**
 * `format()` is about three times faster than `formatToParts()`; its en-US text ("9/12/2019 AD,
 * 07:47:00") is read only if this runtime's ICU is seen to lay it out that way (fastTextIsOk), and
 * any text of another shape falls back to the parts.
 */
function fieldsFromText(text: string): Fields | undefined {
  const m = EN_US_TEXT.exec(text);
  if (!m) return undefined;
  const year = Number(m[3]);
  return [m[4] === 'BC' ? 1 - year : year, Number(m[1]), Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7])];
}

let fastTextOk: boolean | undefined;

/** Whether this ICU lays out en-US text as fieldsFromText reads it: found out when a time is first resolved, not at import (a formatter takes milliseconds to make). */
function fastTextIsOk(): boolean {
  if (fastTextOk === undefined) {
    const utc = formatterFor('UTC');
    fastTextOk = [Date.UTC(2019, 8, 12, 7, 47, 5), Date.UTC(-1, 11, 30, 23, 0, 59), Date.UTC(9999, 11, 31, 0, 0, 0)].every((ms) => {
      const fast = fieldsFromText(utc.format(ms));
      return fast !== undefined && fast.join() === fieldsFromParts(utc, ms).join();
    });
  }
  return fastTextOk;
}
