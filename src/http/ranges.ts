/**
 * RFC 9110 section 14: which bytes of a representation a GET with `Range` asks for. Pure: the
 * request's `Range` and `If-Range` and the representation's size and validators -> what to answer.
 *
 * One range is answered (206, or 416 when it lies wholly past the end). A request for several
 * ranges gets the whole representation (200), as a server may answer (14.2): players and download
 * managers ask for one range at a time, and a list of thousands of small ranges costs nothing.
 * Anything that is not a valid `bytes` range is ignored, as the RFC asks, and so is a `Range`
 * whose `If-Range` does not name the current representation.
 */
import { parseHttpDate } from './conditional.js';

export type RangeOutcome =
  /** Send the whole representation (200). */
  | { kind: 'whole' }
  /** Bytes `start` (inclusive) to `end` (exclusive), 206. */
  | { kind: 'part'; start: number; end: number }
  /** 416, with `Content-Range: bytes *\/<size>`. */
  | { kind: 'unsatisfiable' };

const WHOLE: RangeOutcome = { kind: 'whole' };
const SINGLE_RANGE = /^(\d*)-(\d*)$/;
/** Positions past this are past the end of any file (and not exact in a double). */
const MAX_DIGITS = 15;

export function evaluateRange(range: string, ifRange: string | null, size: number, validators: { etag: string; lastModified?: number }): RangeOutcome {
  const equals = range.indexOf('=');
  if (equals === -1 || range.slice(0, equals).trim().toLowerCase() !== 'bytes') return WHOLE;
  const specs = range.slice(equals + 1);
  if (specs.includes(',')) return WHOLE;
  const match = SINGLE_RANGE.exec(specs.trim());
  if (!match) return WHOLE;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return WHOLE;
  if (ifRange !== null && !ifRangeHolds(ifRange, validators)) return WHOLE;
  if (first === '') {
    // The last N bytes; bytes=-0 asks for none of them.
    const suffix = position(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size };
  }
  const start = position(first);
  const end = last === '' ? size : position(last) + 1;
  // bytes=9-0: not a range at all.
  if (last !== '' && end <= start) return WHOLE;
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end: Math.min(end, size) };
}

function position(digits: string): number {
  const significant = digits.replace(/^0+(?=\d)/, '');
  return significant.length > MAX_DIGITS ? Number.MAX_SAFE_INTEGER : Number(significant);
}

/**
 * `If-Range` (13.1.5): an entity-tag holds when it is the current one, compared strongly (a weak
 * one never holds); a date, when it is exactly the current Last-Modified. Anything else does not.
 */
function ifRangeHolds(ifRange: string, { etag, lastModified }: { etag: string; lastModified?: number }): boolean {
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = parseHttpDate(value);
  return date !== undefined && date === lastModified;
}

/** `Content-Range` of a part. */
export function contentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end - 1}/${size}`;
}
