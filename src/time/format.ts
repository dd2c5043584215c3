/** Instants -> the text forms feeds and HTTP need. */
import { dayOfWeek, epochMsToWall, pad, pad2, type WallTime } from './calendar.js';

/** An exact instant together with the UTC offset it was written in, for display. */
export interface OffsetInstant {
  epochMs: number;
  /** Seconds east of UTC. */
  offsetSeconds: number;
}

const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function datePart(w: WallTime): string {
  return `${pad(w.year, 4)}-${pad2(w.month)}-${pad2(w.day)}`;
}

function timePart(w: WallTime): string {
  const fraction = w.millisecond ? `.${pad(w.millisecond, 3)}` : '';
  return `${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}${fraction}`;
}

/** XML Schema's dateTime (the type of Atom's dates) allows offsets up to ±14:00. */
export const MAX_DISPLAY_OFFSET_SECONDS = 14 * 3600;

/**
 * The offset an instant is shown in. RFC 3339 offsets have no seconds, and Atom's dates go no
 * further than ±14:00: an instant written in an offset with seconds (LMT, before about 1900) or
 * beyond ±14:00 is shown in UTC, which keeps it exact.
 */
export function displayOffset(instant: OffsetInstant): number {
  const { offsetSeconds } = instant;
  return offsetSeconds % 60 === 0 && Math.abs(offsetSeconds) <= MAX_DISPLAY_OFFSET_SECONDS ? offsetSeconds : 0;
}

/** `2019-09-11T23:47:00Z`; milliseconds only when non-zero. */
export function formatUtc(epochMs: number): string {
  const w = epochMsToWall(epochMs, 0);
  return `${datePart(w)}T${timePart(w)}Z`;
}

/** `2019-09-12T07:47:00+08:00`, in the instant's own offset. */
export function formatRfc3339(instant: OffsetInstant): string {
  const offset = displayOffset(instant);
  if (offset === 0) return formatUtc(instant.epochMs);
  const w = epochMsToWall(instant.epochMs, offset);
  return `${datePart(w)}T${timePart(w)}${formatOffset(offset)}`;
}

/** `Thu, 12 Sep 2019 07:47:00 +0800` (RFC 822/2822, as RSS wants). */
export function formatRfc2822(instant: OffsetInstant): string {
  const offset = displayOffset(instant);
  const w = epochMsToWall(instant.epochMs, offset);
  return `${weekdayName(w)}, ${pad2(w.day)} ${MONTH_NAMES[w.month - 1]} ${pad(w.year, 4)} ${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)} ${formatOffset(offset, 'basic')}`;
}

/** IMF-fixdate for HTTP headers: `Wed, 11 Sep 2019 23:47:00 GMT` (whole seconds). */
export function formatHttpDate(epochMs: number): string {
  const w = epochMsToWall(epochMs, 0);
  return `${weekdayName(w)}, ${pad2(w.day)} ${MONTH_NAMES[w.month - 1]} ${pad(w.year, 4)} ${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)} GMT`;
}

function weekdayName(w: WallTime): string {
  return WEEKDAY_NAMES[dayOfWeek(w.year, w.month, w.day)] ?? '';
}

/**
 * `+08:00` (extended: RFC 3339 and messages) or `+0800` (basic: RFC 2822). Seconds are shown only
 * when the offset has some (`+08:05:43`, LMT), which happens only in messages: displayOffset keeps
 * such offsets out of feeds.
 */
export function formatOffset(offsetSeconds: number, form: 'extended' | 'basic' = 'extended'): string {
  const separator = form === 'extended' ? ':' : '';
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const seconds = abs % 60;
  return `${sign}${pad2(hours)}${separator}${pad2(minutes)}${seconds ? `${separator}${pad2(seconds)}` : ''}`;
}
