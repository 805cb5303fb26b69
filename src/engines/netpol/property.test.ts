/**
 * Property test: on random clusters and policies, the class-based engine and the plain pairwise
 * reference evaluator agree on every pod pair, protocol and probed port. Seeded, so reproducible.
 */
import { describe, expect, it } from 'vitest';
import { buildNetpolEngine, NetpolEngine } from './engine.js';
import { inventoryOfObjects, namespace, pod, policy, type PodPort } from './model.testutil.js';
import { hasPort, PROTOCOLS, type Protocol } from './ports.js';
import { referenceEgressToAddress, referenceModel, referenceVerdict } from './reference.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['app', 'tier', 'team'];
const VALUES = ['a', 'b', 'c'];
const PORT_NAMES = ['http', 'metrics', 'dns'];
const NUMBERS = [53, 80, 81, 443, 8080, 9100];
const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '0.0.0.0/0', '192.168.0.0/16', '10.1.2.0/24', 'fd00::/8'];
const EXCEPTS: Record<string, string[]> = { '10.0.0.0/8': ['10.1.0.0/16', '10.2.0.0/16'], '0.0.0.0/0': ['10.0.0.0/8', '169.254.169.254/32'], '10.1.0.0/16': ['10.1.2.0/24'], 'fd00::/8': ['fd00::/16'] };

function generate(seed: number): { objects: unknown[]; probes: number[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const labels = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const k of KEYS) if (chance(0.5)) out[k] = pick(VALUES);
    return out;
  };
  const selector = (): Record<string, unknown> => {
    const s: Record<string, unknown> = {};
    if (chance(0.6)) {
      const ml: Record<string, string> = {};
      for (const k of KEYS) if (chance(0.3)) ml[k] = pick(VALUES);
      s.matchLabels = ml;
    }
    if (chance(0.3)) {
      const op = pick(['In', 'NotIn', 'Exists', 'DoesNotExist'] as const);
      s.matchExpressions = [{ key: pick(KEYS), operator: op, ...(op === 'In' || op === 'NotIn' ? { values: [pick(VALUES), pick(VALUES)] } : {}) }];
    }
    return s;
  };
  const nsNames = ['x', 'y', 'z'].slice(0, 1 + Math.floor(r() * 3));
  const objects: unknown[] = [];
  for (const ns of nsNames) if (chance(0.75)) objects.push(namespace(ns, labels()));
  const podCount = 3 + Math.floor(r() * 8);
  let ip = 1;
  for (let i = 0; i < podCount; i++) {
    const ports: PodPort[] = [];
    for (const n of PORT_NAMES) if (chance(0.4)) ports.push({ name: n, port: pick(NUMBERS), protocol: pick([...PROTOCOLS, 'TCP', 'TCP']) });
    const ips = chance(0.7) ? [chance(0.5) ? `10.1.${Math.floor(r() * 4)}.${ip++}` : `192.168.0.${ip++}`, ...(chance(0.2) ? [`fd00::${ip}`] : [])] : undefined;
    const p = pod(pick(nsNames), `p${i}`, labels(), ports, { hostNetwork: chance(0.05), ...(ips ? { ips } : {}) }) as { metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: unknown };
    if (chance(0.2)) {
      // A workload template standing for several replicas: replica-to-replica traffic is policy-governed.
      objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: p.metadata.name, namespace: p.metadata.namespace }, spec: { replicas: 1 + Math.floor(r() * 3), template: { metadata: { labels: p.metadata.labels }, spec: p.spec } } });
    } else objects.push(p);
  }
  const peer = (): Record<string, unknown> => {
    const kind = r();
    if (kind < 0.2) {
      const cidr = pick(CIDRS);
      return { ipBlock: { cidr, ...(chance(0.5) && EXCEPTS[cidr] ? { except: EXCEPTS[cidr] } : {}) } };
    }
    const out: Record<string, unknown> = {};
    if (kind < 0.6 || chance(0.5)) out.podSelector = selector();
    if (kind >= 0.6 || !('podSelector' in out)) out.namespaceSelector = chance(0.4) ? { matchLabels: { 'kubernetes.io/metadata.name': pick(nsNames) } } : selector();
    return out;
  };
  const ports = (): Record<string, unknown>[] => {
    const out: Record<string, unknown>[] = [];
    const n = Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const protocol = chance(0.5) ? undefined : pick(PROTOCOLS);
      const k = r();
      const p: Record<string, unknown> = protocol ? { protocol } : {};
      if (k < 0.4) p.port = pick(NUMBERS);
      else if (k < 0.6) {
        const lo = pick(NUMBERS);
        p.port = lo;
        p.endPort = lo + Math.floor(r() * 100);
      } else if (k < 0.85) p.port = pick(PORT_NAMES);
      out.push(p);
    }
    return out;
  };
  const rules = (dir: 'from' | 'to'): Record<string, unknown>[] | undefined => {
    if (chance(0.2)) return undefined;
    const n = Math.floor(r() * 3);
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const rule: Record<string, unknown> = {};
      if (chance(0.75)) rule[dir] = Array.from({ length: 1 + Math.floor(r() * 2) }, peer);
      const ps = ports();
      if (ps.length > 0 || chance(0.2)) rule.ports = ps;
      out.push(rule);
    }
    return out;
  };
  const policyCount = Math.floor(r() * 6);
  for (let i = 0; i < policyCount; i++) {
    const spec: Record<string, unknown> = { podSelector: chance(0.3) ? {} : selector() };
    const t = r();
    if (t < 0.25) spec.policyTypes = ['Ingress'];
    else if (t < 0.45) spec.policyTypes = ['Egress'];
    else if (t < 0.65) spec.policyTypes = ['Ingress', 'Egress'];
    const ing = rules('from');
    const eg = rules('to');
    if (ing) spec.ingress = ing;
    if (eg) spec.egress = eg;
    objects.push(policy(pick(nsNames), `np${i}`, spec));
  }
  const probes = [...new Set(NUMBERS.flatMap((n) => [n - 1, n, n + 1, n + 50, n + 100]).concat([1, 65535]))];
  return { objects, probes };
}

