/**
 * JSON that is valid and harmless whatever the strings in it hold: lone surrogates (which JSON.stringify writes as
 * `\udXXX` escapes that strict parsers reject) become U+FFFD; C1 controls, bidi controls and U+2028/2029 are written
 * as `\uXXXX` escapes, so printing the document cannot drive a terminal or reorder text; `##[` / `##vso[` are broken
 * with a `\u0023` escape so no CI runner reads a line as a workflow command. Every change is an escape inside a JSON
 * string: the parsed values are exactly the originals (lone surrogates aside).
 */

function isRawUnsafe(c: number): boolean {
  return (c >= 0x7f && c <= 0x9f) || c === 0x061c || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

function u(c: number): string {
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

export interface HardenOptions {
  /**
   * Keep lone surrogates as the `\udXXX` escapes JSON.stringify wrote, for documents read back by kspect only where
   * a value must survive exactly (baseline fingerprints); the text stays ASCII-safe either way.
   */
  readonly keepLoneSurrogates?: boolean;
}

/**
 * What hardenJson may have to change: a character it escapes, a `\uD8xx`–`\uDFxx` escape, or `##`. Most output has
 * none of them, and a native scan for them is several times faster than the loop below; a match only sends the text
 * through the loop, which decides exactly. Linear: one character class and two fixed strings.
 */
const MAYBE_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\\u[dD][89a-fA-F]|##/;

/** Post-process the text of JSON.stringify in one pass (see the file header). */
export function hardenJson(json: string, options: HardenOptions = {}): string {
  if (!MAYBE_UNSAFE.test(json)) return json;
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x5c) {
      // An escape: `\uD800`–`\uDFFF` can only be a lone surrogate (JSON.stringify writes pairs raw).
      if (json.charCodeAt(i + 1) === 0x75 && options.keepLoneSurrogates !== true) {
        const h = json.slice(i + 2, i + 6).toLowerCase();
        if (h.length === 4 && h.charCodeAt(0) === 0x64 && '89abcdef'.includes(h.charAt(1))) {
          out += `${json.slice(from, i)}\\ufffd`;
          from = i + 6;
          i += 5;
          continue;
        }
      }
      i++;
      continue;
    }
    if (isRawUnsafe(c)) {
      out += json.slice(from, i) + u(c);
      from = i + 1;
    } else if (c === 0x23 && json.charCodeAt(i + 1) === 0x23 && (json.charCodeAt(i + 2) === 0x5b || json.slice(i + 2, i + 6).toLowerCase() === 'vso[')) {
      out += `${json.slice(from, i)}#\\u0023`;
      from = i + 2;
      i++;
    }
  }
  return from === 0 ? json : out + json.slice(from);
}

/** JSON.stringify, pretty-printed with two spaces, hardened (see the file header), with a final newline. */
export function safeJson(value: unknown, options: HardenOptions = {}): string {
  return `${hardenJson(JSON.stringify(value, null, 2), options)}\n`;
}

/** What JSON.stringify does with a value before writing it: toJSON, and undefined for what it leaves out. */
function jsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return (value as { toJSON: (k: string) => unknown }).toJSON(key);
  return value;
}

function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** A list produced on demand (or a large one): written by writeJsonText element by element, as a JSON array. */
export class LazyArray {
  constructor(readonly items: Iterable<unknown>) {}
}

/**
 * A list whose elements are written as the text `text(item, indent)` gives: exactly what JSON.stringify(item, null, 2)
 * would write for the element at that depth (`indent` is the element's own indentation; its first line is not
 * indented), hardened already when the output has `writeText` (which takes text as it is). For elements a reporter
 * writes faster by hand than JSON.stringify does.
 */
export class TextArray<T> {
  constructor(
    readonly items: Iterable<T>,
    readonly text: (item: T, indent: string) => string,
  ) {}
}

/** An object whose members writeJsonText writes one by one (so that a LazyArray in it streams). */
export class Walk {
  constructor(readonly value: Readonly<Record<string, unknown>>) {}
}

/** Elements of a LazyArray stringified per call (a finding is about 1 KB). */
const BATCH = 32;

/**
 * `elements` as JSON.stringify writes them inside an array whose elements sit `indent` spaces deep: separated by
 * `,\n`, without the brackets. Stringified as that array nested in arrays to the right depth, then the wrapping lines
 * cut off — one JSON.stringify call per batch, no re-indenting.
 */
function stringifyElements(elements: readonly unknown[], indent: number): string {
  const levels = indent / 2;
  let wrapped: unknown = elements;
  for (let i = 1; i < levels; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  let start = 0;
  for (let i = 0; i < levels; i++) start = text.indexOf('\n', start) + 1;
  let end = text.length;
  for (let i = 0; i < levels; i++) end = text.lastIndexOf('\n', end - 1);
  return text.slice(start, end);
}

/** Where writeJsonText writes: `write` for text of JSON.stringify, `writeText` (when given) for a TextArray's. */
export interface JsonOut {
  readonly write: (s: string) => void;
  readonly writeText?: (s: string) => void;
}

function writeValue(value: unknown, indent: string, out: JsonOut, walk: boolean): void {
  const inner = `${indent}  `;
  if (value instanceof TextArray) {
    const { text } = value as TextArray<unknown>;
    const write = out.writeText ?? out.write;
    let first = true;
    for (const v of value.items) {
      write(`${first ? '[' : ','}\n${inner}${text(v, inner)}`);
      first = false;
    }
    out.write(first ? '[]' : `\n${indent}]`);
    return;
  }
  if (value instanceof LazyArray) {
    let first = true;
    let batch: unknown[] = [];
    const flush = (): void => {
      if (batch.length === 0) return;
      out.write(`${first ? '[' : ','}\n${stringifyElements(batch, inner.length)}`);
      first = false;
      batch = [];
    };
    for (const v of value.items) {
      if (v instanceof Walk || v instanceof LazyArray || v instanceof TextArray) {
        flush();
        out.write(first ? `[\n${inner}` : `,\n${inner}`);
        first = false;
        writeValue(v, inner, out, false);
      } else {
        batch.push(v);
        if (batch.length === BATCH) flush();
      }
    }
    flush();
    out.write(first ? '[]' : `\n${indent}]`);
    return;
  }
  const members = value instanceof Walk ? value.value : walk && value !== null && typeof value === 'object' && !Array.isArray(value) && value.constructor === Object ? (value as Record<string, unknown>) : undefined;
  if (!members) {
    const text = JSON.stringify(value, null, 2);
    out.write(indent === '' ? text : text.replaceAll('\n', `\n${indent}`));
    return;
  }
  let first = true;
  for (const key of Object.keys(members)) {
    const v = jsonValue(members[key], key);
    if (omitted(v)) continue;
    out.write(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
    first = false;
    writeValue(v, inner, out, false);
  }
  out.write(first ? '{}' : `\n${indent}}`);
}

/**
 * Exactly the text of `JSON.stringify(value, null, 2)` and a newline, written piece by piece so that no string holds
 * the whole document; written through a ChunkWriter that applies hardenJson, it is exactly `safeJson(value)`.
 * The root (a plain object), Walk objects and LazyArrays are written member by member; everything else is
 * stringified whole (one JSON.stringify call per finding, say).
 */
export function writeJsonText(value: unknown, out: JsonOut): void {
  const v = jsonValue(value, '');
  if (omitted(v)) throw new TypeError('writeJsonText: nothing to write');
  writeValue(v, '', out, true);
  out.write('\n');
}
