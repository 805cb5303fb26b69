import { describe, expect, it } from 'vitest';
import { childRecord, LineTable, OffsetArena, offsetAt, recordCount, type DocPositions } from './yaml-positions.js';

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
  const readBack = (p: { positions: DocPositions; base: number }, n: number): number[] => Array.from({ length: n }, (_, r) => offsetAt(p.positions.offsets, p.base, r));

  it('packs the documents of a file into shared arrays, each read from its base, the last array cut to fit', () => {
    const arena = new OffsetArena('f.yaml', new LineTable('a\nb\n'));
    // Starts past 64 KiB too: the start is kept whole, only the offsets from it are 16-bit.
    const docs = Array.from({ length: 300 }, (_, i) => ({ start: i * 70_001, offsets: Int32Array.from({ length: 1 + (i % 7) }, (_, k) => i * 70_001 + k * 9_000) }));
    const added = docs.map((d) => arena.add(d.offsets, d.start));
    arena.seal();
    added.forEach((p, i) => {
      const d = docs[i] as { offsets: Int32Array };
      expect(readBack(p, d.offsets.length)).toEqual([...d.offsets]);
      expect(p.positions.file).toBe('f.yaml');
      expect(p.positions.offsets).toBeInstanceOf(Uint16Array);
    });
    expect(new Set(added.map((p) => p.positions.offsets)).size).toBeLessThan(5);
    const last = added[added.length - 1];
    expect(last && last.positions.offsets.length).toBe(last && last.base + 2 + (docs[docs.length - 1]?.offsets.length ?? 0));
  });

  it('keeps a document spanning more than 64 KiB in 32-bit offsets, beside 16-bit ones', () => {
    const arena = new OffsetArena('f.yaml', new LineTable(''));
    const small = arena.add(Int32Array.from([10, 11, 65_545]), 10);
    const large = arena.add(Int32Array.from([100, 100 + 65_536, 5]), 100);
    const after = arena.add(Int32Array.from([200_000, 200_001]), 200_000);
    arena.seal();
    expect(small.positions.offsets).toBeInstanceOf(Uint16Array);
    expect(large.positions.offsets).toBeInstanceOf(Int32Array);
    expect(after.positions.offsets).toBe(small.positions.offsets);
    expect(readBack(small, 3)).toEqual([10, 11, 65_545]);
    expect(readBack(large, 3)).toEqual([100, 65_636, 5]);
    expect(readBack(after, 2)).toEqual([200_000, 200_001]);
  });

  it('gives a document larger than an array one of its own', () => {
    const arena = new OffsetArena('f.yaml', new LineTable(''));
    const big = new Int32Array(100_000).map((_, i) => i);
    const p = arena.add(big, 0);
    arena.seal();
    expect(p.base).toBe(0);
    expect(p.positions.offsets.length).toBe(100_002);
    expect(readBack(p, 100_000)).toEqual([...big]);
  });
});

describe('LineTable', () => {
  /** Line and column of every offset, counted the plain way. */
  function naive(text: string): { line: number; column: number }[] {
    const out: { line: number; column: number }[] = [];
    let line = 1;
    let column = 1;
    for (let i = 0; i <= text.length; i++) {
      out.push({ line, column });
      if (text[i] === '\n') {
        line++;
        column = 1;
      } else column++;
    }
    return out;
  }

  const lines = (lengths: readonly number[]): string => lengths.map((n) => 'x'.repeat(n)).join('\n');
  const texts: [string, string][] = [
    ['empty', ''],
    ['one line', 'abc'],
    ['64 lines', lines(Array.from({ length: 64 }, (_, i) => i % 5))],
    ['65 lines', lines(Array.from({ length: 65 }, (_, i) => i % 5))],
    ['many short lines, empty ones too', lines(Array.from({ length: 1_000 }, (_, i) => (i * 7) % 13))],
    ['a group spanning 64 KiB (kept whole)', lines([10, 70_000, 3, ...Array.from({ length: 200 }, () => 2)])],
    ['lines just under the compact limit', lines(Array.from({ length: 300 }, (_, i) => (i % 64 === 1 ? 65_000 : 0)))],
  ];
  for (const [name, text] of texts) {
    it(`gives every offset's line and column: ${name}`, () => {
      const want = naive(text);
      for (const table of [new LineTable(text), LineTable.fromStarts(new LineTable(text).lineStarts)]) {
        for (let i = 0; i < want.length; i++) if (i % 97 === 0 || text[i - 1] === '\n' || text[i] === '\n' || i === want.length - 1) expect(table.position(i)).toEqual(want[i]);
      }
      const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
      expect([...new LineTable(text).lineStarts]).toEqual(starts);
    });
  }
});
