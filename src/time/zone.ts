/**
 * IANA zone names: validation with helpful suggestions, and the UTC offset of a zone at an instant.
 * Offsets come from the runtime's ICU data through Intl.DateTimeFormat, read field by field, so
 * they are exact to the second (LMT offsets such as +08:05:43 included) and never depend on the
 * host's own time zone.
 */
import { daysFromCivil } from './calendar.js';

export type ZoneResult = { ok: true; zone: string } | { ok: false; error: string };

const ABBREVIATIONS: Record<string, string[]> = {
  CST: ['America/Chicago', 'Asia/Shanghai', 'America/Havana'],
  IST: ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem'],
  BST: ['Europe/London', 'Asia/Dhaka'],
  EST: ['America/New_York'],
  EDT: ['America/New_York'],
  CDT: ['America/Chicago'],
  MST: ['America/Denver', 'America/Phoenix'],
  MDT: ['America/Denver'],
  PST: ['America/Los_Angeles'],
  PDT: ['America/Los_Angeles'],
  AEST: ['Australia/Sydney', 'Australia/Brisbane'],
  AEDT: ['Australia/Sydney'],
  CET: ['Europe/Paris', 'Europe/Berlin'],
  CEST: ['Europe/Paris', 'Europe/Berlin'],
  EET: ['Europe/Athens', 'Africa/Cairo'],
  WAT: ['Africa/Lagos'],
  EAT: ['Africa/Nairobi'],
  SAST: ['Africa/Johannesburg'],
  JST: ['Asia/Tokyo'],
  KST: ['Asia/Seoul'],
  HKT: ['Asia/Hong_Kong'],
  SGT: ['Asia/Singapore'],
  PKT: ['Asia/Karachi'],
  MSK: ['Europe/Moscow'],
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

const UNAMBIGUOUS_SHORT_NAMES = new Set(['UTC', 'GMT']);

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

/** Validates a zone name and returns its canonical spelling. */
export function checkZone(name: string): ZoneResult {
  const cached = checked.get(name);
  if (cached) return cached;
  const result = validate(name);
  checked.set(name, result);
  return result;
}

function validate(name: string): ZoneResult {
  const trimmed = name.trim();
  if (trimmed === '') return { ok: false, error: 'empty time zone: use an IANA name such as Asia/Shanghai' };
  const upper = trimmed.toUpperCase();
  if (/^[A-Z]{2,5}$/.test(trimmed) && !UNAMBIGUOUS_SHORT_NAMES.has(upper)) {
    const candidates = ABBREVIATIONS[upper];
    const hint = candidates
      ? `it can mean ${listOr(candidates)}`
      : 'use an IANA name such as Asia/Shanghai or America/New_York';
    return { ok: false, error: `time zone "${trimmed}" is an abbreviation, not an IANA zone name: ${hint}` };
  }
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    const suggestion = suggestZone(trimmed);
    return {
      ok: false,
      error: `unknown time zone "${trimmed}": ${suggestion ? `did you mean ${suggestion}?` : 'use an IANA name such as Asia/Shanghai'}`,
    };
  }
  if (/^[+-]\d/.test(canonical)) {
    return { ok: false, error: `time zone "${trimmed}" is an offset, not an IANA zone name: write the offset in the timestamp instead` };
  }
  return { ok: true, zone: canonical };
}

function listOr(items: string[]): string {
  return items.length === 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

let knownZones: string[] | undefined;

function suggestZone(name: string): string | undefined {
  knownZones ??= Intl.supportedValuesOf('timeZone');
  const wanted = name.replace(/ +/g, '_').toLowerCase();
  const city = wanted.split('/').pop() ?? wanted;
  const alias = CITY_ALIASES[city];
  if (alias) return alias;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const zone of knownZones) {
    const lower = zone.toLowerCase();
    if (lower === wanted) return zone;
    const zoneCity = lower.split('/').pop() ?? lower;
    const distance = zoneCity === city ? 0 : editDistance(lower, wanted);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = zone;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(wanted.length / 5)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Offset of `zone` (a name checkZone accepted) at the instant `epochMs`, in seconds east of UTC.
 */
export function offsetAt(zone: string, epochMs: number): number {
  const parts = formatterFor(zone).formatToParts(epochMs);
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let beforeCommonEra = false;
  for (const part of parts) {
    switch (part.type) {
      case 'year': year = Number(part.value); break;
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': hour = Number(part.value); break;
      case 'minute': minute = Number(part.value); break;
      case 'second': second = Number(part.value); break;
      case 'era': beforeCommonEra = part.value === 'BC' || part.value === 'B'; break;
      default: break;
    }
  }
  if (beforeCommonEra) year = 1 - year;
  const wallSeconds = daysFromCivil(year, month, day) * 86_400 + (hour * 60 + minute) * 60 + second;
  return wallSeconds - Math.floor(epochMs / 1000);
}
