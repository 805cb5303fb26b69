/**
 * Kubernetes' YAML scalar rules. kubectl and kube-apiserver decode YAML with sigs.k8s.io/yaml: go-yaml v2
 * (go.yaml.in/yaml/v2) resolves every scalar with its YAML 1.1 rules into a Go value, then sigs.k8s.io/yaml turns
 * map keys into strings and the whole into JSON. This module reproduces both steps for one scalar, so that
 * `privileged: yes` is `true` here exactly as it is in the cluster.
 *
 * Learnt from go.yaml.in/yaml/v2 v2.4.3 (resolve.go, decode.go) and sigs.k8s.io/yaml v1.6.0 (yaml.go), the
 * versions Kubernetes v1.35 builds with; proved against a real kube-apiserver in test/yaml-apiserver.test.ts.
 * The differences from the `yaml` package's YAML 1.2 core schema:
 * - booleans: y Y yes Yes YES on On ON / n N no No NO off Off OFF (only these spellings), besides true/false;
 * - integers: Go's `strconv.ParseInt(s, 0, 64)` after removing every `_`: `0777` is octal, `0b101`, `0o17`, `0x1F`
 *   (and `0X`, `0B`, `0O`), signs on all of them; beyond int64 a uint64, beyond that a float when it looks like
 *   a decimal, else a string;
 * - floats: `.inf`/`.nan` parse but cannot be written as JSON, so Kubernetes refuses the document;
 * - timestamps and `!!binary` (base64-decoded) become strings; no sexagesimal numbers;
 * - map keys: `yes:` is the key "true", `1.5:` formats like Go's float32 `%g`; null and uint64 keys, and
 *   collections as keys, make Kubernetes refuse the document.
 */
import { trimEndChar } from '../core/text.js';

export const TAG_PREFIX = 'tag:yaml.org,2002:';
const STR_TAG = `${TAG_PREFIX}str`;
const BOOL_TAG = `${TAG_PREFIX}bool`;
const INT_TAG = `${TAG_PREFIX}int`;
const FLOAT_TAG = `${TAG_PREFIX}float`;
const NULL_TAG = `${TAG_PREFIX}null`;
const TIMESTAMP_TAG = `${TAG_PREFIX}timestamp`;
const BINARY_TAG = `${TAG_PREFIX}binary`;
export const MERGE_TAG = `${TAG_PREFIX}merge`;

/** Why Kubernetes would refuse a document; the message never quotes the value (it may be a secret). */
export class GoYamlError extends Error {
  constructor(
    message: string,
    /** Offset of the node at fault, when known. */
    readonly offset?: number,
    /**
     * True when go-yaml accepts the node and only the JSON conversion refuses it (a null or uint64 key, an .inf
     * value): Kubernetes refuses the document only if the node survives into the final value (a later duplicate
     * key can replace it).
     */
    readonly atConversion = false,
  ) {
    super(message);
  }
}

/** A Go value as go-yaml v2 decodes a scalar into `interface{}`. */
type GoScalar =
  | { readonly t: 'null' }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'uint'; readonly v: bigint }
  | { readonly t: 'float'; readonly v: number }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'merge' };

const NULL: GoScalar = { t: 'null' };
const TRUE: GoScalar = { t: 'bool', v: true };
const FALSE: GoScalar = { t: 'bool', v: false };

const RESOLVE_MAP = new Map<string, GoScalar>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) RESOLVE_MAP.set(s, TRUE);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) RESOLVE_MAP.set(s, FALSE);
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, NULL);
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, { t: 'float', v: Number.NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) RESOLVE_MAP.set(s, { t: 'float', v: Number.POSITIVE_INFINITY });
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, { t: 'float', v: Number.NEGATIVE_INFINITY });
RESOLVE_MAP.set('<<', { t: 'merge' });

// go-yaml's hint table, indexed by the first byte: S sign, D digit, M "in the map", . dot.
const HINT_NONE = 0;
const HINT_SIGN = 1;
const HINT_DIGIT = 2;
const HINT_MAP = 3;
const HINT_DOT = 4;
const HINTS = new Uint8Array(128);
HINTS[43] = HINT_SIGN; // +
HINTS[45] = HINT_SIGN; // -
for (let c = 48; c <= 57; c++) HINTS[c] = HINT_DIGIT;
for (const ch of 'yYnNtTfFoO~') HINTS[ch.charCodeAt(0)] = HINT_MAP;
HINTS[46] = HINT_DOT; // .

function hintOf(s: string): number {
  if (s === '') return HINT_MAP;
  const c = s.charCodeAt(0);
  return c < 128 ? (HINTS[c] ?? HINT_NONE) : HINT_NONE;
}

