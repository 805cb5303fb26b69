/**
 * Reading a configuration file the way kube-apiserver does before it decodes it: YAML (or JSON) is turned into
 * JSON by sigs.k8s.io/yaml, whose YAML 1.1 scalar rules come from go-yaml v2 — `yes`, `on`, `y` are booleans,
 * `0x1F` and `1_000` are numbers, timestamps stay strings — and a repeated key keeps its last value (the strict
 * decoder reports it). The result is a tree of values that remembers the line of every node, so every message can
 * name its line. Pure: the caller reads the file.
 */
import type { Document, Node as YamlNode } from 'yaml';
import { lazyModule } from '../lazy.js';

// The `yaml` package (about 60 CommonJS modules) is loaded when a file is decoded, not by every run that registers
// the checks built on this engine (a manifest scan loads them all and decodes no configuration file).
const yaml = lazyModule<typeof import('yaml')>('yaml');

/** A decoded value with the place it was written. Lines and columns start at 1. */
export type DValue =
  | { readonly kind: 'string'; readonly value: string; readonly line: number; readonly column: number }
  | { readonly kind: 'null'; readonly line: number; readonly column: number }
  | { readonly kind: 'bool' | 'number'; readonly text: string; readonly line: number; readonly column: number }
  | { readonly kind: 'map'; readonly entries: readonly DEntry[]; readonly line: number; readonly column: number }
  | { readonly kind: 'seq'; readonly items: readonly DValue[]; readonly line: number; readonly column: number };

export interface DEntry {
  readonly key: string;
  readonly value: DValue;
  readonly line: number;
  readonly column: number;
}

