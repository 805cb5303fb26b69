import { describe, expect, it } from 'vitest';
import { displayWidth, wrap } from './text.js';

describe('displayWidth', () => {
  it('one column for every code unit below U+0300, none for combining marks, two for wide characters', () => {
    for (let c = 0x20; c < 0x300; c++) expect(displayWidth(`ab${String.fromCharCode(c)}`), c.toString(16)).toBe(3);
    for (let c = 0x300; c < 0x370; c++) expect(displayWidth(`a${String.fromCharCode(c)}`), c.toString(16)).toBe(1);
    expect(displayWidth('a\u4e00b')).toBe(4);
    expect(displayWidth('a\u{1f600}b')).toBe(4);
    expect(displayWidth('plain text, 20 cols')).toBe(19);
  });
});

/** Greedy wrapping of one-column text, written plainly: the reference for wrap's fast path. */
function reference(s: string, width: number): string[] {
  const max = Math.max(1, width);
  if (s.length <= max) return [s];
  const lines: string[] = [];
  let line: string | undefined;
  for (const word of s.split(' ')) {
    if (line !== undefined && line.length + (line === '' ? 0 : 1) + word.length <= max) {
      line = line === '' ? word : `${line} ${word}`;
      continue;
    }
    if (line !== undefined && line !== '') lines.push(line);
    let rest = word;
    while (rest.length > max) {
      lines.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    line = rest;
  }
  if (line !== '' || lines.length === 0) lines.push(line ?? '');
  return lines;
}

describe('wrap', () => {
  it('wraps one-column text as the plain greedy algorithm does (2,000 generated strings)', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const words = Array.from({ length: 1 + rnd(30) }, () => 'abcdefghijklmnopqrstuvwxyz-/[]:.'.repeat(4).slice(rnd(20), rnd(20) + rnd(40)));
      const s = words.join(' ');
      const width = 1 + rnd(80);
      expect(wrap(s, width), `${JSON.stringify(s)} at ${width}`).toEqual(reference(s, width));
    }
  });
  it('measures wide and combining characters by their columns', () => {
    expect(wrap('\u4e00\u4e00 \u4e00\u4e00', 4)).toEqual(['\u4e00\u4e00', '\u4e00\u4e00']);
    expect(wrap('e\u0301e\u0301e\u0301 abc', 7)).toEqual(['e\u0301e\u0301e\u0301 abc']);
    expect(wrap('abc abc', 5)).toEqual(['abc', 'abc']);
  });
});
