import { describe, expect, it } from 'vitest';
import { displayWidth, wrap } from './text.js';

describe('displayWidth', () => {
  it('of every BMP character, as measured character by character (a wide emoji after it takes the slow way)', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      if (displayWidth(`a${ch}b`) !== displayWidth(`a${ch}b\u{1f600}`) - 2) wrong.push(c);
    }
    expect(wrong).toEqual([]);
  });
  it('one column for every code unit below U+0300, none for combining marks, two for wide characters', () => {
    for (let c = 0x20; c < 0x300; c++) expect(displayWidth(`ab${String.fromCharCode(c)}`), c.toString(16)).toBe(3);
    for (let c = 0x300; c < 0x370; c++) expect(displayWidth(`a${String.fromCharCode(c)}`), c.toString(16)).toBe(1);
    expect(displayWidth('a\u4e00b')).toBe(4);
    expect(displayWidth('a\u{1f600}b')).toBe(4);
    expect(displayWidth('plain text, 20 cols')).toBe(19);
  });
});

/** Greedy wrapping, written plainly (words measured by displayWidth, over-long words cut by code point): the reference for wrap's fast path. */
function reference(s: string, width: number): string[] {
  const max = Math.max(1, width);
  if (s.length <= max) return [s];
  const lines: string[] = [];
  let line: string | undefined;
  if (displayWidth(s) <= max) return [s];
  for (const word of s.split(' ')) {
    if (line !== undefined && displayWidth(line) + (line === '' ? 0 : 1) + displayWidth(word) <= max) {
      line = line === '' ? word : `${line} ${word}`;
      continue;
    }
    if (line !== undefined && line !== '') lines.push(line);
    let piece = '';
    for (const ch of word) {
      if (piece !== '' && displayWidth(piece + ch) > max) {
        lines.push(piece);
        piece = '';
      }
      piece += ch;
    }
    line = piece;
  }
  if (line !== '' || lines.length === 0) lines.push(line ?? '');
  return lines;
}

describe('wrap', () => {
  it('wraps as the plain greedy algorithm does (2,000 generated strings, one-column text and mixed)', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const alphabet = i % 3 === 0 ? 'abcdefghij→\u4e00e\u0301\u{1f600}xyz' : 'abcdefghijklmnopqrstuvwxyz-/[]:.→';
      const chars = Array.from(alphabet.repeat(4));
      const words = Array.from({ length: 1 + rnd(30) }, () => chars.slice(rnd(20), rnd(20) + rnd(40)).join(''));
      const s = words.join(' ');
      const width = 1 + rnd(80);
      expect(wrap(s, width), `${JSON.stringify(s)} at ${width}`).toEqual(reference(s, width));
    }
  });
  it('wraps words of one-column text, single spaces, as the plain greedy algorithm does (3,000 generated messages)', () => {
    let seed = 11;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const chars = Array.from('abcdefghijklmnopqrstuvwxyz-/[]:.()0123456789');
    for (let i = 0; i < 3000; i++) {
      const width = 8 + rnd(80);
      // Words no wider than the line (mostly: the tenth string may hold one wider), some exactly as wide.
      const words = Array.from({ length: 1 + rnd(40) }, () => Array.from({ length: 1 + (rnd(12) === 0 ? width - 1 + rnd(i % 10 === 0 ? 3 : 1) : rnd(Math.min(12, width))) }, () => chars[rnd(chars.length)]).join(''));
      const s = words.join(' ');
      expect(wrap(s, width), `${JSON.stringify(s)} at ${width}`).toEqual(reference(s, width));
    }
  });
  it('measures wide and combining characters by their columns', () => {
    expect(wrap('\u4e00\u4e00 \u4e00\u4e00', 4)).toEqual(['\u4e00\u4e00', '\u4e00\u4e00']);
    expect(wrap('e\u0301e\u0301e\u0301 abc', 7)).toEqual(['e\u0301e\u0301e\u0301 abc']);
    expect(wrap('abc abc', 5)).toEqual(['abc', 'abc']);
  });
});
