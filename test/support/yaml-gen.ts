/**
 * Random YAML text for differential tests of kspect's decoder: block and flow collections, every scalar style,
 * the scalars where YAML 1.1 (Kubernetes) and YAML 1.2 disagree, odd keys, and, when asked, anchors, aliases,
 * merge keys, tags and duplicate keys. Deterministic for a seed.
 */

export type Rng = () => number;

export function rng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** Plain scalars where YAML 1.1 (go-yaml v2) and the YAML 1.2 core schema differ, and their neighbours. */
export const TRICKY_PLAIN: readonly string[] = [
  'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'y', 'Y', 'n', 'N', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF',
  'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', 'nULL', '~',
  '0', '-0', '+0', '00', '007', '0777', '0o17', '0O17', '0x1F', '0X1f', '0xff_ff', '+0x10', '-0x10', '0b101', '0B11', '-0b11',
  '0b-1', '0b+1', '08', '0789', '1_000', '1__0', '_1', '-_1', '1_', '0_0', '12', '-12', '+12', '1.5', '-1.5', '+.5', '.5', '1.',
  '1e3', '1E3', '1e+3', '-1e-3', '1.5e10', '6.02e23', '1e400', '.5e3', '.e3', '1:00', '1:30:00', '190:20:30',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2001-12-14 21:59:43.10 -5', '2002-02-30',
  '9007199254740993', '-9007199254740993', '9223372036854775807', '9223372036854775808', '-9223372036854775808',
  '-9223372036854775809', '18446744073709551615', '18446744073709551616', '0xFFFFFFFFFFFFFFFF', '0x1FFFFFFFFFFFFFFFF',
  '0777777777777777777777777', '.', '+', '0x', '0b', '0o', '=', 'Infinity', 'NaN', 'inf',
  '<<', 'hello', 'nginx:1.27', 'a.b-c_d', '100m', '128Mi', '/var/lib', 'http://x', 'O', 'T', 'F', 'yes!', 'on-call',
];

/** Scalars Kubernetes refuses as values (.inf/.nan have no JSON form). */
export const REFUSED_PLAIN: readonly string[] = ['.inf', '.Inf', '.INF', '+.inf', '-.inf', '-.Inf', '.nan', '.NaN', '.NAN'];

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'name', 'value', 'image', 'spec', 'data', 'items', 'x', 'port', 'enabled'];

const TAGGED: readonly string[] = [
  '!!str yes', '!!str 0777', '!!int "12"', '!!int 0x10', '!!float 1', '!!float "2.5"', '!!bool yes', '!!bool "on"', '!!null ""',
  '!!null null', '!!binary aGVsbG8=', '!!binary "4pyTIMOgIGxhIG1vZGU="', '!!binary /w==', '!!timestamp 2001-12-14', '!local 12',
  '! 12', '!!str', '!!map x', '!!set y',
];
const TAGGED_REFUSED: readonly string[] = ['!!int abc', '!!bool maybe', '!!float x', '!!null 0', '!!binary "not base64!"', '!!timestamp 12', '!!int 1.5'];

export interface GenOptions {
  /** Anchors, aliases and merge keys. */
  readonly aliases?: boolean;
  /** Explicit tags. */
  readonly tags?: boolean;
  /** Duplicate keys now and then. */
  readonly duplicates?: boolean;
  /** Values Kubernetes refuses (.inf, bad tags). */
  readonly refused?: boolean;
  readonly maxDepth?: number;
}

function numberText(r: Rng): string {
  const digits = String(Math.floor(r() * 10 ** (1 + Math.floor(r() * 12))));
  switch (Math.floor(r() * 9)) {
    case 0:
      return `0${digits}`;
    case 1:
      return `0x${Number(digits).toString(16)}`;
    case 2:
      return `-${digits}`;
    case 3:
      return `${digits}.${Math.floor(r() * 100)}`;
    case 4:
      return `${digits}e${Math.floor(r() * 30) - 15}`;
    case 5:
      return digits.replace(/(\d)(?=(\d{3})+$)/g, '$1_');
    case 6:
      return `0b${Number(digits.slice(0, 6)).toString(2)}`;
    case 7:
      return `+${digits}`;
    default:
      return digits;
  }
}

