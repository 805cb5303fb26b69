/**
 * The JSON decoder against the reference decoder (the `yaml` package with go-yaml v2's rules): every document it
 * takes has exactly the reference's value (key order, types, `-0`, big integers included) and positions, with no
 * note the reference would add; everything else falls back. Inputs: every JSON file of the corpus, the examples,
 * the conformance data and the check fixtures, every other YAML document of those written out as JSON (compact and
 * indented), and thousands of generated JSON texts — random nesting, unicode, escapes, numbers at the edges, odd
 * keys, duplicate keys, byte-order marks, odd whitespace, trailing text and broken JSON. The decoder must take
 * the plain ones, or the test proves nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithReference, dataFiles, newTally, type Tally } from '../../test/support/decoder-oracle.js';
import { rng, type Rng } from '../../test/support/yaml-gen.js';
import { decodeDocument, parseManifests } from './yaml.js';
import { decodeJson, forgetRecentStrings, looksLikeJson, recentStringsHeld } from './yaml-json.js';
import { childRecord, OffsetBuffer, recordCount } from './yaml-positions.js';
import { decodeReference } from './yaml-reference.js';
import { splitDocuments } from './yaml-split.js';

const offsets = new OffsetBuffer();

/** The reference must agree and have nothing to note (duplicate keys fall back) on every piece the decoder takes. */
const compare = (text: string, where: string, tally: Tally): void => {
  compareWithReference(decodeJson, text, where, tally, { noNotes: true });
};

const ROOT = join(import.meta.dirname, '..', '..');
const DIRS = [join(ROOT, 'examples'), join(ROOT, 'src', 'checks'), join(ROOT, 'test'), join(ROOT, '..', 'shared', 'corpus'), join(ROOT, '..', 'shared', 'conformance')];

const pick = <T,>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const NUMBERS = [
  '0', '-0', '0.0', '-0.0', '0e0', '-0E-0', '1', '-1', '12', '123456789012345', '1234567890123456', '9007199254740991',
  '9007199254740992', '9007199254740993', '-9007199254740993', '9223372036854775807', '9223372036854775808',
  '-9223372036854775808', '-9223372036854775809', '18446744073709551615', '18446744073709551616',
  '123456789012345678901234567890', '1.5', '-1.5', '0.1', '3.141592653589793', '1e3', '1E3', '1e+3', '1E-3', '-1e-3',
  '1.5e10', '6.02e23', '1e308', '1.7976931348623157e308', '1e309', '1e400', '-1e400', '5e-324', '1e-400', '2.5E+0',
  '100000000000000000000', '1.0', '10.50', '0.000001', '1e21', '1e-7',
];
const LITERALS = ['true', 'false', 'null'];
const CHARS = [
  'a', 'b', 'z', 'A', '0', '9', ' ', '-', '_', '.', ':', '/', '#', '&', '*', '!', '|', '>', "'", '%', '@', '`', '{', '}',
  '[', ']', ',', '?', '~', '=', '"', '\\', '\n', '\t', '\r', '\b', '\f', '\u0000', '\u0001', '\u001f', '\u007f', '\u0085',
  '\u0090', '\u00a0', '\u00e9', 'ß', '\u2028', '\u2029', '\u200b', '\ufeff', '\ufffd', '\ufffe', '\uffff', '日本', 'Ω',
  '😀', '👍🏽', '\ud800', '\udfff', '\udbff\udfff',
];
const WORDS = ['yes', 'no', 'on', 'off', 'y', 'n', '~', 'null', 'true', '1:30', '0x1F', '0777', '1e3', '.inf', '2001-12-14', '<<', '__proto__', 'constructor', 'toString', '-', '- a', 'a: b', '# c', '---', '...'];

