/**
 * The oracle of kspect's decoder differential tests (yaml-fast, yaml-json): every piece a decoder under test takes
 * must have exactly the reference decoder's value (key order, types, `-0` included) and positions; a piece it does
 * not take falls back, which is counted but never a mismatch.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { OffsetBuffer } from '../../src/sources/yaml-positions.js';
import { decodeReference } from '../../src/sources/yaml-reference.js';
import { splitDocuments } from '../../src/sources/yaml-split.js';

/** Files under `dir` whose name matches `pattern` (below 8 MiB), in name order, skipping node_modules and dot folders. */
export function* dataFiles(dir: string, pattern: RegExp): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yield* dataFiles(p, pattern);
    else if (pattern.test(name) && st.size < 8 * 1024 * 1024) yield p;
  }
}

export interface Tally {
  /** Pieces seen. */
  docs: number;
  /** Pieces the decoder under test took. */
  taken: number;
  mismatches: string[];
}

export const newTally = (): Tally => ({ docs: 0, taken: 0, mismatches: [] });

/** A decoder under test: a piece's value with its offsets pushed into `offsets`, or undefined to fall back. */
export type PieceDecoder = (piece: string, base: number, offsets: OffsetBuffer) => { readonly value: unknown } | undefined;

const offsets = new OffsetBuffer();

/**
 * Decode every piece of `text` with `decode` and with the reference; a taken piece must agree exactly.
 * `noNotes`: the reference must also have nothing to note (a duplicate key, an ignored document) on a taken piece.
 */
export function compareWithReference(decode: PieceDecoder, text: string, where: string, tally: Tally, options: { readonly noNotes?: boolean } = {}): void {
  for (const chunk of splitDocuments(text)) {
    const piece = text.slice(chunk.start, chunk.end);
    tally.docs++;
    const got = decode(piece, chunk.start, offsets);
    if (!got) continue;
    tally.taken++;
    const gotOffsets = [...offsets.take()];
    const ref = decodeReference(piece, chunk.start, { remaining: 1_000_000 });
    const same =
      ref.ok && (options.noNotes !== true || ref.notes.length === 0) && JSON.stringify(ref.value) === JSON.stringify(got.value) && isDeepStrictEqual(ref.value, got.value) && isDeepStrictEqual([...ref.offsets], gotOffsets);
    if (!same) tally.mismatches.push(`${where} @${chunk.start}: ${ref.ok ? 'values, positions or notes differ' : `reference refused: ${ref.message}`}\n${JSON.stringify(piece.slice(0, 300))}`);
  }
}
