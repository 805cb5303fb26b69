/**
 * IP addresses and CIDR blocks as ranges on one number line: IPv4 addresses are 0 … 2^32-1 and
 * IPv6 addresses are 2^128 … 2^129-1, so one interval list holds both families without mixing them.
 */

export type Family = 4 | 6;

/** Where IPv6 addresses start on the shared number line. */
export const V6_BASE = 1n << 128n;

export interface Cidr {
  readonly family: Family;
  /** Inclusive range on the shared line. */
  readonly lo: bigint;
  readonly hi: bigint;
  readonly prefix: number;
  /** Canonical text: the network address and prefix, e.g. `10.0.0.0/8`. */
  readonly text: string;
  /** True when the text as written had host bits set (e.g. `10.0.0.1/8`). */
  readonly hostBitsSet: boolean;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (s.includes('%')) return undefined;
  let head = s;
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (x: string): string[] | undefined => (x === '' ? [] : x.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  const total = left.length + right.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const all = [...left, ...Array<string>(8 - total).fill('0'), ...right];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

/** Parse an IP address; returns its place on the shared line. */
export function parseIp(text: string): { family: Family; value: bigint } | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const v = parseV6(t);
    return v === undefined ? undefined : { family: 6, value: V6_BASE + v };
  }
  const v = parseV4(t);
  return v === undefined ? undefined : { family: 4, value: v };
}

function formatV4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

function formatV6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // Compress the longest run of zero groups (length ≥ 2).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Text of an address on the shared line. */
export function formatIp(value: bigint): string {
  return value >= V6_BASE ? formatV6(value - V6_BASE) : formatV4(value);
}

/** Parse `a.b.c.d/n` or `x::y/n`; returns an error text when it is not a CIDR. */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) return `"${text}" is not a CIDR (no /prefix)`;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip) return `"${text}" is not a CIDR (bad address)`;
  if (!/^\d{1,3}$/.test(prefixText)) return `"${text}" is not a CIDR (bad prefix length)`;
  const prefix = Number(prefixText);
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return `"${text}" is not a CIDR (prefix longer than ${bits})`;
  const base = ip.family === 4 ? 0n : V6_BASE;
  const raw = ip.value - base;
  const hostBits = BigInt(bits - prefix);
  const network = (raw >> hostBits) << hostBits;
  const lo = base + network;
  const hi = lo + (1n << hostBits) - 1n;
  return { family: ip.family, lo, hi, prefix, text: `${formatIp(lo)}/${prefix}`, hostBitsSet: network !== raw };
}

/** A set of addresses: sorted, disjoint, non-adjacent inclusive ranges [lo0, hi0, lo1, hi1, …]. */
export type AddressRanges = readonly bigint[];

export function normalizeRanges(pairs: readonly bigint[]): AddressRanges {
  const list: [bigint, bigint][] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const lo = pairs[i] as bigint;
    const hi = pairs[i + 1] as bigint;
    if (lo <= hi) list.push([lo, hi]);
  }
  list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: bigint[] = [];
  for (const [lo, hi] of list) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as bigint) + 1n) {
      if (hi > (out[n - 1] as bigint)) out[n - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

export function subtractRanges(a: AddressRanges, b: AddressRanges): AddressRanges {
  const out: bigint[] = [];
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i] as bigint;
    const hi = a[i + 1] as bigint;
    for (let k = 0; k < b.length && lo <= hi; k += 2) {
      const blo = b[k] as bigint;
      const bhi = b[k + 1] as bigint;
      if (bhi < lo || blo > hi) continue;
      if (blo > lo) out.push(lo, blo - 1n);
      lo = bhi + 1n;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return normalizeRanges(out);
}

export function rangesContain(r: AddressRanges, v: bigint): boolean {
  for (let i = 0; i < r.length; i += 2) if ((r[i] as bigint) <= v && v <= (r[i + 1] as bigint)) return true;
  return false;
}

/** The smallest list of CIDRs covering exactly one inclusive range of one family. */
export function rangeToCidrs(lo: bigint, hi: bigint): string[] {
  const v6 = lo >= V6_BASE;
  const base = v6 ? V6_BASE : 0n;
  const bits = v6 ? 128 : 32;
  let a = lo - base;
  const b = hi - base;
  const out: string[] = [];
  while (a <= b) {
    let size = 0;
    // Largest block aligned at a and not past b.
    while (size < bits) {
      const next = size + 1;
      const mask = (1n << BigInt(next)) - 1n;
      if ((a & mask) !== 0n || a + mask > b) break;
      size = next;
    }
    out.push(`${formatIp(base + a)}/${bits - size}`);
    a += 1n << BigInt(size);
  }
  return out;
}

/** Every IPv4 address, and every IPv6 address. */
export const ALL_V4: AddressRanges = [0n, (1n << 32n) - 1n];
export const ALL_V6: AddressRanges = [V6_BASE, V6_BASE + (1n << 128n) - 1n];
export const ALL_ADDRESSES: AddressRanges = [...ALL_V4, ...ALL_V6];
