import { describe, expect, it } from 'vitest';
import { checkZone } from '../time/index.js';
import { closestName, editDistance } from './closest.js';
import { byteSize, count } from './counts.js';

describe('editDistance', () => {
  it('counts a swap of two neighbours as one edit (Damerau), and insertions, deletions and substitutions', () => {
    expect(editDistance('titel', 'title')).toBe(1);
    expect(editDistance('tittle', 'title')).toBe(1);
    expect(editDistance('autor', 'author')).toBe(1);
    expect(editDistance('summmary', 'summary')).toBe(1);
    expect(editDistance('date', 'data')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('closestName', () => {
  const keys = ['title', 'date', 'updated', 'author', 'summary', 'tags', 'id', 'link'];
  it('names the closest known name within the distance, the first of equals', () => {
    expect(closestName('tittle', keys, 2)).toBe('title');
    expect(closestName('Title', keys, 1)).toBe('title');
    expect(closestName('lnk', keys, 1)).toBe('link');
    expect(closestName('tag', keys, 1)).toBe('tags');
  });
  it('names none beyond it', () => {
    expect(closestName('colour', keys, 2)).toBeUndefined();
    expect(closestName('published', keys, 2)).toBeUndefined();
  });
  it('is the helper the zone suggestions use: a swap in a city name is one edit', () => {
    expect(checkZone('Asia/Shangai')).toEqual({ ok: false, error: 'unknown time zone "Asia/Shangai": did you mean Asia/Shanghai?' });
    expect(checkZone('Europe/Lodnon')).toEqual({ ok: false, error: 'unknown time zone "Europe/Lodnon": did you mean Europe/London?' });
  });
});

describe('count', () => {
  it('puts the noun in the number the count needs', () => {
    expect(count(0, 'article')).toBe('0 articles');
    expect(count(1, 'article')).toBe('1 article');
    expect(count(2, 'error')).toBe('2 errors');
    expect(count(1, 'entry', 'entries')).toBe('1 entry');
    expect(count(3, 'entry', 'entries')).toBe('3 entries');
  });
});

describe('byteSize', () => {
  it('uses the largest binary unit that keeps the number at 1 or more, with a decimal below 10', () => {
    expect(byteSize(0)).toBe('0 B');
    expect(byteSize(1023)).toBe('1023 B');
    expect(byteSize(1024)).toBe('1 KiB');
    expect(byteSize(9.4 * 1024)).toBe('9.4 KiB');
    expect(byteSize(146 * 1024 + 300)).toBe('146 KiB');
    expect(byteSize(1_173_749)).toBe('1.1 MiB');
    expect(byteSize(1549213 * 1024)).toBe('1.5 GiB');
    expect(byteSize(1024 * 1024 - 1)).toBe('1 MiB');
  });
});
