import { describe, expect, it } from 'vitest';
import { appendAll, maxOf } from './arrays.js';

describe('arrays at any size', () => {
  it('appendAll appends a million items in order where push(...items) throws', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(() => [].push(...(big as never[]))).toThrow(RangeError);
    const out = [-1];
    appendAll(out, big);
    expect(out.length).toBe(1_000_001);
    expect(out[1_000_000]).toBe(999_999);
  });
  it('maxOf is Math.max without spreading, with a floor', () => {
    expect(maxOf([3, 9, 2])).toBe(9);
    expect(maxOf([], 5)).toBe(5);
    expect(maxOf([1, 2], 5)).toBe(5);
    expect(maxOf(Array.from({ length: 1_000_000 }, (_, i) => i))).toBe(999_999);
  });
});
