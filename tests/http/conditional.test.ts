import { describe, expect, it } from 'vitest';
import { evaluatePreconditions, parseHttpDate } from '../../src/http/conditional.js';

const LAST_MODIFIED = Date.UTC(2019, 8, 11, 23, 47, 0);
const validators = { etags: ['"abc"', '"abc-br"'], lastModified: LAST_MODIFIED };
const evaluate = (headers: Record<string, string>) => evaluatePreconditions(new Headers(headers), validators);

describe('RFC 9110 preconditions', () => {
  it('If-None-Match: a list, *, and weak comparison', () => {
    expect(evaluate({ 'if-none-match': '"abc"' })).toBe('not-modified');
    expect(evaluate({ 'if-none-match': '"x", "abc-br"' })).toBe('not-modified');
    expect(evaluate({ 'if-none-match': 'W/"abc"' })).toBe('not-modified');
    expect(evaluate({ 'if-none-match': '*' })).toBe('not-modified');
    expect(evaluate({ 'if-none-match': '"other"' })).toBe('send');
  });

  it('If-Modified-Since alone: 304 unless modified after it', () => {
    expect(evaluate({ 'if-modified-since': 'Wed, 11 Sep 2019 23:47:00 GMT' })).toBe('not-modified');
    expect(evaluate({ 'if-modified-since': 'Thu, 12 Sep 2019 00:00:00 GMT' })).toBe('not-modified');
    expect(evaluate({ 'if-modified-since': 'Wed, 11 Sep 2019 23:46:59 GMT' })).toBe('send');
  });

  it('If-None-Match wins over If-Modified-Since, whichever way they point', () => {
    expect(evaluate({ 'if-none-match': '"other"', 'if-modified-since': 'Thu, 12 Sep 2019 00:00:00 GMT' })).toBe('send');
    expect(evaluate({ 'if-none-match': '"abc"', 'if-modified-since': 'Tue, 10 Sep 2019 00:00:00 GMT' })).toBe('not-modified');
    // Even a malformed If-None-Match means If-Modified-Since is ignored.
    expect(evaluate({ 'if-none-match': 'garbage', 'if-modified-since': 'Thu, 12 Sep 2019 00:00:00 GMT' })).toBe('send');
  });

  it('If-Match and If-Unmodified-Since come first and use strong comparison', () => {
    expect(evaluate({ 'if-match': '"abc"' })).toBe('send');
    expect(evaluate({ 'if-match': 'W/"abc"' })).toBe('precondition-failed');
    expect(evaluate({ 'if-match': '"nope"', 'if-none-match': '"abc"' })).toBe('precondition-failed');
    expect(evaluate({ 'if-unmodified-since': 'Tue, 10 Sep 2019 00:00:00 GMT' })).toBe('precondition-failed');
    expect(evaluate({ 'if-unmodified-since': 'Thu, 12 Sep 2019 00:00:00 GMT' })).toBe('send');
  });

  it('ignores malformed validators instead of failing', () => {
    expect(evaluate({ 'if-modified-since': 'yesterday' })).toBe('send');
    expect(evaluate({ 'if-modified-since': 'Wed, 31 Feb 2019 23:47:00 GMT' })).toBe('send');
    expect(evaluate({ 'if-match': 'not-a-tag' })).toBe('send');
    expect(evaluate({ 'if-none-match': '' })).toBe('send');
  });

  it('reads the three HTTP-date forms', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('2019-09-12T07:47:00Z')).toBeUndefined();
  });
});