/** A string's JSON text: mostly JSON.stringify's, sometimes with gratuitous escapes (\/, \u00XX, upper-case hex). */
function quote(r: Rng, s: string): string {
  const q = JSON.stringify(s);
  if (r() < 0.7) return q;
  let out = '"';
  for (const ch of q.slice(1, -1)) {
    if (r() < 0.3 && ch !== '\\' && ch !== '"') {
      const u = `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      out += ch === '/' && r() < 0.5 ? '\\/' : r() < 0.5 ? u.toUpperCase().replace('\\U', '\\u') : u;
    } else out += ch;
  }
  return `${out}"`;
}

function randomString(r: Rng): string {
  if (r() < 0.2) return pick(r, WORDS);
  const n = Math.floor(r() * (r() < 0.1 ? 40 : 12));
  let s = '';
  for (let i = 0; i < n; i++) s += r() < 0.6 ? pick(r, CHARS.slice(0, 26)) : pick(r, CHARS);
  return s;
}

function randomKey(r: Rng, i: number): string {
  const x = r();
  if (x < 0.55) return pick(r, ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'spec', 'items', 'rules', 'subjects', 'data']) + (r() < 0.5 ? String(i) : '');
  if (x < 0.62) return pick(r, ['0', '1', '42', '007', '4294967294', '4294967295', '-1', '1.5', '1e3', '']);
  if (x < 0.66) return 'k'.repeat(r() < 0.5 ? 999 : 1100);
  return randomString(r);
}

interface Style {
  readonly indent: number;
  readonly space: boolean;
  readonly nl: string;
}

/** A random JSON value's text; `depth` bounds the nesting. */
function randomValue(r: Rng, depth: number, style: Style, level: number, dupes: boolean): string {
  const x = r();
  if (depth > 0 && x < 0.3) {
    const n = Math.floor(r() * 5);
    const keys: string[] = [];
    for (let i = 0; i < n; i++) keys.push(dupes && i > 0 && r() < 0.3 ? (keys[0] as string) : randomKey(r, i));
    const entries = keys.map((k) => `${quote(r, k)}:${style.space ? ' ' : ''}${randomValue(r, depth - 1, style, level + 1, dupes)}`);
    return wrap('{', '}', entries, style, level);
  }
  if (depth > 0 && x < 0.5) {
    const items = Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth - 1, style, level + 1, dupes));
    return wrap('[', ']', items, style, level);
  }
  if (x < 0.7) return pick(r, NUMBERS);
  if (x < 0.78) return pick(r, LITERALS);
  return quote(r, randomString(r));
}

function wrap(open: string, close: string, parts: string[], style: Style, level: number): string {
  if (parts.length === 0) return open + close;
  if (style.indent === 0) return open + parts.join(style.space ? ', ' : ',') + close;
  const pad = (l: number): string => ' '.repeat(style.indent * l);
  return `${open}${style.nl}${parts.map((p) => pad(level + 1) + p).join(`,${style.nl}`)}${style.nl}${pad(level)}${close}`;
}

