/**
 * The JSON decoder: a document piece that is plain JSON (what `kubectl get -o json` writes, Lists included) read
 * by one linear scanner straight into plain values and the compact offsets of yaml-positions.ts, with the same
 * go-yaml v2 scalar rules as the other decoders (numbers and literals are YAML plain scalars to Kubernetes).
 * A 25 MB one-line List no longer goes through a YAML event parser. It takes only JSON as `encoding/json`, the
 * YAML parsers and kubectl all read the same way: anything else (a byte-order mark, tabs or lone carriage returns
 * between tokens, a key not followed by its colon on the same line, duplicate keys, keys JavaScript would
 * reorder, long keys, control, C1, line-separator or unpaired surrogate characters, nesting past 1,000 levels,
 * text after the value, a value Kubernetes refuses, invalid JSON) makes it return undefined, and the piece goes to
 * the YAML decoders unchanged. A differential test over every JSON file of the corpus, the examples and the
 * conformance data and thousands of generated documents holds it to exactly the reference decoder's values and
 * positions.
 */
import { GoYamlError, isArrayIndexKey, plainValue } from './yaml-go.js';
import type { OffsetBuffer } from './yaml-positions.js';
import { buildObject, ownString, stringValue } from './yaml-shapes.js';

/** Deeper documents are left to the reference decoder (which applies go-yaml's own limit). */
const MAX_DEPTH = 1000;
/** Longer keys are left to the reference (go-yaml's and the `yaml` package's implicit-key limit is 1,024). */
const MAX_KEY_LENGTH = 1000;

class Fallback extends Error {}
const FALLBACK = new Fallback();

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const SPACE = 32;
const LF = 10;
const CR = 13;

/** True when `text` (a piece) starts, after blanks, with `{` or `[`: worth trying as JSON. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === LF || c === CR) continue;
    return c === OPEN_BRACE || c === OPEN_BRACKET;
  }
  return false;
}

/**
 * Decode one piece (see yaml-split.ts) whose offset in the whole text is `base`. Returns its value with the
 * offsets pushed into `offsets`, or undefined to hand the piece to the YAML decoders.
 */
export function decodeJson(text: string, base: number, offsets: OffsetBuffer): { value: unknown; itemRecords?: readonly number[] } | undefined {
  offsets.length = 0;
  const scanner = new Scanner(text, base, offsets);
  try {
    const c = scanner.skipBlanks();
    if (c !== OPEN_BRACE && c !== OPEN_BRACKET) return undefined;
    offsets.push(base + scanner.pos);
    const value = scanner.collection(0);
    if (scanner.skipBlanks() !== -1) throw FALLBACK;
    return scanner.itemRecords !== undefined ? { value, itemRecords: scanner.itemRecords } : { value };
  } catch (e) {
    if (e instanceof Fallback || e instanceof GoYamlError || e instanceof SyntaxError) {
      offsets.length = 0;
      return undefined;
    }
    throw e;
  } finally {
    keys.length = 0;
    values.length = 0;
    keysTop = 0;
    valuesTop = 0;
  }
}

// The keys and values of the open collections, each one's contiguous (the scanner closes a nested collection before
// its parent's next entry). Used as stacks up to `keysTop` and `valuesTop`, never shortened while a document is read:
// setting an array's length lower is a call into the runtime that may give back its room, which the next push grows
// again (700,000 collections in a 25 MB List: ~25 ms of "set length").
const keys: string[] = [];
const values: unknown[] = [];
let keysTop = 0;
let valuesTop = 0;

