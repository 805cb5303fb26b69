import { describe, expect, it } from 'vitest';
import { childRecord, LineTable, OffsetArena, recordCount } from './yaml-positions.js';

/** The records of a value in pre-order, as the loader numbers them: a map's entries in `Object.keys` order. */
function preorder(value: unknown, out: unknown[] = []): unknown[] {
  out.push(value);
  if (Array.isArray(value)) for (const x of value as unknown[]) preorder(x, out);
  else if (typeof value === 'object' && value !== null) for (const k of Object.keys(value)) preorder((value as Record<string, unknown>)[k], out);
  return out;
}

describe('record numbering', () => {
  // Integer-like keys come first in Object.keys order; `__proto__` from JSON is an own key (not a prototype).
  const value = JSON.parse('{"b": [1, {"x": null, "y": [[], {}]}, "s"], "10": {"q": 1}, "2": 3, "__proto__": {"p": [true]}, "a": {}}') as unknown;

  it('counts every node of a subtree, itself included', () => {
    expect(recordCount(value)).toBe(preorder(value).length);
    expect(recordCount(7)).toBe(1);
    expect(recordCount([])).toBe(1);
    expect(recordCount({ a: [1, 2, { b: null }] })).toBe(6);
  });

  it('finds the record of every child as the pre-order numbering has it', () => {
    const order = preorder(value);
    const walk = (v: unknown, record: number): void => {
      expect(order[record]).toBe(v);
      const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : typeof v === 'object' && v !== null ? Object.keys(v) : [];
      for (const k of keys) {
        const child = childRecord(v, record, k);
        expect(child).toBeDefined();
        if (child) walk(child.value, child.record);
      }
    };
    walk(value, 0);
  });

  it('has no record for a missing child', () => {
    expect(childRecord(value, 0, 'missing')).toBeUndefined();
    expect(childRecord(value, 0, 'toString')).toBeUndefined();
    expect(childRecord([1], 0, 1)).toBeUndefined();
    expect(childRecord([1], 0, 'a')).toBeUndefined();
  });
});

describe('OffsetArena', () => {
  it('packs the documents of a file into shared arrays, each read from its base, the last array cut to fit', () => {
    const arena = new OffsetArena('f.yaml', new LineTable('a\nb\n'));
    const docs = Array.from({ length: 300 }, (_, i) => Int32Array.from({ length: 1 + (i % 7) }, (_, k) => i * 10 + k));
    const positions = docs.map((d) => arena.add(d));
    arena.seal();
    positions.forEach((p, i) => {
      const d = docs[i] as Int32Array;
      expect([...p.offsets.subarray(p.base, p.base + d.length)]).toEqual([...d]);
      expect(p.file).toBe('f.yaml');
    });
    expect(new Set(positions.map((p) => p.offsets)).size).toBeLessThan(5);
    const last = positions[positions.length - 1];
    expect(last && last.offsets.length).toBe(last && last.base + (docs[docs.length - 1] as Int32Array).length);
  });

  it('gives a document larger than an array one of its own', () => {
    const arena = new OffsetArena('f.yaml', new LineTable(''));
    const big = new Int32Array(100_000).map((_, i) => i);
    const p = arena.add(big);
    arena.seal();
    expect(p.base).toBe(0);
    expect(p.offsets.length).toBe(100_000);
    expect(p.offsets[99_999]).toBe(99_999);
  });
});
