/**
 * The fast decoder against the reference: on the whole corpus, the examples, the conformance data and 10,000
 * generated manifests, every document the fast decoder takes has exactly the reference's value (key order, types,
 * `-0` included) and positions; everything else falls back. The fast decoder must take most documents, or the
 * test proves nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { randomManifest, rng } from '../../test/support/yaml-gen.js';
import { decodeFast } from './yaml-fast.js';
import { OffsetBuffer } from './yaml-positions.js';
import { decodeReference } from './yaml-reference.js';
import { splitDocuments } from './yaml-split.js';

const ROOT = join(import.meta.dirname, '..', '..');

function* manifestFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yield* manifestFiles(p);
    else if (/\.(ya?ml|json)$/i.test(name) && st.size < 8 * 1024 * 1024) yield p;
  }
}

interface Tally {
  docs: number;
  fast: number;
  mismatches: string[];
}

const offsets = new OffsetBuffer();

function compare(text: string, where: string, tally: Tally): void {
  for (const chunk of splitDocuments(text)) {
    const piece = text.slice(chunk.start, chunk.end);
    tally.docs++;
    const fast = decodeFast(piece, chunk.start, offsets);
    if (!fast) continue;
    tally.fast++;
    const fastOffsets = [...offsets.take()];
    const ref = decodeReference(piece, chunk.start, { remaining: 1_000_000 });
    const same = ref.ok && JSON.stringify(ref.value) === JSON.stringify(fast.value) && isDeepStrictEqual(ref.value, fast.value) && isDeepStrictEqual([...ref.offsets], fastOffsets);
    if (!same) tally.mismatches.push(`${where} @${chunk.start}: ${ref.ok ? 'values or positions differ' : `reference refused: ${ref.message}`}\n${piece.slice(0, 400)}`);
  }
}

describe('fast decoder = reference decoder', () => {
  it('on the corpus, the examples and the conformance data', () => {
    const tally: Tally = { docs: 0, fast: 0, mismatches: [] };
    for (const dir of [join(ROOT, 'examples'), join(ROOT, '..', 'shared', 'corpus'), join(ROOT, '..', 'shared', 'conformance')]) {
      for (const file of manifestFiles(dir)) compare(readFileSync(file, 'utf8'), file, tally);
    }
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.docs).toBeGreaterThan(3000);
    expect(tally.fast / tally.docs).toBeGreaterThan(0.95);
  });

  it('on lists at every place: the root, in lists, in maps (a __proto__ key too), empty and flow', () => {
    const tally: Tally = { docs: 0, fast: 0, mismatches: [] };
    const texts = ['- a\n- [b, [c, []]]\n- {d: [e]}\n', '__proto__: [x, y]\nz:\n  - - 1\n    - - 2\n  - []\n', '[]\n', 'k: [[], [[]], {a: []}]\n'];
    for (const text of texts) compare(text, JSON.stringify(text), tally);
    expect(tally.mismatches).toEqual([]);
    expect(tally.fast).toBe(texts.length);
  });

  it('on 10,000 generated manifests full of YAML 1.1 scalars, odd keys, anchors, tags and duplicates', () => {
    const tally: Tally = { docs: 0, fast: 0, mismatches: [] };
    const r = rng(16);
    for (let i = 0; i < 10_000; i++) {
      const unusual = i % 4 === 0;
      const text = randomManifest(r, i, unusual ? { aliases: true, tags: true, duplicates: true, refused: true } : { refused: i % 3 === 0 });
      compare(text, `generated #${i}`, tally);
    }
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.docs).toBe(10_000);
    expect(tally.fast).toBeGreaterThan(4000);
  });
});