// go-yaml's yamlStyleFloat; linear (no nested quantifiers over the same characters).
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
// What Go's strconv.ParseFloat accepts for a string that starts with a dot (no underscores without a base prefix).
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 122) return l - 97 + 10;
  return 99;
}

/** Go's strconv.ParseUint(s, base, 64); base 0 reads the 0x/0o/0b/0 prefixes. Undefined on any error. */
function parseUint(s: string, base: number): bigint | undefined {
  if (s === '') return undefined;
  let i = 0;
  if (base === 0) {
    base = 10;
    if (s.charCodeAt(0) === 48) {
      const p = s.length >= 3 ? s.charCodeAt(1) | 0x20 : 0;
      if (p === 98) {
        base = 2;
        i = 2;
      } else if (p === 111) {
        base = 8;
        i = 2;
      } else if (p === 120) {
        base = 16;
        i = 2;
      } else {
        base = 8;
        i = 1;
      }
    }
  }
  const b = BigInt(base);
  let n = 0n;
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= base) return undefined;
    n = n * b + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return n;
}

/** Go's strconv.ParseInt(s, base, 64). */
function parseInt64(s: string, base: number): bigint | undefined {
  if (s === '') return undefined;
  let neg = false;
  let rest = s;
  const c = s.charCodeAt(0);
  if (c === 43) rest = s.slice(1);
  else if (c === 45) {
    neg = true;
    rest = s.slice(1);
  }
  const un = parseUint(rest, base);
  if (un === undefined) return undefined;
  const v = neg ? -un : un;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** Go's strconv.ParseFloat(s, 64) for strings already known to be decimal; undefined when out of range. */
function parseDecimalFloat(s: string): number | undefined {
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** go-yaml v2's resolve(tag, in): the Go value of a scalar. `tag` is '' for an untagged plain scalar. */
function resolve(tag: string, input: string, offset: number | undefined): GoScalar {
  if (!(tag === '' || tag === STR_TAG || tag === BOOL_TAG || tag === INT_TAG || tag === FLOAT_TAG || tag === NULL_TAG || tag === TIMESTAMP_TAG)) {
    return { t: 'str', v: input }; // an unknown or collection tag: the text itself
  }
  const out = resolveUnchecked(tag, input);
  // go-yaml's deferred check: an explicit tag must agree with what the text resolves to.
  if (tag === '' || tag === STR_TAG) return out;
  const rtag = tagOf(out);
  if (rtag === tag) return out;
  if (tag === FLOAT_TAG && out.t === 'int') return { t: 'float', v: Number(out.v) };
  if (tag === TIMESTAMP_TAG && out.t === 'str' && isGoTimestamp(input)) return out;
  throw new GoYamlError(`a value tagged !!${tag.slice(TAG_PREFIX.length)} is not a valid ${tag.slice(TAG_PREFIX.length)}`, offset);
}

function tagOf(v: GoScalar): string {
  switch (v.t) {
    case 'null':
      return NULL_TAG;
    case 'bool':
      return BOOL_TAG;
    case 'int':
    case 'uint':
      return INT_TAG;
    case 'float':
      return FLOAT_TAG;
    case 'merge':
      return MERGE_TAG;
    case 'str':
      return STR_TAG;
  }
}

function resolveUnchecked(tag: string, input: string): GoScalar {
  const hint = hintOf(input);
  if (hint === HINT_NONE || tag === STR_TAG) return { t: 'str', v: input };
  const mapped = RESOLVE_MAP.get(input);
  if (mapped) return mapped;
  if (hint === HINT_DOT) {
    if (DOT_FLOAT.test(input)) {
      const f = parseDecimalFloat(input);
      if (f !== undefined) return { t: 'float', v: f };
    }
    return { t: 'str', v: input };
  }
  if (hint === HINT_MAP) return { t: 'str', v: input };
  // A digit or a sign: a timestamp (kept as its text: go-yaml hands timestamps to interface{} as strings), an
  // integer, or a float. A timestamp can never parse as a number, so only an explicit !!timestamp needs the check.
  const plain = input.includes('_') ? input.replaceAll('_', '') : input;
  const i = parseInt64(plain, 0);
  if (i !== undefined) return { t: 'int', v: i };
  const u = parseUint(plain, 0);
  if (u !== undefined) return { t: 'uint', v: u };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = parseDecimalFloat(plain);
    if (f !== undefined) return { t: 'float', v: f };
  }
  if (plain.startsWith('0b')) {
    const b = parseInt64(plain.slice(2), 2);
    if (b !== undefined) return { t: 'int', v: b };
    const ub = parseUint(plain.slice(2), 2);
    if (ub !== undefined) return { t: 'uint', v: ub };
  } else if (plain.startsWith('-0b')) {
    const b = parseInt64(`-${plain.slice(3)}`, 2);
    if (b !== undefined) return { t: 'int', v: b };
  }
  return { t: 'str', v: input };
}

// The layouts go-yaml v2 tries with time.Parse: 2006-1-2T15:4:5.999999999Z07:00 (also with a lower-case t),
// "2006-1-2 15:4:5.999999999" and 2006-1-2. Linear expressions; ranges checked below.
const TS_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TS_ZONED = /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const TS_LOCAL = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?$/;

/** True when go-yaml v2 reads `s` as a timestamp (only matters for an explicit !!timestamp tag). */
export function isGoTimestamp(s: string): boolean {
  const m = TS_DATE.exec(s) ?? TS_ZONED.exec(s) ?? TS_LOCAL.exec(s);
  if (!m) return false;
  const [y, mo, d, h = '0', mi = '0', se = '0', zh = '0', zm = '0'] = m.slice(1).map((x: string | undefined) => x ?? '0');
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return false;
  return Number(h) < 24 && Number(mi) < 60 && Number(se) < 60 && Number(zh) <= 24 && Number(zm) <= 60;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `!!binary`: Go's base64.StdEncoding (padding required; only CR and LF ignored), then JSON's UTF-8 coercion. */
function decodeBinary(text: string, offset: number | undefined): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (!BASE64.test(compact)) throw new GoYamlError('a !!binary value is not valid base64', offset);
  return goBytesToString(Buffer.from(compact, 'base64'));
}

/** Bytes to a string as Go's encoding/json writes them: each byte of an invalid UTF-8 sequence becomes U+FFFD. */
export function goBytesToString(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    let cp = -1;
    let size = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c <= 0xdf) {
      const c1 = b[i + 1] ?? 0;
      if ((c1 & 0xc0) === 0x80) {
        cp = ((c & 0x1f) << 6) | (c1 & 0x3f);
        size = 2;
      }
    } else if (c >= 0xe0 && c <= 0xef) {
      const c1 = b[i + 1] ?? 0;
      const c2 = b[i + 2] ?? 0;
      const lo = c === 0xe0 ? 0xa0 : 0x80;
      const hi = c === 0xed ? 0x9f : 0xbf;
      if (c1 >= lo && c1 <= hi && (c2 & 0xc0) === 0x80) {
        cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
        size = 3;
      }
    } else if (c >= 0xf0 && c <= 0xf4) {
      const c1 = b[i + 1] ?? 0;
      const c2 = b[i + 2] ?? 0;
      const c3 = b[i + 3] ?? 0;
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      if (c1 >= lo && c1 <= hi && (c2 & 0xc0) === 0x80 && (c3 & 0xc0) === 0x80) {
        cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
        size = 4;
      }
    }
    out += cp < 0 ? '\ufffd' : String.fromCodePoint(cp);
    i += size;
  }
  return out;
}

