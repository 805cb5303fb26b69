/**
 * Probe targets from the command line: `HOST`, `HOST:PORT`, `[IPv6]:PORT`, and CIDR ranges — the latter only
 * with an explicit allow (`--allow-range`) and capped in size, so a typo cannot scan a network. Port lists are
 * `10250,10255,2375-2376`. Parsing is pure; every regular expression is linear.
 */
import { isIP } from 'node:net';

export interface Target {
  readonly host: string;
  /** Explicit port; undefined means the default port list. */
  readonly port?: number;
  /** What the user (or the cluster) named it: reported with every endpoint. */
  readonly label: string;
}

export interface TargetOptions {
  /** Accept CIDR ranges. */
  readonly allowRange?: boolean;
  /** Most addresses one CIDR may expand to (default 256). */
  readonly maxHosts?: number;
}

/** The largest --max-hosts accepted. */
export const MAX_HOSTS_LIMIT = 4096;

const DNS_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_][A-Za-z0-9_-]{0,62})*\.?$/;

export function isHostName(s: string): boolean {
  return s.length <= 253 && DNS_NAME.test(s);
}

function port(s: string): number | undefined {
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** Parse `10250,10255,2375-2376`; errors name the bad part. */
export function parsePorts(s: string): { ports: number[]; error?: string } {
  const out = new Set<number>();
  for (const part of s.split(',').map((x) => x.trim())) {
    if (part === '') continue;
    const dash = part.indexOf('-');
    if (dash < 0) {
      const p = port(part);
      if (p === undefined) return { ports: [], error: `"${part}" is not a port (1-65535)` };
      out.add(p);
      continue;
    }
    const a = port(part.slice(0, dash));
    const b = port(part.slice(dash + 1));
    if (a === undefined || b === undefined || b < a) return { ports: [], error: `"${part}" is not a port range (e.g. 10250-10259)` };
    for (let p = a; p <= b; p++) out.add(p);
  }
  if (out.size === 0) return { ports: [], error: 'no port given' };
  return { ports: [...out].sort((x, y) => x - y) };
}

function ipv4ToInt(s: string): number {
  return s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Expand an IPv6 address to its 8 groups. */
function ipv6Groups(s: string): number[] | undefined {
  let text = s;
  let tail: number[] = [];
  const last = text.lastIndexOf(':');
  const dotted = text.slice(last + 1);
  if (isIP(dotted) === 4) {
    const n = ipv4ToInt(dotted);
    tail = [Math.floor(n / 65536), n % 65536];
    text = `${text.slice(0, last + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] => (h === '' ? [] : h.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const fill = 8 - head.length - rest.length;
  const groups = halves.length === 2 ? [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...rest] : head;
  if (groups.length !== 8) return undefined;
  if (tail.length === 2) groups.splice(6, 2, ...tail);
  return groups;
}

function ipv6FromGroups(g: readonly number[]): string {
  return g.map((x) => x.toString(16)).join(':');
}

/** Expand a CIDR; an error when it is malformed or larger than the cap. */
export function expandCidr(cidr: string, maxHosts: number): { hosts: string[]; error?: string } {
  const slash = cidr.lastIndexOf('/');
  const addr = cidr.slice(0, slash);
  const bits = Number(cidr.slice(slash + 1));
  const family = isIP(addr);
  if (family === 0 || !/^\d{1,3}$/.test(cidr.slice(slash + 1))) return { hosts: [], error: `"${cidr}" is not a CIDR range (e.g. 10.0.0.0/28)` };
  const width = family === 4 ? 32 : 128;
  if (bits > width) return { hosts: [], error: `"${cidr}": a /${bits} prefix is longer than ${width} bits` };
  const size = 2 ** (width - bits);
  if (size > maxHosts) return { hosts: [], error: `"${cidr}" holds ${size > 1e15 ? 'too many' : size} addresses, more than the cap of ${maxHosts} (raise it with --max-hosts, up to ${MAX_HOSTS_LIMIT})` };
  if (family === 4) {
    const base = ipv4ToInt(addr) - (ipv4ToInt(addr) % size);
    const hosts: string[] = [];
    // Skip the network and broadcast addresses of ranges that have them.
    const first = size > 2 ? 1 : 0;
    const last = size > 2 ? size - 2 : size - 1;
    for (let i = first; i <= last; i++) hosts.push(intToIpv4(base + i));
    return { hosts };
  }
  const g = ipv6Groups(addr);
  if (!g) return { hosts: [], error: `"${cidr}" is not a CIDR range` };
  // size ≤ MAX_HOSTS_LIMIT, so only the last 32 bits vary.
  const low = (g[6] ?? 0) * 65536 + (g[7] ?? 0);
  const base = low - (low % size);
  const hosts: string[] = [];
  for (let i = 0; i < size; i++) {
    const n = base + i;
    hosts.push(ipv6FromGroups([...g.slice(0, 6), Math.floor(n / 65536), n % 65536]));
  }
  return { hosts };
}

/** Parse one command-line target. */
export function parseTarget(arg: string, options: TargetOptions = {}): { targets: Target[]; error?: string } {
  const s = arg.trim();
  if (s === '') return { targets: [], error: 'empty target' };
  if (s.includes('://')) return { targets: [], error: `"${arg}": give HOST or HOST:PORT, not a URL` };
  if (s.includes('/')) {
    if (options.allowRange !== true) return { targets: [], error: `"${arg}" is a range: probing ranges needs --allow-range` };
    const r = expandCidr(s, Math.min(options.maxHosts ?? 256, MAX_HOSTS_LIMIT));
    if (r.error !== undefined) return { targets: [], error: r.error };
    return { targets: r.hosts.map((host) => ({ host, label: s })) };
  }
  const bracket = /^\[([0-9A-Fa-f:.]{2,45})\](?::(\d{1,5}))?$/.exec(s);
  if (bracket) {
    const host = bracket[1] ?? '';
    if (isIP(host) !== 6) return { targets: [], error: `"${arg}": not an IPv6 address` };
    if (bracket[2] === undefined) return { targets: [{ host, label: s }] };
    const p = port(bracket[2]);
    if (p === undefined) return { targets: [], error: `"${arg}": bad port` };
    return { targets: [{ host, port: p, label: s }] };
  }
  if (isIP(s) === 6) return { targets: [{ host: s, label: s }] };
  const colon = s.lastIndexOf(':');
  const host = colon < 0 ? s : s.slice(0, colon);
  if (isIP(host) !== 4 && !isHostName(host)) return { targets: [], error: `"${arg}" is not a host name or IP address` };
  if (colon < 0) return { targets: [{ host, label: s }] };
  const p = port(s.slice(colon + 1));
  if (p === undefined) return { targets: [], error: `"${arg}": bad port (1-65535)` };
  return { targets: [{ host, port: p, label: s }] };
}

/** Parse every target; errors are one line each, the good ones are kept. */
export function parseTargets(args: readonly string[], options: TargetOptions = {}): { targets: Target[]; errors: string[] } {
  const targets: Target[] = [];
  const errors: string[] = [];
  for (const a of args) {
    const r = parseTarget(a, options);
    if (r.error !== undefined) errors.push(r.error);
    targets.push(...r.targets);
  }
  return { targets, errors };
}