function doubleQuoted(r: Rng, s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (r() < 0.05) out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function scalarText(r: Rng, o: GenOptions, flow: boolean): string {
  const x = r();
  if (o.refused === true && x < 0.02) return r() < 0.5 ? pick(r, REFUSED_PLAIN) : pick(r, TAGGED_REFUSED);
  if (o.tags === true && x < 0.08) return pick(r, TAGGED);
  if (x < 0.45) return pick(r, TRICKY_PLAIN).replace(/^<<$/, '"<<"');
  if (x < 0.6) return numberText(r);
  if (x < 0.7) return pick(r, WORDS);
  if (x < 0.8) return doubleQuoted(r, pick(r, [...TRICKY_PLAIN, ...WORDS, 'a "q" \\ b', 'tab\there', 'caf\u00e9 \u2713']));
  if (x < 0.9) return `'${pick(r, [...TRICKY_PLAIN, ...WORDS, "it''s"])}'`;
  if (!flow && x < 0.95) return '';
  return flow ? pick(r, WORDS) : pick(r, TRICKY_PLAIN).replace(/^<<$/, 'x');
}

const KEYS: readonly string[] = [
  ...WORDS, 'yes', 'no', 'on', 'off', 'y', 'n', 'true', 'True', 'Null', '1', '2', '0x10', '0777', '1.5', '1e3', '100000000',
  '"1"', "'on'", '"with space"', '"a.b"', '__proto__', 'constructor', '"__proto__"', '2001-12-14', '-1', '1_0',
];

// The JSON key Kubernetes makes of the odd keys above, so that duplicates appear only when asked for.
const KEY_CANON: Readonly<Record<string, string>> = {
  yes: 'true', y: 'true', on: 'true', True: 'true', true: 'true', no: 'false', n: 'false', off: 'false',
  '"1"': '1', '0x10': '16', '0777': '511', '1e3': '1000', '1_0': '10', "'on'": 'on', '"__proto__"': '__proto__',
  '"with space"': 'with space', '"a.b"': 'a.b',
};

/** A random YAML document (text) whose root is a mapping. */
export function randomDocument(r: Rng, o: GenOptions = {}): string {
  const anchors: string[] = [];
  const maxDepth = o.maxDepth ?? 4;

  const key = (used: Set<string>): string => {
    for (let i = 0; i < 20; i++) {
      const k = pick(r, KEYS);
      const canon = KEY_CANON[k] ?? k;
      if (!used.has(canon) || (o.duplicates === true && r() < 0.1)) {
        used.add(canon);
        return k;
      }
    }
    const k = `k${used.size}_${Math.floor(r() * 1e6)}`;
    used.add(k);
    return k;
  };

  const flowNode = (depth: number): string => {
    const x = r();
    if (depth >= maxDepth || x < 0.5) return scalarText(r, o, true);
    if (x < 0.75) {
      const used = new Set<string>();
      return `{${Array.from({ length: Math.floor(r() * 4) }, () => `${key(used)}: ${flowNode(depth + 1)}`).join(', ')}}`;
    }
    return `[${Array.from({ length: Math.floor(r() * 4) }, () => flowNode(depth + 1)).join(', ')}]`;
  };

  // A block node at `indent`, written after "key:" or "- " (inline = the node starts on the same line).
  const blockValue = (indent: number, depth: number): string => {
    const x = r();
    if (o.aliases === true && anchors.length > 0 && x < 0.06) return ` *${pick(r, anchors)}`;
    if (depth >= maxDepth || x < 0.45) {
      if (r() < 0.03) return ` |\n${' '.repeat(indent + 2)}${pick(r, WORDS)}\n${' '.repeat(indent + 2)}line two`;
      if (r() < 0.03) return ` >-\n${' '.repeat(indent + 2)}${pick(r, WORDS)}\n${' '.repeat(indent + 2)}folded`;
      const s = scalarText(r, o, false);
      return s === '' ? '' : ` ${s}`;
    }
    if (x < 0.55) return ` ${flowNode(depth)}`;
    const anchor = o.aliases === true && r() < 0.15 ? `a${anchors.length}` : undefined;
    const prefix = anchor ? ` &${anchor}` : '';
    let body: string;
    if (x < 0.8) body = `${prefix}\n${blockMap(indent + 2, depth + 1)}`;
    else body = `${prefix}\n${blockSeq(indent + 2, depth + 1)}`;
    if (anchor) anchors.push(anchor);
    return body;
  };

  const blockMap = (indent: number, depth: number): string => {
    const used = new Set<string>();
    const n = 1 + Math.floor(r() * 5);
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      if (o.aliases === true && anchors.length > 0 && r() < 0.08) {
        lines.push(`${' '.repeat(indent)}<<: ${r() < 0.7 ? `*${pick(r, anchors)}` : `[*${pick(r, anchors)}, *${pick(r, anchors)}]`}`);
        continue;
      }
      lines.push(`${' '.repeat(indent)}${key(used)}:${blockValue(indent, depth)}`);
    }
    return lines.join('\n');
  };

  const blockSeq = (indent: number, depth: number): string => {
    const n = 1 + Math.floor(r() * 4);
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const x = r();
      if (depth < maxDepth && x < 0.3) {
        // A mapping item written "- key: value" with its other keys under it.
        const inner = blockMap(indent + 2, depth + 1);
        lines.push(`${' '.repeat(indent)}- ${inner.trimStart()}`);
      } else {
        const v = blockValue(indent, depth);
        lines.push(`${' '.repeat(indent)}-${v === '' ? '' : v}`);
      }
    }
    return lines.join('\n');
  };

  return `${blockMap(0, 1)}\n`;
}

/** A random Kubernetes-looking manifest: a known kind with a generated `spec` (and odd labels). */
export function randomManifest(r: Rng, i: number, o: GenOptions = {}): string {
  const kind = pick(r, ['ConfigMap', 'Pod', 'Deployment', 'Service', 'Widget']);
  const spec = randomDocument(r, o)
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  const labels = r() < 0.3 ? `\n  labels: {app: x${i}, ${pick(r, ['on', 'yes', 'tier'])}: ${pick(r, ['web', 'yes', '0777', '"1"'])}}` : '';
  return `apiVersion: ${kind === 'Widget' ? 'example.com/v1' : kind === 'Deployment' ? 'apps/v1' : 'v1'}\nkind: ${kind}\nmetadata:\n  name: gen-${i}${labels}\nspec:\n${spec}\n`;
}