/** How a scalar was written. */
export interface ScalarForm {
  /** The scalar's text after YAML unescaping/folding. */
  readonly text: string;
  /** True for a plain (unquoted, non-block) scalar. */
  readonly plain: boolean;
  /** The resolved explicit tag (`tag:yaml.org,2002:int`, `!local`, `!`), or '' when there is none. */
  readonly tag: string;
}

function goScalar(form: ScalarForm, offset: number | undefined): GoScalar {
  const { text, plain, tag } = form;
  // go-yaml: a plain scalar (or one with the non-specific tag `!`) is "implicit" and resolved; a quoted or block
  // scalar without a tag is a string.
  if (tag === '') return plain ? resolve('', text, offset) : { t: 'str', v: text };
  if (tag === '!') return { t: 'str', v: text };
  if (tag === BINARY_TAG) return { t: 'str', v: decodeBinary(text, offset) };
  return resolve(tag, text, offset);
}

/** The JSON value Kubernetes gets for a scalar used as a value. Throws GoYamlError when it refuses it. */
export function scalarValue(form: ScalarForm, offset?: number): string | number | boolean | null {
  const g = goScalar(form, offset);
  switch (g.t) {
    case 'null':
      return null;
    case 'bool':
    case 'str':
      return g.v;
    case 'int':
    case 'uint':
      // JSON carries the exact digits; a JavaScript number holds integers exactly up to 2^53.
      return Number(g.v);
    case 'float':
      if (!Number.isFinite(g.v)) throw new GoYamlError('.inf and .nan have no JSON form, so Kubernetes refuses the document', offset, true);
      return g.v;
    case 'merge':
      return '<<';
  }
}

/** Fast form of scalarValue for an untagged plain scalar (the hot path of the event parser). */
export function plainValue(text: string, offset?: number): string | number | boolean | null {
  const hint = hintOf(text);
  if (hint === HINT_NONE) return text;
  if (hint === HINT_DIGIT && text.length <= 15) {
    // Plain decimal integers without a leading zero: the common case, exact in a double.
    let ok = text.charCodeAt(0) !== 48 || text.length === 1;
    for (let i = 0; ok && i < text.length; i++) {
      const c = text.charCodeAt(i);
      ok = c >= 48 && c <= 57;
    }
    if (ok) return Number(text);
  }
  return scalarValue({ text, plain: true, tag: '' }, offset);
}

