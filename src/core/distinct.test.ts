import { describe, expect, it } from 'vitest';
import { KeyNumbers, NumberSet } from './distinct.js';

describe('KeyNumbers', () => {
  it('gives equal keys one number, whichever object names them, and makes a key once per object', () => {
    const numbers = new KeyNumbers<{ k: string }>();
    let made = 0;
    const key = (r: { k: string }): string => (made++, r.k);
    const a = { k: 'x' };
    const b = { k: 'y' };
    const a2 = { k: 'x' };
    expect([numbers.ofRef(a, key), numbers.ofRef(a, key), numbers.ofRef(b, key), numbers.ofRef(a, key), numbers.ofRef(a2, key)]).toEqual([0, 0, 1, 0, 0]);
    expect(made).toBe(3);
    expect(numbers.ofKey('y')).toBe(1);
    expect(numbers.ofKey('z')).toBe(2);
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
