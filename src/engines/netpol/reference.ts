/**
 * A plain pairwise evaluator of NetworkPolicy semantics, written as directly as the API reference
 * reads: for one source pod, one destination pod, one protocol and one port, walk every policy.
 * It shares only parsing with the engine, never its classes, caches or interval sets.
 *
 * For tests and the benchmark only: not part of the public API.
 */
import type { Inventory } from '../../model/inventory.js';
import { collectEndpoints, NAMESPACE_NAME_LABEL, type Endpoint, type NamespaceInfo } from './endpoints.js';
import { isCoreNetworkPolicy, parseNetworkPolicy, type NetworkPolicy, type Peer, type PolicyPort } from './policy.js';
import type { Protocol } from './ports.js';
import type { Requirement, Selector } from './selector.js';

export type RefVerdict = 'allowed' | 'denied' | 'unknown';
type T = 'yes' | 'no' | 'maybe';

export interface ReferenceModel {
  readonly endpoints: readonly Endpoint[];
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  readonly policies: readonly NetworkPolicy[];
  readonly podIps: boolean;
}

export function referenceModel(inventory: Inventory, options: { podIps?: boolean } = {}): ReferenceModel {
  const policies: NetworkPolicy[] = [];
  for (const o of inventory.objects) {
    if (!isCoreNetworkPolicy(o)) continue;
    const r = parseNetworkPolicy(o);
    if (r.policy) policies.push(r.policy);
  }
  const { endpoints, namespaces } = collectEndpoints(inventory, policies.map((p) => p.namespace));
  return { endpoints, namespaces, policies, podIps: options.podIps === true };
}

function requirementHolds(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  if (r.operator === 'In') return has && r.values.some((v) => v === value);
  if (r.operator === 'NotIn') return !has || r.values.every((v) => v !== value);
  if (r.operator === 'Exists') return has;
  return !has;
}

/** A selector against fully known labels. */
function matchAll(sel: Selector, labels: Readonly<Record<string, string>>): boolean {
  return sel.requirements.every((r) => requirementHolds(r, labels));
}

/** A namespace selector against a namespace: without its Namespace object only the name label is known. */
function matchNamespace(sel: Selector, ns: NamespaceInfo | undefined, name: string): T {
  const labels = ns?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
  const known = ns?.object !== undefined;
  let unsure = false;
  for (const r of sel.requirements) {
    if (!known && r.key !== NAMESPACE_NAME_LABEL) {
      unsure = true;
      continue;
    }
    if (!requirementHolds(r, labels)) return 'no';
  }
  return unsure ? 'maybe' : 'yes';
}

function and(a: T, b: T): T {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

function or(a: T, b: T): T {
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'no';
}

function peerMatchesPod(m: ReferenceModel, peer: Peer, policy: NetworkPolicy, pod: Endpoint): T {
  if (peer.type === 'ipBlock') {
    if (!m.podIps || pod.ips.length === 0) return 'maybe';
    let inside = 0;
    for (const ip of pod.ips) {
      let hit = false;
      for (let i = 0; i < peer.ranges.length; i += 2) if ((peer.ranges[i] as bigint) <= ip && ip <= (peer.ranges[i + 1] as bigint)) hit = true;
      if (hit) inside++;
    }
    return inside === pod.ips.length ? 'yes' : inside === 0 ? 'no' : 'maybe';
  }
  const nsPart: T = peer.namespaceSelector ? matchNamespace(peer.namespaceSelector, m.namespaces.get(pod.namespace), pod.namespace) : pod.namespace === policy.namespace ? 'yes' : 'no';
  const podPart: T = peer.podSelector ? (matchAll(peer.podSelector, pod.labels) ? 'yes' : 'no') : 'yes';
  return and(nsPart, podPart);
}

function portMatches(ports: readonly PolicyPort[], dst: Endpoint | undefined, protocol: Protocol, port: number): boolean {
  if (ports.length === 0) return true;
  for (const p of ports) {
    if (p.protocol !== protocol) continue;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') {
      const end = p.endPort ?? p.port;
      if (port >= p.port && port <= end) return true;
      continue;
    }
    if (dst && (dst.namedPorts.get(`${p.port}/${protocol}`) ?? []).includes(port)) return true;
  }
  return false;
}

