import { describe, expect, it } from 'vitest';
import { KeyNumbers, NumberSet } from './distinct.js';

describe('KeyNumbers', () => {
  it('gives equal keys one number, whichever object names them, and reads the parts of a key once per run of one object', () => {
    const numbers = new KeyNumbers<{ k: string[] }>();
    let made = 0;
    const parts = (r: { k: string[] }): string[] => (made++, r.k);
    const a = { k: ['x', 'p'] };
    const b = { k: ['y'] };
    const a2 = { k: ['x', 'p'] };
    expect([numbers.ofRef(a, parts), numbers.ofRef(a, parts), numbers.ofRef(b, parts), numbers.ofRef(a, parts), numbers.ofRef(a2, parts)]).toEqual([0, 0, 1, 0, 0]);
    expect(made).toBe(4);
    expect(numbers.ofKey('y')).toBe(1);
    expect(numbers.ofKey('x\u0000p')).toBe(0);
    expect(numbers.ofKey('z')).toBe(2);
  });

  it('numbers keys as the strings their parts joined by NUL make (a part may hold a NUL, a key may prefix another)', () => {
    const keys = [['a', 'b', 'c'], ['a\u0000b', 'c'], ['a', 'b\u0000c'], ['a', 'b'], ['a'], ['a', ''], [''], ['', ''], ['a\u0000', ''], ['x', 'y\u0000\u0000z'], ['x', 'y', '', 'z']];
    const numbers = new KeyNumbers<object>();
    const reference = new Map<string, number>();
    for (const k of [...keys, ...keys.reverse()]) {
      const joined = k.join('\u0000');
      if (!reference.has(joined)) reference.set(joined, reference.size);
      expect(numbers.ofParts(k), JSON.stringify(k)).toBe(reference.get(joined));
      expect(numbers.ofKey(joined)).toBe(reference.get(joined));
    }
  });
});

describe('NumberSet', () => {
  it('counts distinct numbers, far apart and repeated, as a Set does', () => {
    const set = new NumberSet();
    const reference = new Set<number>();
    const xs = [0, 31, 32, 5, 5, 1000, 255, 256, 0, 100_000, 31, 99_999];
    for (let i = 0; i < 5000; i++) xs.push((i * 7919) % 3001);
    for (const x of xs) {
      set.add(x);
      reference.add(x);
      expect(set.size).toBe(reference.size);
    }
  });
});
