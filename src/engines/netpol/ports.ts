/**
 * Port sets: for each of TCP, UDP and SCTP a sorted list of disjoint port intervals.
 * The reachability engine keeps every allowed-ports answer as one of these, interned in a
 * table so that equal sets share one id and unions/intersections are memoised by id.
 */

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export function isProtocol(v: unknown): v is Protocol {
  return v === 'TCP' || v === 'UDP' || v === 'SCTP';
}

export function protocolIndex(p: Protocol): 0 | 1 | 2 {
  return p === 'TCP' ? 0 : p === 'UDP' ? 1 : 2;
}

/** Intervals of one protocol, flattened: [lo0, hi0, lo1, hi1, …], sorted, disjoint, non-adjacent. */
export type Intervals = readonly number[];

/** An immutable set of (protocol, port) pairs. */
export interface PortSet {
  readonly tcp: Intervals;
  readonly udp: Intervals;
  readonly sctp: Intervals;
}

const FULL: Intervals = [MIN_PORT, MAX_PORT];

export const EMPTY_PORTS: PortSet = Object.freeze({ tcp: [], udp: [], sctp: [] });
export const ALL_PORTS: PortSet = Object.freeze({ tcp: FULL, udp: FULL, sctp: FULL });

function byIndex(s: PortSet, i: number): Intervals {
  return i === 0 ? s.tcp : i === 1 ? s.udp : s.sctp;
}

function make(parts: readonly Intervals[]): PortSet {
  return { tcp: parts[0] ?? [], udp: parts[1] ?? [], sctp: parts[2] ?? [] };
}

/** Normalise arbitrary [lo, hi] pairs into sorted disjoint intervals. */
export function normalize(pairs: readonly number[]): Intervals {
  const list: [number, number][] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const lo = Math.max(MIN_PORT, pairs[i] ?? 0);
    const hi = Math.min(MAX_PORT, pairs[i + 1] ?? 0);
    if (lo <= hi) list.push([lo, hi]);
  }
  list.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of list) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] ?? 0) + 1) {
      if (hi > (out[n - 1] ?? 0)) out[n - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

function unionIv(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return normalize([...a, ...b]);
}

function intersectIv(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0 || b.length === 0) return [];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i] as number, b[j] as number);
    const hi = Math.min(a[i + 1] as number, b[j + 1] as number);
    if (lo <= hi) out.push(lo, hi);
    if ((a[i + 1] as number) < (b[j + 1] as number)) i += 2;
    else j += 2;
  }
  return out;
}

function subtractIv(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0 || b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i] as number;
    const hi = a[i + 1] as number;
    while (j < b.length && (b[j + 1] as number) < lo) j += 2;
    let k = j;
    while (k < b.length && (b[k] as number) <= hi && lo <= hi) {
      const blo = b[k] as number;
      const bhi = b[k + 1] as number;
      if (blo > lo) out.push(lo, blo - 1);
      lo = Math.max(lo, bhi + 1);
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

function eachProtocol(a: PortSet, b: PortSet, f: (x: Intervals, y: Intervals) => Intervals): PortSet {
  return make([f(a.tcp, b.tcp), f(a.udp, b.udp), f(a.sctp, b.sctp)]);
}

export function unionPorts(a: PortSet, b: PortSet): PortSet {
  return eachProtocol(a, b, unionIv);
}

export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  return eachProtocol(a, b, intersectIv);
}

export function subtractPorts(a: PortSet, b: PortSet): PortSet {
  return eachProtocol(a, b, subtractIv);
}

export function isEmptyPorts(s: PortSet): boolean {
  return s.tcp.length === 0 && s.udp.length === 0 && s.sctp.length === 0;
}

export function isAllPorts(s: PortSet): boolean {
  return [s.tcp, s.udp, s.sctp].every((iv) => iv.length === 2 && iv[0] === MIN_PORT && iv[1] === MAX_PORT);
}