/** A random JSON document, sometimes spoilt (BOM, tabs, trailing text, a character removed or inserted). */
function randomJson(r: Rng, i: number): string {
  const style: Style = { indent: pick(r, [0, 0, 1, 2, 4]), space: r() < 0.5, nl: r() < 0.9 ? '\n' : '\r\n' };
  const dupes = i % 7 === 0;
  const top = r() < 0.8 ? 'object' : 'array';
  const body = randomValue(r, 1 + Math.floor(r() * 5), style, 0, dupes);
  let text = top === 'object' ? `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c${i}"}, "data": ${body}}` : `[${body}]`;
  if (style.indent > 0 && top === 'object') text = text.replace('{"apiVersion"', '{\n"apiVersion"');
  const spoil = r();
  if (spoil < 0.04) text = `\ufeff${text}`;
  else if (spoil < 0.08) text = text.replace(/ /g, '\t');
  else if (spoil < 0.12) text += pick(r, [' x', '\n{"a": 1}', ' # c', '\n...\n', ' ]', '}', ',', '\n# end\n', '\n\n']);
  else if (spoil < 0.2) {
    const at = Math.floor(r() * text.length);
    text = r() < 0.5 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + pick(r, ['"', ',', ':', '{', ']', '\\', ' ', '\n', '\t', '-', 'a', '#', '&a ', '*a', '!!str ']) + text.slice(at);
  } else if (spoil < 0.23) text = `  ${text.replace(/\n/g, '\n  ')}`;
  else if (spoil < 0.25) text = text.replace(/: /g, ' : ');
  else if (spoil < 0.27) text = text.replace(/": /g, '"\n: ');
  return text;
}

describe('JSON decoder = reference decoder', () => {
  it('on every JSON file of the corpus, the examples, the fixtures and the conformance data', () => {
    const tally = newTally();
    for (const dir of DIRS) for (const file of dataFiles(dir, /\.json$/i)) compare(readFileSync(file, 'utf8'), file, tally);
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.docs).toBeGreaterThan(40);
    expect(tally.taken).toBeGreaterThan(30);
  });

  it('on every other YAML document of those written out as JSON, compact and indented', () => {
    const tally = newTally();
    let i = 0;
    for (const dir of DIRS) {
      for (const file of dataFiles(dir, /\.ya?ml$/i)) {
        const text = readFileSync(file, 'utf8');
        for (const chunk of splitDocuments(text)) {
          // Every other document (the reference decoder is slow), the style alternating.
          if (i++ % 2 === 1) continue;
          const d = decodeDocument(text.slice(chunk.start, chunk.end), 0, { remaining: 1_000_000 });
          if (!d.ok || d.value === null || typeof d.value !== 'object') continue;
          compare(JSON.stringify(d.value, null, i % 3 === 0 ? undefined : (i % 3) * 2), `${file} as JSON`, tally);
        }
      }
    }
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.docs).toBeGreaterThan(2500);
    // Only keys JavaScript reorders (ConfigMap data "0"), very long keys and lone surrogates fall back.
    expect(tally.taken / tally.docs).toBeGreaterThan(0.97);
  });

  it('on 6,000 generated JSON texts: unicode, escapes, edge numbers, odd keys, duplicates, BOMs, trailing and broken text', () => {
    const tally = newTally();
    const r = rng(61);
    for (let i = 0; i < 6000; i++) compare(randomJson(r, i), `generated #${i}`, tally);
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.taken).toBeGreaterThan(2000);
  });

  it('decodes a List as the reference does, and through decodeDocument', () => {
    const text = '{"kind": "List", "apiVersion": "v1", "items": [\n  {"kind": "Pod", "metadata": {"name": "a", "n": -0, "big": 9223372036854775808}},\n  {"kind": "Pod", "metadata": {"name": "b\\u00e9\\n"}}\n]}\n';
    const d = decodeDocument(text, 0, { remaining: 10 });
    const ref = decodeReference(text, 0, { remaining: 10 });
    expect(d).toEqual(ref);
    expect(decodeJson(text, 0, offsets)).toBeDefined();
  });

  it('holds each distinct short string of a file once, past its table\'s growth and start-over; the values are the text\'s', () => {
    // 300 distinct values, each many times (and long ones, never held): the table holds 300 + the keys. (decodeJson
    // alone keeps them: parseManifests empties the table after each file.)
    forgetRecentStrings();
    const small = JSON.stringify({ items: Array.from({ length: 3000 }, (_, i) => ({ name: `n-${i % 300}`, long: `${'x'.repeat(70)}${i % 7}` })) });
    const d = decodeJson(small, 0, offsets);
    expect(recentStringsHeld()).toBe(300 + 3);
    expect(d?.value).toEqual(JSON.parse(small));
    forgetRecentStrings();
    expect(recentStringsHeld()).toBe(0);
    // More distinct strings than the largest table holds (half of 2^17 slots): it starts over, values stay exact.
    const big = JSON.stringify(Array.from({ length: 150_000 }, (_, i) => [`s-${i}`, `s-${i >> 1}`, 'sa-1', `sa-${i % 1000}`]));
    expect(decodeJson(big, 0, offsets)?.value).toEqual(JSON.parse(big));
    expect(recentStringsHeld()).toBeGreaterThan(0);
    expect(recentStringsHeld()).toBeLessThanOrEqual(2 ** 16);
    forgetRecentStrings();
  });

  it('keeps strings of one hash near their slot: a file of colliding strings is not quadratic, its values exact', () => {
    // "Aa" and "BB" have one polynomial hash (31 * 65 + 97 = 31 * 66 + 66), so do all strings of 12 such pairs: 4,096
    // distinct strings of one hash, as keys and as values. Only those found within the probe bound are held (the rest
    // go to the shared table of equal values); unbounded probing held all of them, each insert walking the others.
    forgetRecentStrings();
    const colliding = Array.from({ length: 4096 }, (_, i) => Array.from({ length: 12 }, (_, b) => ((i >> b) & 1 ? 'BB' : 'Aa')).join(''));
    const text = JSON.stringify({ values: colliding, keys: Object.fromEntries(colliding.map((c, i) => [c, `${c}${i % 2}`])) });
    const d = decodeJson(text, 0, offsets);
    expect(d?.value).toEqual(JSON.parse(text));
    expect(recentStringsHeld()).toBeLessThan(64);
    // Again, with the table already holding them: found where they are, or in the shared table.
    expect(decodeJson(text, 0, offsets)?.value).toEqual(JSON.parse(text));
    expect(recentStringsHeld()).toBeLessThan(64);
    forgetRecentStrings();
  });

  it('numbers the items of a List as a walk of the decoded items counts their records; and only the root\'s items', () => {
    const r = rng(67);
    let lists = 0;
    for (let i = 0; i < 400; i++) {
      const style: Style = { indent: pick(r, [0, 0, 2]), space: r() < 0.5, nl: '\n' };
      const items = Array.from({ length: Math.floor(r() * 6) }, () => randomValue(r, 1 + Math.floor(r() * 4), style, 1, false));
      const before = r() < 0.5 ? `"metadata": {"items": [1, 2], "a": [[3]]}, ` : '';
      const text = `{"apiVersion": "v1", ${before}"kind": "List", "items": ${wrap('[', ']', items, style, 0)}, "after": {"items": [4]}}`;
      const d = decodeJson(text, 0, offsets);
      if (!d) continue;
      lists++;
      const root = d.value as { items: unknown[] };
      const listRecord = childRecord(root, 0, 'items')?.record ?? -1;
      const expected: number[] = [];
      let next = listRecord + 1;
      for (const item of root.items) {
        expected.push(next);
        next += recordCount(item);
      }
      expect(d.itemRecords, text).toEqual(expected);
    }
    expect(lists).toBeGreaterThan(150);
    // Not a List's items: an array at the root, a key items deeper down.
    expect(decodeJson('[{"items": [1, 2]}]', 0, offsets)?.itemRecords).toBeUndefined();
    expect(decodeJson('{"a": {"items": [1, 2]}}', 0, offsets)?.itemRecords).toBeUndefined();
    expect(decodeJson('{"items": "x"}', 0, offsets)?.itemRecords).toBeUndefined();
    expect(decodeJson('{"items": "x", "b": [1, 2]}', 0, offsets)?.itemRecords).toBeUndefined();
    expect(decodeJson('{"items": 1, "b": {"c": [1]}}', 0, offsets)?.itemRecords).toBeUndefined();
    expect(decodeJson('{"items": []}', 0, offsets)?.itemRecords).toEqual([]);
    forgetRecentStrings();
  });

  it('a List\'s items are located as the reference decoder locates them', () => {
    const r = rng(71);
    let taken = 0;
    for (let i = 0; i < 160; i++) {
      const style: Style = { indent: pick(r, [0, 2]), space: true, nl: '\n' };
      const items = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, j) => `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c${j}"}, "data": ${randomValue(r, 3, style, 2, false)}}`);
      const text = `{"apiVersion": "v1", "kind": "List", "items": ${wrap('[', ']', items, style, 0)}}\n`;
      // Only what the JSON decoder takes (the rest goes to the reference decoder either way).
      if (decodeJson(text, 0, offsets)?.itemRecords === undefined) continue;
      taken++;
      const where = (decoder: 'fast' | 'reference') => parseManifests(text, 'l.json', { type: 'file', uri: 'l.json' }, { decoder }).objects.map((o) => [o.origin.location, o.origin.locate('metadata.name'), o.origin.locate('data')]);
      const fast = where('fast');
      expect(fast.length).toBe(items.length);
      expect(fast).toEqual(where('reference'));
    }
    expect(taken).toBeGreaterThan(30);
  });

  it('leaves anything unusual to the YAML decoders', () => {
    for (const text of ['\ufeff{"a": 1}', '{"a": 1, "a": 2}', '{"0": 1}', '{"a":\t1}', '{"a": 1} x', '{"a": 1}\n{"b": 2}', '{"a": "\u2028"}', '{"a": "\\ud800"}', '{"a"\n: 1}', '{"a": .5}', '{"a": 01}', '{"a": 1,}', '{"a": yes}', '{a: 1}', '"a"', '{"a": 1} # c', '{"a": "x\u007f"}', '{"a": "\u0085"}', '{"a": "\u009f y"}', '{"a": "\u001f"}', '{"a": "\ufeff"}', '{"a": "\uffff"}', '{"k\u007f": 1}']) {
      expect(decodeJson(text, 0, offsets), text).toBeUndefined();
    }
    expect(looksLikeJson(' \n {"a": 1}')).toBe(true);
    expect(looksLikeJson('a: {"b": 1}')).toBe(false);
  });
});