/**
 * The file's short strings (up to 64 characters), by a hash of their characters (computed while the scanner checks
 * them): a JSON file repeats its keys and many values (`apiVersion`, `kind`, `rbac.authorization.k8s.io`, a
 * namespace, a subject's name…) hundreds of thousands of times. A repeat found here is compared in place with the
 * text instead of being sliced out: equal strings of a file are one string, as the decoders' table of equal values
 * (yaml-shapes.ts) makes them, without a Map lookup and insert per string (rbac risks: 200,000 distinct names, that
 * Map emptied four times at 50,000). An open-addressing table of at most STRINGS_MAX_BITS slots, half full at most
 * (then it starts over, as that Map does): 2^18 slots hold 131,072 strings, so the 86,000 distinct short strings of
 * the rbac bench's 25 MB List stay one string each to its end (at 2^17 the table started over at 65,536, and the
 * names read after that were copies of names read before: more objects live, and map lookups comparing characters).
 * A string is looked for, and placed, within STRINGS_MAX_PROBES slots of its hash, else it goes to that Map: the hash is the scanner's polynomial one, which a hostile file can make equal
 * for as many strings as it likes ("Aa" and "BB"), and unbounded probing made such a file quadratic (16,384 strings
 * of one hash, a 640 KB file: 1.8 s instead of 0.2 s). Emptied after each file (`forgetRecentStrings`): no value
 * outlives its file's parse here.
 */
const STRINGS_MIN_BITS = 12;
const STRINGS_MAX_BITS = 18;
const SHORT_MAX_LENGTH = 64;
const STRINGS_MAX_PROBES = 16;
let strings: (string | undefined)[] = new Array<string | undefined>(1 << STRINGS_MIN_BITS).fill(undefined);
let stringHashes = new Int32Array(1 << STRINGS_MIN_BITS);
let stringsHeld = 0;

/** Forget the file's strings (with the table of equal values, after a file is parsed). */
export function forgetRecentStrings(): void {
  if (stringsHeld === 0) return;
  strings = new Array<string | undefined>(1 << STRINGS_MIN_BITS).fill(undefined);
  stringHashes = new Int32Array(1 << STRINGS_MIN_BITS);
  stringsHeld = 0;
}

/** How many strings of the file are held (0 once a parse is over; for tests). */
export function recentStringsHeld(): number {
  let n = 0;
  for (const s of strings) if (s !== undefined) n++;
  return n;
}

/** A hash's bits mixed (murmur3's finalizer): names such as sa-1, sa-2… hash to neighbours otherwise. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The file's string of `length` characters at `start` of `t` (hash: mixed), added when it is new. */
function shortString(t: string, start: number, length: number, hash: number): string {
  let mask = strings.length - 1;
  let slot = hash & mask;
  let probes = 0;
  for (let s = strings[slot]; s !== undefined; s = strings[slot]) {
    if (stringHashes[slot] === hash && s.length === length && t.startsWith(s, start)) return s;
    if (++probes === STRINGS_MAX_PROBES) return stringValue(t.slice(start, start + length));
    slot = (slot + 1) & mask;
  }
  const value = ownString(t.slice(start, start + length));
  if ((stringsHeld + 1) * 2 > strings.length) {
    growStrings();
    mask = strings.length - 1;
    slot = freeSlot(hash, mask);
    if (slot < 0) return value;
  }
  strings[slot] = value;
  stringHashes[slot] = hash;
  stringsHeld++;
  return value;
}

/** The first free slot within STRINGS_MAX_PROBES of `hash`, or -1. */
function freeSlot(hash: number, mask: number): number {
  let slot = hash & mask;
  for (let probes = 0; probes < STRINGS_MAX_PROBES; probes++) {
    if (strings[slot] === undefined) return slot;
    slot = (slot + 1) & mask;
  }
  return -1;
}

/** Twice the slots (the strings held placed again, those too far from their hash left out), or, at the largest size, an empty table. */
function growStrings(): void {
  const old = strings;
  const oldHashes = stringHashes;
  const bits = Math.log2(old.length) + 1;
  const size = bits > STRINGS_MAX_BITS ? old.length : 1 << bits;
  strings = new Array<string | undefined>(size).fill(undefined);
  stringHashes = new Int32Array(size);
  stringsHeld = 0;
  if (bits > STRINGS_MAX_BITS) return;
  const mask = size - 1;
  for (let i = 0; i < old.length; i++) {
    const s = old[i];
    if (s === undefined) continue;
    const h = oldHashes[i] as number;
    const slot = freeSlot(h, mask);
    if (slot < 0) continue;
    strings[slot] = s;
    stringHashes[slot] = h;
    stringsHeld++;
  }
}

