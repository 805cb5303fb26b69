import { describe, expect, it } from 'vitest';
import { counted, defuseCiCommands, escapeText } from './text.js';

describe('counted', () => {
  it('puts the noun in the number the count takes', () => {
    expect(counted(0, 'day')).toBe('0 days');
    expect(counted(1, 'day')).toBe('1 day');
    expect(counted(2, 'day')).toBe('2 days');
    expect(counted(1, 'policy', 'policies')).toBe('1 policy');
    expect(counted(3, 'policy', 'policies')).toBe('3 policies');
  });
});

describe('escapeText: plain text as it is, every other character escaped (the fast path misses none)', () => {
  const acted = (c: number): boolean =>
    c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || (c >= 0xd800 && c <= 0xdfff);
  it('changes a string for exactly the unsafe code units and lone surrogates, of all 65,536', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const s = `ab${String.fromCharCode(c)}cd`;
      if ((escapeText(s) !== s) !== acted(c)) wrong.push(c);
    }
    expect(wrong).toEqual([]);
  });
  it('keeps surrogate pairs, defuses CI commands and a leading ::, returns plain text unchanged', () => {
    expect(escapeText('a \u{1f600} b')).toBe('a \u{1f600} b');
    expect(escapeText('x ##[error] y')).toBe('x #\\x23[error] y');
    expect(escapeText('x ##vso[task] y')).toBe('x #\\x23vso[task] y');
    expect(escapeText('  ::error::x')).toBe('  \\x3a:error::x');
    expect(escapeText('a # b :: c')).toBe('a # b :: c');
    const plain = 'ClusterRole cr-1 rules[0] (apiGroups [""] resources [pods] verbs [create])';
    expect(escapeText(plain)).toBe(plain);
  });
});

describe('defuseCiCommands: text without ## or :: as it is', () => {
  it('defuses what it must, leaves the rest', () => {
    const enc = (c: '#' | ':'): string => (c === '#' ? '&#35;' : '&#58;');
    expect(defuseCiCommands('a\n  ::warning::x\nb ##[group] c\n', enc)).toBe('a\n  &#58;:warning::x\nb #&#35;[group] c\n');
    expect(defuseCiCommands('a : b # c\n:x\n', enc)).toBe('a : b # c\n:x\n');
    expect(defuseCiCommands('a\n::x', enc)).toBe('a\n&#58;:x');
    expect(defuseCiCommands('x ## y\n', enc)).toBe('x ## y\n');
  });
});