/** Does the set contain `port` on `protocol`? */
export function hasPort(s: PortSet, protocol: Protocol, port: number): boolean {
  const iv = byIndex(s, protocolIndex(protocol));
  // Binary search over interval starts.
  let lo = 0;
  let hi = iv.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const a = iv[mid * 2] as number;
    const b = iv[mid * 2 + 1] as number;
    if (port < a) hi = mid - 1;
    else if (port > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A set with one range `lo`..`hi` (inclusive) on one protocol. */
export function portRange(protocol: Protocol, lo: number, hi: number): PortSet {
  const parts: Intervals[] = [[], [], []];
  parts[protocolIndex(protocol)] = normalize([lo, hi]);
  return make(parts);
}

export function allPortsOf(protocol: Protocol): PortSet {
  return portRange(protocol, MIN_PORT, MAX_PORT);
}

function ivText(iv: Intervals): string {
  const parts: string[] = [];
  for (let i = 0; i < iv.length; i += 2) {
    const lo = iv[i] as number;
    const hi = iv[i + 1] as number;
    parts.push(lo === hi ? String(lo) : `${lo}-${hi}`);
  }
  return parts.join(',');
}

/**
 * Human form: `all`, `none`, or e.g. `TCP:80,443 UDP:53`, `TCP:all`.
 * Stable, so it doubles as the interning key.
 */
export function formatPorts(s: PortSet): string {
  if (isEmptyPorts(s)) return 'none';
  if (isAllPorts(s)) return 'all';
  const out: string[] = [];
  PROTOCOLS.forEach((p, i) => {
    const iv = byIndex(s, i);
    if (iv.length === 0) return;
    const all = iv.length === 2 && iv[0] === MIN_PORT && iv[1] === MAX_PORT;
    out.push(`${p}:${all ? 'all' : ivText(iv)}`);
  });
  return out.join(' ');
}

/** Structured form for JSON output. */
export function portsToJson(s: PortSet): { protocol: Protocol; from: number; to: number }[] {
  const out: { protocol: Protocol; from: number; to: number }[] = [];
  PROTOCOLS.forEach((p, i) => {
    const iv = byIndex(s, i);
    for (let k = 0; k < iv.length; k += 2) out.push({ protocol: p, from: iv[k] as number, to: iv[k + 1] as number });
  });
  return out;
}

/**
 * Interning table: equal sets get one id; union and intersection are memoised on ids.
 * Id 0 is the empty set, id 1 the set of all ports.
 */
export class PortSetTable {
  static readonly NONE = 0;
  static readonly ALL = 1;
  private readonly sets: PortSet[] = [EMPTY_PORTS, ALL_PORTS];
  private readonly byKey = new Map<string, number>([
    [formatPorts(EMPTY_PORTS), 0],
    [formatPorts(ALL_PORTS), 1],
  ]);
  private readonly unionMemo = new Map<number, number>();
  private readonly interMemo = new Map<number, number>();
  private readonly subMemo = new Map<number, number>();

  intern(s: PortSet): number {
    const key = formatPorts(s);
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const id = this.sets.length;
    this.sets.push(s);
    this.byKey.set(key, id);
    return id;
  }

  get(id: number): PortSet {
    const s = this.sets[id];
    if (!s) throw new Error(`unknown port set id ${id}`);
    return s;
  }

  get size(): number {
    return this.sets.length;
  }

  private memo(map: Map<number, number>, a: number, b: number, op: (x: PortSet, y: PortSet) => PortSet): number {
    // Ids stay far below 2^26 in practice; the key is exact below that.
    const key = a * 67108864 + b;
    const hit = map.get(key);
    if (hit !== undefined) return hit;
    const id = this.intern(op(this.get(a), this.get(b)));
    map.set(key, id);
    return id;
  }

  union(a: number, b: number): number {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    if (a === 1 || b === 1) return 1;
    return a < b ? this.memo(this.unionMemo, a, b, unionPorts) : this.memo(this.unionMemo, b, a, unionPorts);
  }

  intersect(a: number, b: number): number {
    if (a === b || b === 1) return a;
    if (a === 1) return b;
    if (a === 0 || b === 0) return 0;
    return a < b ? this.memo(this.interMemo, a, b, intersectPorts) : this.memo(this.interMemo, b, a, intersectPorts);
  }

  subtract(a: number, b: number): number {
    if (a === 0 || b === 1 || a === b) return 0;
    if (b === 0) return a;
    return this.memo(this.subMemo, a, b, subtractPorts);
  }
}
