/**
 * RFC 9110 section 13.2.2: evaluating preconditions for a GET or HEAD of a representation.
 * Pure: request headers + the representation's validators -> what to answer. Header values that
 * cannot be parsed are ignored, as the RFC asks.
 */

export interface Validators {
  /** Every entity-tag that names the current representation (e.g. identity and gzip variants). */
  etags: string[];
  /** Epoch ms, whole seconds. */
  lastModified?: number;
}

export type PreconditionOutcome = 'send' | 'not-modified' | 'precondition-failed';

/** Opaque part of an entity-tag, and whether it is weak; undefined if it is not one. */
function parseEntityTag(text: string): { opaque: string; weak: boolean } | undefined {
  const match = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/.exec(text.trim());
  return match ? { opaque: match[2] as string, weak: match[1] !== undefined } : undefined;
}

/** `"a", W/"b"` -> tags; `*` -> "any"; undefined when the list is malformed. */
function parseTagList(header: string): Array<{ opaque: string; weak: boolean }> | 'any' | undefined {
  if (header.trim() === '*') return 'any';
  const tags = [];
  for (const part of header.split(',')) {
    if (part.trim() === '') continue;
    const tag = parseEntityTag(part);
    if (!tag) return undefined;
    tags.push(tag);
  }
  return tags.length > 0 ? tags : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^[A-Z][a-z]+, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** An HTTP-date in any of the three forms recipients must accept; undefined if it is not one. */
export function parseHttpDate(header: string): number | undefined {
  const text = header.trim();
  let fields: [string, string, string, string, string, string] | undefined;
  let m: RegExpExecArray | null;
  if ((m = IMF_FIXDATE.exec(text))) fields = [m[3]!, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!];
  else if ((m = RFC_850.exec(text))) {
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const twoDigit = Number(m[3]);
    const year = twoDigit + (twoDigit >= 70 ? 1900 : 2000);
    fields = [String(year), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!];
  } else if ((m = ASCTIME.exec(text))) fields = [m[6]!, m[1]!, m[2]!.trim(), m[3]!, m[4]!, m[5]!];
  if (!fields) return undefined;
  const [year, monthName, day, hour, minute, second] = fields.map((f, i) => (i === 1 ? f : Number(f))) as [number, string, number, number, number, number];
  const month = MONTHS.indexOf(monthName);
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}

export function evaluatePreconditions(headers: Headers, validators: Validators): PreconditionOutcome {
  const ifNoneMatch = headers.get('if-none-match');
  // The common poll: the client echoes the ETag it was sent, and asks nothing else.
  if (ifNoneMatch !== null && validators.etags.includes(ifNoneMatch) && headers.get('if-match') === null && headers.get('if-unmodified-since') === null) {
    return 'not-modified';
  }
  const current = validators.etags.map((tag) => parseEntityTag(tag)?.opaque);
  const lastModified = validators.lastModified;

  const ifMatch = headers.get('if-match');
  const ifMatchTags = ifMatch === null ? undefined : parseTagList(ifMatch);
  if (ifMatchTags !== undefined) {
    // Strong comparison: a weak tag never matches.
    const matches = ifMatchTags === 'any' || ifMatchTags.some((t) => !t.weak && current.includes(t.opaque));
    if (!matches) return 'precondition-failed';
  } else {
    const ifUnmodifiedSince = headers.get('if-unmodified-since');
    const since = ifUnmodifiedSince === null ? undefined : parseHttpDate(ifUnmodifiedSince);
    if (since !== undefined && lastModified !== undefined && lastModified > since) return 'precondition-failed';
  }

  const ifNoneMatchTags = ifNoneMatch === null ? undefined : parseTagList(ifNoneMatch);
  if (ifNoneMatchTags !== undefined) {
    // Weak comparison: W/"x" matches "x".
    const matches = ifNoneMatchTags === 'any' || ifNoneMatchTags.some((t) => current.includes(t.opaque));
    return matches ? 'not-modified' : 'send';
  }
  if (ifNoneMatch !== null) return 'send';

  const ifModifiedSince = headers.get('if-modified-since');
  const since = ifModifiedSince === null ? undefined : parseHttpDate(ifModifiedSince);
  if (since !== undefined && lastModified !== undefined && lastModified <= since) return 'not-modified';
  return 'send';
}