describe('engine and pairwise reference agree on random clusters', () => {
  for (const podIps of [false, true]) {
    it(`300 random clusters (podIps ${podIps})`, () => {
      let compared = 0;
      const seen = { allowed: 0, denied: 0, unknown: 0 };
      let invalid = 0;
      for (let seed = 1; seed <= 300; seed++) {
        const { objects, probes } = generate(seed * (podIps ? 7919 : 1));
        const inv = inventoryOfObjects(objects);
        const engine = buildNetpolEngine(inv, { podIps });
        const ref = referenceModel(inv, { podIps });
        invalid += engine.issues.length;
        const refById = new Map(ref.endpoints.map((e) => [e.id, e]));
        for (const src of engine.endpoints) {
          for (const dst of engine.endpoints) {
            const reach = engine.reach(src, dst);
            const rs = refById.get(src.id);
            const rd = refById.get(dst.id);
            if (!rs || !rd) throw new Error('endpoint sets differ');
            for (const proto of PROTOCOLS as readonly Protocol[]) {
              for (const port of probes) {
                const expected = referenceVerdict(ref, rs, rd, proto, port);
                const got = hasPort(reach.allowed, proto, port) ? 'allowed' : hasPort(reach.possible, proto, port) ? 'unknown' : 'denied';
                if (got !== expected) throw new Error(`seed ${seed}: ${src.id} -> ${dst.id} ${proto}/${port}: engine ${got}, reference ${expected}`);
                compared++;
                seen[got]++;
              }
            }
          }
          for (const addr of ['10.1.2.3', '10.3.0.1', '8.8.8.8', '169.254.169.254', 'fd00::1', 'fd01::1']) {
            const a = NetpolEngine.parseAddress(addr);
            if (!a) throw new Error(addr);
            const block = engine.externalBlockOf(a.address);
            if (!block) throw new Error(`no block for ${addr}`);
            const reach = engine.reachExternal(src, block);
            const rs = refById.get(src.id);
            if (!rs) throw new Error('missing');
            for (const port of [53, 80, 443, 8080]) {
              const expected = referenceEgressToAddress(ref, rs, a.address, 'TCP', port);
              const got = hasPort(reach.allowed, 'TCP', port) ? 'allowed' : hasPort(reach.possible, 'TCP', port) ? 'unknown' : 'denied';
              if (got !== expected) throw new Error(`seed ${seed}: ${src.id} -> ${addr} TCP/${port}: engine ${got}, reference ${expected}`);
              compared++;
            }
          }
        }
      }
      expect(compared).toBeGreaterThan(10_000);
      // The generator must exercise every outcome, and mostly valid policies.
      for (const v of Object.values(seen)) expect(v).toBeGreaterThan(compared / 50);
      expect(invalid).toBeLessThan(30);
    });
  }
});