/** True when a plain scalar used as a key is a `<<` merge key (go-yaml's isMerge). */
export function isMergeKey(form: ScalarForm): boolean {
  return form.text === '<<' && ((form.plain && form.tag === '') || form.tag === MERGE_TAG);
}

/** The JSON object key Kubernetes makes of a scalar key (sigs.k8s.io/yaml). Throws GoYamlError when it refuses it. */
export function scalarKey(form: ScalarForm, offset?: number): string {
  if (form.tag === '' && (!form.plain || hintOf(form.text) === HINT_NONE)) return form.text;
  const g = goScalar(form, offset);
  switch (g.t) {
    case 'str':
      return g.v;
    case 'bool':
      return g.v ? 'true' : 'false';
    case 'int':
      return g.v.toString();
    case 'float':
      return goFloat32Key(g.v);
    case 'merge':
      return '<<';
    case 'null':
      throw new GoYamlError('a null map key: Kubernetes refuses the document', offset, true);
    case 'uint':
      throw new GoYamlError('a map key beyond the int64 range: Kubernetes refuses the document', offset, true);
  }
}

/** sigs.k8s.io/yaml's key for a float: strconv.FormatFloat(f, 'g', -1, 32), with .inf/-.inf/.nan. */
export function goFloat32Key(f: number): string {
  const x = Math.fround(f);
  if (Number.isNaN(x)) return '.nan';
  if (x === Number.POSITIVE_INFINITY) return '.inf';
  if (x === Number.NEGATIVE_INFINITY) return '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  const a = Math.abs(x);
  let digits = '';
  let dp = 0;
  // The shortest decimal that reads back as the same float32.
  for (let p = 1; p <= 9 && digits === ''; p++) {
    const d = decimalOf(a.toPrecision(p));
    for (const cand of [d, bump(d, 1), bump(d, -1)]) {
      if (cand && Math.fround(Number(`0.${cand.digits}e${cand.dp}`)) === a) {
        ({ digits, dp } = cand);
        break;
      }
    }
  }
  const exp = dp - 1;
  let s: string;
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    s = `${digits[0] ?? '0'}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  } else if (dp <= 0) s = `0.${'0'.repeat(-dp)}${digits}`;
  else if (dp >= digits.length) s = digits + '0'.repeat(dp - digits.length);
  else s = `${digits.slice(0, dp)}.${digits.slice(dp)}`;
  return neg ? `-${s}` : s;
}

interface Decimal {
  readonly digits: string;
  readonly dp: number;
}

/** `1.25e+3` or `0.00125` → digits "125" with the decimal point after `dp` digits. */
function decimalOf(s: string): Decimal {
  const [mant = '', expPart] = s.split('e');
  const exp = expPart === undefined ? 0 : Number(expPart);
  const dot = mant.indexOf('.');
  const intLen = dot < 0 ? mant.length : dot;
  let digits = mant.replace('.', '');
  let dp = intLen + exp;
  const lead = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(lead);
  dp -= lead;
  digits = trimEndChar(digits, '0');
  return { digits: digits === '' ? '0' : digits, dp };
}

/** The neighbour of a decimal in its last digit, for the asymmetric rounding interval at powers of two. */
function bump(d: Decimal, by: 1 | -1): Decimal | undefined {
  const n = BigInt(d.digits) + BigInt(by);
  if (n <= 0n) return undefined;
  const s = n.toString();
  const dp = d.dp + (s.length - d.digits.length);
  return decimalOf(`0.${s}e${dp}`);
}

/** Object keys JavaScript orders before all others (array indices); their objects need the reference path. */
export function isArrayIndexKey(k: string): boolean {
  if (k === '') return false;
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  if (k.length > 10 || (c === 48 && k.length > 1)) return false;
  for (let i = 1; i < k.length; i++) {
    const d = k.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return Number(k) < 4294967295;
}

/** Set an own property, `__proto__` included (a plain assignment would replace the prototype instead). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** go-yaml's identity of a scalar as a map key (its Go type and value), to tell true duplicates from JSON collisions. */
export function scalarIdentity(form: ScalarForm, offset?: number): string {
  if (form.tag === '' && !form.plain) return `str:${form.text}`;
  const g = goScalar(form, offset);
  switch (g.t) {
    case 'null':
    case 'merge':
      return g.t;
    case 'float':
      return `float:${String(g.v)}`;
    case 'bool':
    case 'int':
    case 'uint':
    case 'str':
      return `${g.t}:${String(g.v)}`;
  }
}
