/**
 * Objects built by shape are plain objects indistinguishable from `{}` filled key by key, whether built by key (a
 * shape's first map) or by its constructor (from the second on); a duplicate key is refused either way.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildObject } from './yaml-shapes.js';

function byHand(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => Object.defineProperty(out, k, { value: values[i], writable: true, enumerable: true, configurable: true }));
  return out;
}

/** Build the same keys three times (the first by key, then by the shape's constructor), from offset stacks. */
function thrice(keys: readonly string[], values: readonly unknown[]): Record<string, unknown>[] {
  return [0, 1, 2].map(() => buildObject(['pad', ...keys], 1, keys.length + 1, ['pad', 'pad', ...values], 2) as Record<string, unknown>);
}

describe('buildObject', () => {
  const cases: [string, string[]][] = [
    ['no key', []],
    ['one key', ['app']],
    ['labels', ['app', 'tier']],
    ['array-index keys (listed first by JavaScript)', ['b', '10', 'a', '2']],
    ['__proto__ (an own property, not the prototype)', ['x', '__proto__']],
    ['24 keys', Array.from({ length: 24 }, (_, i) => `k${i}`)],
    ['40 keys (past the shape bound)', Array.from({ length: 40 }, (_, i) => `q${i}`)],
  ];
  for (const [name, keys] of cases) {
    it(`builds plain objects equal to key-by-key ones: ${name}`, () => {
      const values = keys.map((k, i) => (i % 2 === 0 ? `v-${k}` : { n: i }));
      const want = byHand(keys, values);
      for (const got of thrice(keys, values)) {
        expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
        expect(got.constructor).toBe(Object);
        expect(Object.keys(got)).toEqual(Object.keys(want));
        expect(Object.getOwnPropertyNames(got)).toEqual(Object.getOwnPropertyNames(want));
        expect(got).toStrictEqual(want);
        expect(inspect(got)).toBe(inspect(want));
        expect(JSON.stringify(got)).toBe(JSON.stringify(want));
        for (const k of keys) expect(Object.getOwnPropertyDescriptor(got, k)).toEqual(Object.getOwnPropertyDescriptor(want, k));
        // Mutable as any parsed value.
        got.added = 1;
        if (keys[0] !== undefined) Reflect.deleteProperty(got, keys[0]);
        expect(got.added).toBe(1);
        expect(Object.keys(got)).toEqual([...Object.keys(want).filter((k) => k !== keys[0]), 'added']);
      }
    });
  }

  it('gives each map its own object (never shared between maps of one shape)', () => {
    const [a, b] = thrice(['x'], [{ deep: 1 }]);
    expect(a).not.toBe(b);
    (a as { x: unknown }).x = 2;
    expect(b).toEqual({ x: { deep: 1 } });
  });

  it('refuses a duplicate key, by key and by shape', () => {
    for (const keys of [['a', 'b', 'a'], ['a', 'a'], Array.from({ length: 30 }, (_, i) => `k${i % 29}`)]) {
      for (let i = 0; i < 3; i++) expect(buildObject(keys, 0, keys.length, keys, 0)).toBeUndefined();
    }
    // A prefix of a duplicate-key shape is a shape of its own.
    expect(buildObject(['a', 'b'], 0, 2, [1, 2], 0)).toEqual({ a: 1, b: 2 });
  });
});
