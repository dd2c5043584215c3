/** RFC 9110 section 14, as evaluateRange reads `Range` and `If-Range` (the HTTP answers: tests/hostile/ranges.test.ts). */
import { describe, expect, it } from 'vitest';
import { evaluateRange, type RangeOutcome } from '../../src/http/ranges.js';

const SIZE = 1000;
const VALIDATORS = { etag: '"abc"', lastModified: Date.UTC(2026, 0, 2, 3, 4, 5) };
const part = (start: number, end: number): RangeOutcome => ({ kind: 'part', start, end });
const WHOLE: RangeOutcome = { kind: 'whole' };
const NONE: RangeOutcome = { kind: 'unsatisfiable' };

describe('evaluateRange', () => {
  it.each<[string, RangeOutcome]>([
    ['bytes=0-99', part(0, 100)],
    ['bytes=990-', part(990, 1000)],
    ['bytes=0-', part(0, 1000)],
    ['bytes=500-5000', part(500, 1000)],
    ['bytes=999-999', part(999, 1000)],
    ['bytes=-10', part(990, 1000)],
    ['bytes=-5000', part(0, 1000)],
    ['BYTES=0-1', part(0, 2)],
    ['bytes= 7-8 ', part(7, 9)],
    ['bytes=0000000000000000000000007-8', part(7, 9)],
    // Past the end, and a suffix of nothing: unsatisfiable (416).
    ['bytes=1000-', NONE],
    ['bytes=5000-6000', NONE],
    ['bytes=99999999999999999999999-', NONE],
    ['bytes=-0', NONE],
    // Not a valid range of bytes: ignored (200).
    ['bytes=99-0', WHOLE],
    ['bytes=-', WHOLE],
    ['bytes=a-b', WHOLE],
    ['bytes=1.5-2', WHOLE],
    ['bytes 0-99', WHOLE],
    ['items=0-99', WHOLE],
    ['', WHOLE],
    // Several ranges, overlapping or not, however many: the whole representation (200).
    ['bytes=0-99,50-149', WHOLE],
    ['bytes=0-0,-1', WHOLE],
    ['bytes=2000-,3000-', WHOLE],
    [`bytes=${Array.from({ length: 5000 }, (_, i) => `${i}-${i}`).join(',')}`, WHOLE],
  ])('%s of 1000 bytes', (range, outcome) => {
    expect(evaluateRange(range, null, SIZE, VALIDATORS)).toEqual(outcome);
  });

  it('of an empty representation is never satisfiable', () => {
    expect(evaluateRange('bytes=0-', null, 0, VALIDATORS)).toEqual(NONE);
    expect(evaluateRange('bytes=-5', null, 0, VALIDATORS)).toEqual(NONE);
  });

  it.each<[string, RangeOutcome]>([
    ['"abc"', part(0, 100)],
    [' "abc" ', part(0, 100)],
    ['"abd"', WHOLE],
    ['W/"abc"', WHOLE],
    ['Fri, 02 Jan 2026 03:04:05 GMT', part(0, 100)],
    ['Fri, 02 Jan 2026 03:04:06 GMT', WHOLE],
    ['Thu, 01 Jan 2026 03:04:05 GMT', WHOLE],
    ['yesterday', WHOLE],
  ])('with If-Range %s', (ifRange, outcome) => {
    expect(evaluateRange('bytes=0-99', ifRange, SIZE, VALIDATORS)).toEqual(outcome);
  });

  it('with an If-Range date and no Last-Modified sends the whole representation', () => {
    expect(evaluateRange('bytes=0-99', 'Fri, 02 Jan 2026 03:04:05 GMT', SIZE, { etag: '"abc"' })).toEqual(WHOLE);
  });
});