export interface DecodeIssue {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface Decoded {
  /** The first document, undefined when the file could not be parsed at all. */
  readonly value?: DValue;
  /** The file is not YAML/JSON: kube-apiserver fails decoding. */
  readonly errors: readonly DecodeIssue[];
  /** Repeated keys: the strict decoder rejects them, the lenient one keeps the last value. */
  readonly duplicates: readonly DecodeIssue[];
  /** Documents after the first one: never read. */
  readonly extraDocuments: number;
}

const BOOL_OR_NULL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE',
  'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE',
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Set(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']);

/**
 * Go's strconv.ParseInt / ParseUint with base 0, as go-yaml v2 tries them (after removing every `_`): an optional
 * sign, then 0x / 0o / 0b prefixes, a leading 0 for octal, or decimal digits. The 64-bit range is not checked:
 * a value out of range would still not be a string, since go-yaml then reads it as a float.
 */
function goIntSyntax(s: string): boolean {
  const t = s.startsWith('+') || s.startsWith('-') ? s.slice(1) : s;
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[oO][0-7]+$/.test(t) || /^0[bB][01]+$/.test(t)) return true;
  if (/^0[0-7]+$/.test(t)) return true;
  return /^[0-9]+$/.test(t);
}

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseFloat for the inputs go-yaml hands it (a leading '.' form). */
function goFloatSyntax(s: string): boolean {
  return /^[-+]?(\d+(?:\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s) || /^[-+]?(inf|infinity|nan)$/i.test(s) || /^[-+]?0[xX]([0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)[pP][-+]?\d+$/.test(s);
}

/** True when go-yaml v2 resolves a plain (unquoted, untagged) scalar to something other than a string. */
export function plainScalarIsNotString(s: string): boolean {
  if (NULLS.has(s) || BOOL_OR_NULL.has(s) || SPECIAL_FLOATS.has(s)) return true;
  const c = s.charAt(0);
  if (c === '.') return goFloatSyntax(s);
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    const plain = s.replace(/_/g, '');
    if (goIntSyntax(plain)) return true;
    if (YAML_FLOAT.test(plain)) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
  }
  return false;
}

function scalarKind(s: string): 'null' | 'bool' | 'number' {
  if (NULLS.has(s)) return 'null';
  return BOOL_OR_NULL.has(s) ? 'bool' : 'number';
}

const MAX_DEPTH = 200;

/** Decode the first document of `text` as kube-apiserver reads a config file. */
export function decodeConfigFile(text: string): Decoded {
  const { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar } = yaml;
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  const errors: DecodeIssue[] = [];
  const duplicates: DecodeIssue[] = [];
  const trimmed = text.replace(/^\uFEFF/, '');
  // Count documents cheaply: the parser below reads only the first one.
  let extraDocuments = 0;
  try {
    doc = parseDocument(trimmed, { version: '1.1', uniqueKeys: false, lineCounter, prettyErrors: false, merge: true, schema: 'yaml-1.1' });
  } catch (e) {
    return { errors: [{ message: e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e) }], duplicates, extraDocuments };
  }
  const at = (offset: number | undefined): { line: number; column: number } => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  const first = doc.errors.find((e) => e.code !== 'MULTIPLE_DOCS');
  if (doc.errors.some((e) => e.code === 'MULTIPLE_DOCS')) extraDocuments = 1;
  if (first) {
    const p = first.pos[0];
    return { errors: [{ message: `yaml: ${first.message.split('\n')[0] ?? ''}`, ...at(p) }], duplicates, extraDocuments };
  }

  const walk = (node: unknown, depth: number): DValue => {
    if (depth > MAX_DEPTH) throw new DecodeTooDeep();
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const pos = at(node.range?.[0]);
      if (!target) return { kind: 'null', ...pos };
      return walk(target, depth + 1);
    }
    if (isMap(node)) {
      const pos = at(node.range?.[0]);
      const entries: DEntry[] = [];
      const index = new Map<string, number>();
      const put = (key: string, value: DValue, kpos: { line: number; column: number }, merged: boolean): void => {
        const i = index.get(key);
        if (i !== undefined) {
          if (merged) return; // keys of a `<<` merge never override
          duplicates.push({ message: `key "${key}" is set more than once (the last value is used)`, ...kpos });
          entries[i] = { key, value, ...kpos };
          return;
        }
        index.set(key, entries.length);
        entries.push({ key, value, ...kpos });
      };
      const merges: DValue[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as YamlNode | null;
        const kpos = at((k as { range?: [number, number, number] } | null)?.range?.[0] ?? node.range?.[0]);
        if (isScalar(k) && typeof k.value === 'symbol') {
          merges.push(walk(pair.value, depth + 1));
          continue;
        }
        let key: string;
        if (isScalar(k)) key = k.value === null || k.value === undefined ? '' : typeof k.value === 'string' ? k.value : (k.source ?? '');
        else key = '';
        put(key, walk(pair.value, depth + 1), kpos, false);
      }
      for (const m of merges) {
        const list = m.kind === 'seq' ? m.items : [m];
        for (const src of list) if (src.kind === 'map') for (const e of src.entries) put(e.key, e.value, { line: e.line, column: e.column }, true);
      }
      return { kind: 'map', entries, ...pos };
    }
    if (isSeq(node)) {
      const pos = at(node.range?.[0]);
      return { kind: 'seq', items: node.items.map((i) => walk(i, depth + 1)), ...pos };
    }
    if (isScalar(node)) {
      const pos = at(node.range?.[0]);
      const src = node.source ?? '';
      const tag = node.tag;
      if (tag === 'tag:yaml.org,2002:str' || (tag === undefined && node.type !== Scalar.PLAIN)) return { kind: 'string', value: typeof node.value === 'string' ? node.value : src, ...pos };
      if (tag !== undefined && tag !== 'tag:yaml.org,2002:str') {
        if (node.value === null) return { kind: 'null', ...pos };
        if (typeof node.value === 'string' && tag === 'tag:yaml.org,2002:timestamp') return { kind: 'string', value: src, ...pos };
        if (typeof node.value === 'string') return { kind: 'string', value: node.value, ...pos };
        return { kind: typeof node.value === 'boolean' ? 'bool' : 'number', text: src, ...pos };
      }
      if (!plainScalarIsNotString(src)) return { kind: 'string', value: src, ...pos };
      const k = scalarKind(src);
      return k === 'null' ? { kind: 'null', ...pos } : { kind: k, text: src, ...pos };
    }
    return { kind: 'null', ...at(0) };
  };

  try {
    const contents = doc.contents;
    if (contents === null) return { value: { kind: 'null', line: 1, column: 1 }, errors, duplicates, extraDocuments };
    return { value: walk(contents, 0), errors, duplicates, extraDocuments };
  } catch (e) {
    if (e instanceof DecodeTooDeep) return { errors: [{ message: 'nesting too deep to decode' }], duplicates, extraDocuments };
    throw e;
  }
}

class DecodeTooDeep extends Error {}

/** The value at `key` of a decoded map. */
export function entry(v: DValue | undefined, key: string): DEntry | undefined {
  if (!v || v.kind !== 'map') return undefined;
  return v.entries.find((e) => e.key === key);
}

/** A short description of a decoded value's JSON type, as Go's encoding/json names it. */
export function jsonTypeOf(v: DValue): string {
  switch (v.kind) {
    case 'map':
      return 'object';
    case 'seq':
      return 'array';
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'number':
      return 'number';
    case 'null':
      return 'null';
  }
}
