/**
 * Questions the network checks ask of the engine: default-deny policies, rules that admit
 * everything, whether a rule lets traffic reach a given address, which pods mount tokens.
 */
import type { Inventory } from '../../model/inventory.js';
import { getArray, getBool, getObject, getString, type K8sObject } from '../../model/object.js';
import { podSpecOf } from '../../model/podspec.js';
import { parseIp, rangesContain } from './addresses.js';
import type { Endpoint } from './endpoints.js';
import type { NetpolEngine } from './engine.js';
import type { Direction, NetworkPolicy, PolicyRule } from './policy.js';
import { isEmptySelector } from './selector.js';

/** A rule that admits every peer on every port. */
export function admitsEverything(rule: PolicyRule): boolean {
  return rule.peers.length === 0 && rule.ports.length === 0;
}

/**
 * Policies of a namespace that isolate every pod of it for a direction without admitting
 * everything back: the namespace's default deny (rules that admit some traffic are allowed).
 */
export function defaultDenyPolicies(engine: NetpolEngine, namespace: string, direction: Direction): NetworkPolicy[] {
  return engine.policies.filter((p) => p.namespace === namespace && isEmptySelector(p.podSelector) && p.types.has(direction) && !(direction === 'Ingress' ? p.ingress : p.egress).some(admitsEverything));
}

/** Is `address` (text) among the destinations an egress rule admits, on the given TCP port? Named ports never match outside the cluster. */
export function egressRuleAdmitsAddress(rule: PolicyRule, addressText: string, tcpPort: number): boolean {
  const ip = parseIp(addressText);
  if (!ip) return false;
  const peerOk = rule.peers.length === 0 || rule.peers.some((p) => p.type === 'ipBlock' && rangesContain(p.ranges, ip.value));
  if (!peerOk) return false;
  if (rule.ports.length === 0) return true;
  return rule.ports.some((p) => p.protocol === 'TCP' && (p.port === undefined || (typeof p.port === 'number' && p.port <= tcpPort && tcpPort <= (p.endPort ?? p.port))));
}

/** Does the endpoint's egress admit every destination on every port (not isolated, or a rule that admits everything)? */
export function egressUnrestricted(engine: NetpolEngine, ep: Endpoint): { unrestricted: boolean; by?: NetworkPolicy } {
  const { egress } = engine.selecting(ep);
  if (egress.length === 0) return { unrestricted: true };
  const by = egress.find((p) => p.egress.some(admitsEverything));
  return by ? { unrestricted: true, by } : { unrestricted: false };
}

/**
 * Does a workload mount a service-account token? Yes unless automountServiceAccountToken is false
 * on the pod, or (when the pod does not say) on its ServiceAccount; a projected serviceAccountToken
 * volume mounts one regardless.
 */
export function mountsServiceAccountToken(obj: K8sObject, inventory: Inventory): boolean {
  const view = podSpecOf(obj);
  if (!view) return false;
  const projected = getArray(view.spec, 'volumes').some((v) => getArray(getObject(v, 'projected'), 'sources').some((s) => getObject(s, 'serviceAccountToken') !== undefined));
  if (projected) return true;
  const pod = getBool(view.spec, 'automountServiceAccountToken');
  if (pod !== undefined) return pod;
  const ns = obj.metadata.namespace ?? 'default';
  const saName = getString(view.spec, 'serviceAccountName') ?? getString(view.spec, 'serviceAccount') ?? 'default';
  const sa = inventory.ofKind('ServiceAccount').find((s) => s.metadata.name === saName && (s.metadata.namespace ?? 'default') === ns);
  return getBool(sa?.raw, 'automountServiceAccountToken') !== false;
}