/** A character JSON allows in a string that YAML reads differently or refuses. */
function unusual(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff || c >= 0xfffe;
}

class Scanner {
  pos = 0;
  /**
   * When the document is an object with an array `items` (a List): the record of each item, as the scanner numbers
   * them while it pushes their offsets — what a walk of the decoded items would count (recordCount), without that walk.
   */
  itemRecords: number[] | undefined;
  /** The next collection is the root's `items`. */
  private itemsNext = false;

  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly offsets: OffsetBuffer,
  ) {}

  /** Skip spaces and line breaks (\n, \r\n); returns the next character, or -1 at the end. */
  skipBlanks(): number {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      if (p >= t.length) {
        this.pos = p;
        return -1;
      }
      const c = t.charCodeAt(p);
      if (c === SPACE || c === LF) p++;
      else if (c === CR) {
        if (t.charCodeAt(p + 1) !== LF) throw FALLBACK;
        p += 2;
      } else {
        this.pos = p;
        return c;
      }
    }
  }

  /** Skip spaces only (a key's colon must be on the key's line: YAML's implicit keys are single-line). */
  private skipSpaces(): number {
    const t = this.text;
    let p = this.pos;
    while (p < t.length && t.charCodeAt(p) === SPACE) p++;
    this.pos = p;
    return p < t.length ? t.charCodeAt(p) : -1;
  }

  /** The collection starting at `pos` (its offset already pushed). */
  collection(depth: number): unknown {
    if (depth >= MAX_DEPTH) throw FALLBACK;
    const items = this.itemsNext;
    this.itemsNext = false;
    const t = this.text;
    if (t.charCodeAt(this.pos) === OPEN_BRACKET) {
      this.pos++;
      let c = this.skipBlanks();
      const records: number[] | undefined = items ? [] : undefined;
      if (records !== undefined) this.itemRecords = records;
      if (c === CLOSE_BRACKET) {
        this.pos++;
        return [];
      }
      // Items are collected on the shared stack and copied out at the end: an array grown by push keeps spare room.
      const from = valuesTop;
      for (;;) {
        if (records !== undefined) records.push(this.offsets.length);
        this.offsets.push(this.base + this.pos);
        const v = this.value(c, depth);
        values[valuesTop++] = v;
        c = this.skipBlanks();
        if (c === COMMA) {
          this.pos++;
          c = this.skipBlanks();
        } else if (c === CLOSE_BRACKET) {
          this.pos++;
          const out = values.slice(from, valuesTop);
          valuesTop = from;
          return out;
        } else throw FALLBACK;
      }
    }
    this.pos++;
    let c = this.skipBlanks();
    if (c === CLOSE_BRACE) {
      this.pos++;
      return buildObject(keys, keysTop, keysTop, values, valuesTop);
    }
    // Keys and values are collected on the shared stacks and the map built at its end (yaml-shapes.ts).
    const keysFrom = keysTop;
    const valuesFrom = valuesTop;
    for (;;) {
      if (c !== QUOTE) throw FALLBACK;
      const keyStart = this.pos;
      const key = this.string();
      if (this.pos - keyStart > MAX_KEY_LENGTH) throw FALLBACK;
      if (isArrayIndexKey(key)) throw FALLBACK;
      if (this.skipSpaces() !== COLON) throw FALLBACK;
      this.pos++;
      this.offsets.push(this.base + keyStart);
      keys[keysTop++] = key;
      this.itemsNext = depth === 0 && key === 'items';
      const v = this.value(this.skipBlanks(), depth);
      values[valuesTop++] = v;
      this.itemsNext = false;
      c = this.skipBlanks();
      if (c === COMMA) {
        this.pos++;
        c = this.skipBlanks();
      } else if (c === CLOSE_BRACE) {
        this.pos++;
        const out = buildObject(keys, keysFrom, keysTop, values, valuesFrom);
        if (out === undefined) throw FALLBACK; // a duplicate key
        keysTop = keysFrom;
        valuesTop = valuesFrom;
        return out;
      } else throw FALLBACK;
    }
  }

  /** The value starting at `pos`, whose first character is `c`. */
  private value(c: number, depth: number): unknown {
    if (c === QUOTE) return this.string();
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return this.collection(depth + 1);
    // A number or a literal: a YAML plain scalar, decoded by go-yaml's rules.
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (c === 116 || c === 102 || c === 110) {
      while (p < t.length && t.charCodeAt(p) >= 97 && t.charCodeAt(p) <= 122) p++;
      const word = t.slice(start, p);
      if (word !== 'true' && word !== 'false' && word !== 'null') throw FALLBACK;
    } else {
      // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
      if (t.charCodeAt(p) === 45) p++;
      const intStart = p;
      p = digits(t, p);
      if (p === intStart || (t.charCodeAt(intStart) === 48 && p - intStart > 1)) throw FALLBACK;
      if (t.charCodeAt(p) === 46) {
        const f = ++p;
        p = digits(t, p);
        if (p === f) throw FALLBACK;
      }
      const e = t.charCodeAt(p);
      if (e === 101 || e === 69) {
        p++;
        const s = t.charCodeAt(p);
        if (s === 43 || s === 45) p++;
        const d = p;
        p = digits(t, p);
        if (p === d) throw FALLBACK;
      }
    }
    // The token must end where a YAML plain scalar in a flow collection ends too.
    const next = p < t.length ? t.charCodeAt(p) : -1;
    if (next !== COMMA && next !== CLOSE_BRACE && next !== CLOSE_BRACKET && next !== SPACE && next !== LF && next !== CR) throw FALLBACK;
    this.pos = p;
    return plainValue(t.slice(start, p));
  }

  /** The string whose opening quote is at `pos`; `pos` moves past its closing quote. */
  private string(): string {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    let escaped = false;
    let hash = 0;
    for (;;) {
      if (p >= t.length) throw FALLBACK;
      const c = t.charCodeAt(p);
      // Printable ASCII first (nearly every character of a manifest): two comparisons decide it needs no other test.
      if (c >= SPACE && c < 0x7f) {
        if (c === QUOTE) break;
        hash = (Math.imul(hash, 31) + c) | 0;
        if (c === BACKSLASH) {
          escaped = true;
          p += 2;
          continue;
        }
        p++;
        continue;
      }
      hash = (Math.imul(hash, 31) + c) | 0;
      if (c === BACKSLASH) {
        escaped = true;
        p += 2;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        // Only a well-formed surrogate pair.
        const d = t.charCodeAt(p + 1);
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw FALLBACK;
        p += 2;
        continue;
      }
      if (unusual(c)) throw FALLBACK;
      p++;
    }
    this.pos = p + 1;
    // Shared with equal values of the file, never a view into the text (yaml-shapes.ts).
    if (!escaped) {
      const length = p - start - 1;
      if (length > SHORT_MAX_LENGTH) return stringValue(t.slice(start + 1, p));
      return shortString(t, start + 1, length, mix(hash));
    }
    // Escapes are JSON's (a subset of YAML's double-quoted ones, decoded the same); an escaped unpaired surrogate
    // is left to the reference.
    const s = JSON.parse(t.slice(start, p + 1)) as string;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = s.charCodeAt(i + 1);
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw FALLBACK;
        i++;
      }
    }
    return stringValue(s);
  }
}

function digits(t: string, p: number): number {
  while (p < t.length) {
    const c = t.charCodeAt(p);
    if (c < 48 || c > 57) break;
    p++;
  }
  return p;
}
