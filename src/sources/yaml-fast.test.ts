/**
 * The fast decoder against the reference: on the whole corpus, the examples, the conformance data and 10,000
 * generated manifests, every document the fast decoder takes has exactly the reference's value (key order, types,
 * `-0` included) and positions; everything else falls back. The fast decoder must take most documents, or the
 * test proves nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithReference, dataFiles, newTally } from '../../test/support/decoder-oracle.js';
import { randomManifest, rng } from '../../test/support/yaml-gen.js';
import { decodeFast } from './yaml-fast.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('fast decoder = reference decoder', () => {
  it('on the corpus, the examples and the conformance data', () => {
    const tally = newTally();
    for (const dir of [join(ROOT, 'examples'), join(ROOT, '..', 'shared', 'corpus'), join(ROOT, '..', 'shared', 'conformance')]) {
      for (const file of dataFiles(dir, /\.(ya?ml|json)$/i)) compareWithReference(decodeFast, readFileSync(file, 'utf8'), file, tally);
    }
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.docs).toBeGreaterThan(3000);
    expect(tally.taken / tally.docs).toBeGreaterThan(0.95);
  });

  it('on lists at every place: the root, in lists, in maps (a __proto__ key too), empty and flow', () => {
    const tally = newTally();
    const texts = ['- a\n- [b, [c, []]]\n- {d: [e]}\n', '__proto__: [x, y]\nz:\n  - - 1\n    - - 2\n  - []\n', '[]\n', 'k: [[], [[]], {a: []}]\n'];
    for (const text of texts) compareWithReference(decodeFast, text, JSON.stringify(text), tally);
    expect(tally.mismatches).toEqual([]);
    expect(tally.taken).toBe(texts.length);
  });

  it('on 10,000 generated manifests full of YAML 1.1 scalars, odd keys, anchors, tags and duplicates', () => {
    const tally = newTally();
    const r = rng(16);
    for (let i = 0; i < 10_000; i++) {
      const unusual = i % 4 === 0;
      const text = randomManifest(r, i, unusual ? { aliases: true, tags: true, duplicates: true, refused: true } : { refused: i % 3 === 0 });
      compareWithReference(decodeFast, text, `generated #${i}`, tally);
    }
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.docs).toBe(10_000);
    expect(tally.taken).toBeGreaterThan(4000);
  });
});