function selects(policy: NetworkPolicy, pod: Endpoint): boolean {
  return policy.namespace === pod.namespace && matchAll(policy.podSelector, pod.labels);
}

function typesOf(policy: NetworkPolicy): { ingress: boolean; egress: boolean } {
  // Defaulting re-derived from the raw object, independently of the parser's.
  const spec = policy.object.raw.spec as { policyTypes?: unknown; egress?: unknown } | undefined;
  const given = Array.isArray(spec?.policyTypes) ? (spec.policyTypes as unknown[]) : [];
  if (given.length > 0) return { ingress: given.includes('Ingress'), egress: given.includes('Egress') };
  return { ingress: true, egress: Array.isArray(spec?.egress) && spec.egress.length > 0 };
}

/** Does `src`'s egress allow the connection? */
function egressSide(m: ReferenceModel, src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): T {
  let isolated = false;
  let best: T = 'no';
  for (const policy of m.policies) {
    if (!typesOf(policy).egress || !selects(policy, src)) continue;
    isolated = true;
    for (const rule of policy.egress) {
      if (!portMatches(rule.ports, dst, protocol, port)) continue;
      let peerOk: T = rule.peers.length === 0 ? 'yes' : 'no';
      for (const peer of rule.peers) peerOk = or(peerOk, peerMatchesPod(m, peer, policy, dst));
      best = or(best, peerOk);
    }
  }
  return isolated ? best : 'yes';
}

/** Does `dst`'s ingress allow the connection? */
function ingressSide(m: ReferenceModel, src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): T {
  let isolated = false;
  let best: T = 'no';
  for (const policy of m.policies) {
    if (!typesOf(policy).ingress || !selects(policy, dst)) continue;
    isolated = true;
    for (const rule of policy.ingress) {
      if (!portMatches(rule.ports, dst, protocol, port)) continue;
      let peerOk: T = rule.peers.length === 0 ? 'yes' : 'no';
      for (const peer of rule.peers) peerOk = or(peerOk, peerMatchesPod(m, peer, policy, src));
      best = or(best, peerOk);
    }
  }
  return isolated ? best : 'yes';
}

/** The verdict for one connection between two endpoints of the model. */
export function referenceVerdict(m: ReferenceModel, src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): RefVerdict {
  if (src === dst && src.single) return 'allowed';
  if (src.hostNetwork || dst.hostNetwork) return 'unknown';
  const e = egressSide(m, src, dst, protocol, port);
  if (e === 'no') return 'denied';
  const i = ingressSide(m, src, dst, protocol, port);
  if (i === 'no') return 'denied';
  return e === 'yes' && i === 'yes' ? 'allowed' : 'unknown';
}

/** Egress from a pod to an address outside the cluster (egress alone decides; named ports never match). */
export function referenceEgressToAddress(m: ReferenceModel, src: Endpoint, address: bigint, protocol: Protocol, port: number): RefVerdict {
  if (src.hostNetwork) return 'unknown';
  let isolated = false;
  let ok = false;
  for (const policy of m.policies) {
    if (!typesOf(policy).egress || !selects(policy, src)) continue;
    isolated = true;
    for (const rule of policy.egress) {
      if (!portMatches(rule.ports, undefined, protocol, port)) continue;
      if (rule.peers.length === 0) ok = true;
      for (const peer of rule.peers) {
        if (peer.type !== 'ipBlock') continue;
        for (let i = 0; i < peer.ranges.length; i += 2) if ((peer.ranges[i] as bigint) <= address && address <= (peer.ranges[i + 1] as bigint)) ok = true;
      }
    }
  }
  return !isolated || ok ? 'allowed' : 'denied';
}
