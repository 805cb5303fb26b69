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

/** Post-process the text of JSON.stringify in one pass (see the file header). */
export function hardenJson(json: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x5c) {
      // An escape: `\uD800`–`\uDFFF` can only be a lone surrogate (JSON.stringify writes pairs raw).
      if (json.charCodeAt(i + 1) === 0x75) {
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
export function safeJson(value: unknown): string {
  return `${hardenJson(JSON.stringify(value, null, 2))}\n`;
}

/** What JSON.stringify does with a value before writing it: toJSON, and undefined for what it leaves out. */
function jsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return (value as { toJSON: (k: string) => unknown }).toJSON(key);
  return value;
}

function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** A list produced on demand, written by writeJsonText as a JSON array (JSON.stringify would not know it). */
export class LazyArray {
  constructor(readonly items: Iterable<unknown>) {}
}

/** Containers this deep or deeper are written with one JSON.stringify call (a finding, a SARIF result). */
const STREAM_DEPTH = 4;

function writeValue(value: unknown, indent: string, depth: number, out: { write: (s: string) => void }): void {
  const lazy = value instanceof LazyArray;
  if (!lazy && (depth >= STREAM_DEPTH || value === null || typeof value !== 'object' || (value.constructor !== Object && !Array.isArray(value)))) {
    const text = JSON.stringify(value, null, 2);
    out.write(indent === '' ? text : text.replaceAll('\n', `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value) || lazy) {
    let first = true;
    let i = 0;
    for (const raw of lazy ? value.items : (value as readonly unknown[])) {
      const v = jsonValue(raw, String(i++));
      out.write(first ? `[\n${inner}` : `,\n${inner}`);
      first = false;
      if (omitted(v)) out.write('null');
      else writeValue(v, inner, depth + 1, out);
    }
    out.write(first ? '[]' : `\n${indent}]`);
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v = jsonValue((value as Record<string, unknown>)[key], key);
    if (omitted(v)) continue;
    out.write(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
    first = false;
    writeValue(v, inner, depth + 1, out);
  }
  out.write(first ? '{}' : `\n${indent}}`);
}

/**
 * Exactly the text of `JSON.stringify(value, null, 2)` and a newline, written piece by piece so that no string holds
 * the whole document; written through a ChunkWriter that applies hardenJson, it is exactly `safeJson(value)`.
 * Plain objects and arrays (and LazyArray, so a large list can be produced on demand) are walked down to a few
 * levels; what lies deeper is stringified whole.
 */
export function writeJsonText(value: unknown, out: { write: (s: string) => void }): void {
  const v = jsonValue(value, '');
  if (omitted(v)) throw new TypeError('writeJsonText: nothing to write');
  writeValue(v, '', 0, out);
  out.write('\n');
}
