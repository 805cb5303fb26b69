/**
 * networking.k8s.io/v1 NetworkPolicy: validated, typed view. Validation follows the API server
 * (a policy it would reject is reported and left out of the evaluation); defaulting follows the
 * API too: policyTypes is Ingress, plus Egress when egress rules are present.
 */
import { getObject, isArray, isObject, type K8sObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { normalizeRanges, parseCidr, subtractRanges, type AddressRanges, type Cidr } from './addresses.js';
import { isProtocol, MAX_PORT, MIN_PORT, type Protocol } from './ports.js';
import { parseSelector, type FieldError, type Selector } from './selector.js';

export type Direction = 'Ingress' | 'Egress';

export interface PolicyPort {
  readonly protocol: Protocol;
  /** Absent: every port of the protocol. A string is a named port. */
  readonly port?: number | string;
  readonly endPort?: number;
  readonly path: string;
}

export interface SelectorPeer {
  readonly type: 'selector';
  /** Absent: every pod (of the namespaces the peer designates). */
  readonly podSelector?: Selector;
  /** Absent: only the policy's own namespace. */
  readonly namespaceSelector?: Selector;
  readonly path: string;
}

export interface IpBlockPeer {
  readonly type: 'ipBlock';
  readonly cidr: Cidr;
  readonly except: readonly Cidr[];
  /** The addresses the peer admits: cidr minus every except. */
  readonly ranges: AddressRanges;
  readonly path: string;
}

export type Peer = SelectorPeer | IpBlockPeer;

export interface PolicyRule {
  readonly direction: Direction;
  readonly index: number;
  readonly path: string;
  /** Empty: every peer, in and out of the cluster (`from`/`to` absent or empty). */
  readonly peers: readonly Peer[];
  /** Empty: every port and protocol. */
  readonly ports: readonly PolicyPort[];
}

export interface NetworkPolicy {
  readonly object: K8sObject;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Selector;
  /** Effective policy types, after defaulting. */
  readonly types: ReadonlySet<Direction>;
  /** True when spec.policyTypes was absent or empty and `types` was defaulted. */
  readonly typesDefaulted: boolean;
  /** Rules as written; an absent list and an empty list both give []. */
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

export interface PolicyIssue {
  readonly object: K8sObject;
  readonly path: string;
  readonly message: string;
}

/** The namespace objects without one are created in. */
export const DEFAULT_NAMESPACE = 'default';

/** apiVersions whose NetworkPolicy has the networking.k8s.io/v1 semantics. */
const CORE_API_VERSIONS = new Set(['networking.k8s.io/v1', 'extensions/v1beta1']);

/** Is this a Kubernetes NetworkPolicy (as opposed to a Calico or Cilium object of a similar name)? */
export function isCoreNetworkPolicy(obj: K8sObject): boolean {
  return obj.kind === 'NetworkPolicy' && CORE_API_VERSIONS.has(obj.apiVersion);
}

/** Policy kinds of other APIs that change reachability but that this engine does not evaluate. */
export const FOREIGN_POLICY_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
  'AntreaNetworkPolicy',
  'MultiNetworkPolicy',
]);

const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** IANA_SVC_NAME, as the API validates named ports. */
export function portNameError(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return `port name "${name}" must be 1 to 15 characters`;
  if (!PORT_NAME.test(name)) return `port name "${name}" may contain only lowercase letters, digits and inner hyphens`;
  if (name.includes('--')) return `port name "${name}" may not contain consecutive hyphens`;
  if (!/[a-z]/.test(name)) return `port name "${name}" must contain at least one letter`;
  return undefined;
}

function parsePort(raw: unknown, path: string, errors: FieldError[]): PolicyPort | undefined {
  if (!isObject(raw)) {
    errors.push({ path, message: 'must be an object' });
    return undefined;
  }
  const protoRaw = raw.protocol ?? 'TCP';
  if (!isProtocol(protoRaw)) {
    errors.push({ path: joinPath(path, 'protocol'), message: `unsupported protocol ${JSON.stringify(protoRaw)}: must be TCP, UDP or SCTP` });
    return undefined;
  }
  const port = raw.port;
  const endPort = raw.endPort;
  const before = errors.length;
  if (endPort !== undefined && endPort !== null && (typeof endPort !== 'number' || !Number.isInteger(endPort))) {
    errors.push({ path: joinPath(path, 'endPort'), message: 'must be an integer' });
  }
  const end = typeof endPort === 'number' && Number.isInteger(endPort) ? endPort : undefined;
  if (port === undefined || port === null) {
    if (end !== undefined) errors.push({ path: joinPath(path, 'endPort'), message: 'may not be specified when `port` is not specified' });
    return errors.length > before ? undefined : { protocol: protoRaw, path };
  }
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) errors.push({ path: joinPath(path, 'port'), message: `${port} is not a valid port number (1-65535)` });
    if (end !== undefined) {
      if (end < port) errors.push({ path: joinPath(path, 'endPort'), message: 'must be greater than or equal to `port`' });
      if (end < MIN_PORT || end > MAX_PORT) errors.push({ path: joinPath(path, 'endPort'), message: `${end} is not a valid port number (1-65535)` });
    }
    return errors.length > before ? undefined : { protocol: protoRaw, port, ...(end !== undefined ? { endPort: end } : {}), path };
  }
  if (typeof port === 'string') {
    if (end !== undefined) errors.push({ path: joinPath(path, 'endPort'), message: 'may not be specified when `port` is non-numeric' });
    const e = portNameError(port);
    if (e) errors.push({ path: joinPath(path, 'port'), message: e });
    return errors.length > before ? undefined : { protocol: protoRaw, port, path };
  }
  errors.push({ path: joinPath(path, 'port'), message: 'must be a number or a port name' });
  return undefined;
}

function parsePeer(raw: unknown, path: string, errors: FieldError[]): Peer | undefined {
  if (!isObject(raw)) {
    errors.push({ path, message: 'must be an object' });
    return undefined;
  }
  const before = errors.length;
  // A null selector is an absent one (the API's pointer fields).
  const hasPod = raw.podSelector !== undefined && raw.podSelector !== null;
  const hasNs = raw.namespaceSelector !== undefined && raw.namespaceSelector !== null;
  const hasIp = raw.ipBlock !== undefined && raw.ipBlock !== null;
  const pod = hasPod ? parseSelector(raw.podSelector, joinPath(path, 'podSelector')) : undefined;
  const ns = hasNs ? parseSelector(raw.namespaceSelector, joinPath(path, 'namespaceSelector')) : undefined;
  if (pod) errors.push(...pod.errors);
  if (ns) errors.push(...ns.errors);
  for (const k of Object.keys(raw)) if (!['podSelector', 'namespaceSelector', 'ipBlock'].includes(k)) errors.push({ path: joinPath(path, k), message: `unknown field "${k}"` });
  if (!hasPod && !hasNs && !hasIp) {
    errors.push({ path, message: 'must specify a peer (podSelector, namespaceSelector or ipBlock)' });
    return undefined;
  }
  if (hasIp && (hasPod || hasNs)) {
    errors.push({ path, message: 'may not specify both ipBlock and another peer' });
    return undefined;
  }
  if (hasIp) {
    const ipPath = joinPath(path, 'ipBlock');
    const ib = raw.ipBlock;
    if (!isObject(ib) || typeof ib.cidr !== 'string' || ib.cidr === '') {
      errors.push({ path: joinPath(ipPath, 'cidr'), message: 'cidr is required' });
      return undefined;
    }
    const cidr = parseCidr(ib.cidr);
    if (typeof cidr === 'string') {
      errors.push({ path: joinPath(ipPath, 'cidr'), message: cidr });
      return undefined;
    }
    const except: Cidr[] = [];
    const exRaw = ib.except === null || ib.except === undefined ? [] : ib.except;
    if (!isArray(exRaw)) errors.push({ path: joinPath(ipPath, 'except'), message: 'must be a list of CIDRs' });
    else
      exRaw.forEach((x, i) => {
        const p = joinPath(ipPath, 'except', i);
        const c = typeof x === 'string' ? parseCidr(x) : 'must be a CIDR string';
        if (typeof c === 'string') {
          errors.push({ path: p, message: c });
          return;
        }
        if (c.family !== cidr.family || c.lo < cidr.lo || c.lo > cidr.hi || c.prefix <= cidr.prefix) {
          errors.push({ path: p, message: `${typeof x === 'string' ? x : c.text} must be a strict subset of cidr ${cidr.text}` });
          return;
        }
        except.push(c);
      });
    if (errors.length > before) return undefined;
    const ranges = subtractRanges([cidr.lo, cidr.hi], normalizeRanges(except.flatMap((c) => [c.lo, c.hi])));
    return { type: 'ipBlock', cidr, except, ranges, path };
  }
  if (errors.length > before) return undefined;
  return { type: 'selector', ...(pod ? { podSelector: pod.selector } : {}), ...(ns ? { namespaceSelector: ns.selector } : {}), path };
}

function parseRules(raw: unknown, direction: Direction, path: string, errors: FieldError[]): PolicyRule[] {
  if (raw === undefined || raw === null) return [];
  if (!isArray(raw)) {
    errors.push({ path, message: 'must be a list of rules' });
    return [];
  }
  const peerKey = direction === 'Ingress' ? 'from' : 'to';
  const rules: PolicyRule[] = [];
  raw.forEach((r, index) => {
    const rp = joinPath(path, index);
    if (r === null) {
      // A null list item decodes as an empty rule.
      rules.push({ direction, index, path: rp, peers: [], ports: [] });
      return;
    }
    if (!isObject(r)) {
      errors.push({ path: rp, message: 'must be an object' });
      return;
    }
    for (const k of Object.keys(r)) if (k !== peerKey && k !== 'ports') errors.push({ path: joinPath(rp, k), message: `unknown field "${k}" in a${direction === 'Ingress' ? 'n ingress' : 'n egress'} rule` });
    const peersRaw = r[peerKey] ?? [];
    const portsRaw = r.ports ?? [];
    const peers: Peer[] = [];
    const ports: PolicyPort[] = [];
    if (!isArray(peersRaw)) errors.push({ path: joinPath(rp, peerKey), message: 'must be a list of peers' });
    else
      peersRaw.forEach((p, i) => {
        const peer = parsePeer(p, joinPath(rp, peerKey, i), errors);
        if (peer) peers.push(peer);
      });
    if (!isArray(portsRaw)) errors.push({ path: joinPath(rp, 'ports'), message: 'must be a list of ports' });
    else
      portsRaw.forEach((p, i) => {
        const port = parsePort(p, joinPath(rp, 'ports', i), errors);
        if (port) ports.push(port);
      });
    rules.push({ direction, index, path: rp, peers, ports });
  });
  return rules;
}

/** Parse and validate one NetworkPolicy. `policy` is undefined when the API server would reject it. */
export function parseNetworkPolicy(obj: K8sObject): { policy?: NetworkPolicy; issues: PolicyIssue[] } {
  const errors: FieldError[] = [];
  const spec = getObject(obj.raw, 'spec');
  if (!spec) {
    return { issues: [{ object: obj, path: 'spec', message: 'spec is missing' }] };
  }
  // spec.podSelector is not a pointer in the API: absent or null is the empty selector (every pod).
  const sel = parseSelector(spec.podSelector, 'spec.podSelector');
  errors.push(...sel.errors);
  const ingress = parseRules(spec.ingress, 'Ingress', 'spec.ingress', errors);
  const egress = parseRules(spec.egress, 'Egress', 'spec.egress', errors);
  const typesRaw = spec.policyTypes ?? [];
  const types = new Set<Direction>();
  let typesDefaulted = false;
  if (!isArray(typesRaw)) errors.push({ path: 'spec.policyTypes', message: 'must be a list' });
  else if (typesRaw.length > 2) errors.push({ path: 'spec.policyTypes', message: 'may not specify more than two policyTypes' });
  else
    typesRaw.forEach((t, i) => {
      if (t === 'Ingress' || t === 'Egress') types.add(t);
      else errors.push({ path: joinPath('spec.policyTypes', i), message: `unsupported value ${JSON.stringify(t)}: must be Ingress or Egress` });
    });
  if (isArray(typesRaw) && typesRaw.length === 0) {
    typesDefaulted = true;
    types.add('Ingress');
    // Egress only when egress rules are present: `egress: []` leaves the policy ingress-only.
    if (isArray(spec.egress) && spec.egress.length > 0) types.add('Egress');
  }
  const issues = errors.map((e) => ({ object: obj, path: e.path, message: e.message }));
  if (issues.length > 0) return { issues };
  return {
    policy: {
      object: obj,
      namespace: obj.metadata.namespace ?? DEFAULT_NAMESPACE,
      name: obj.metadata.name,
      podSelector: sel.selector,
      types,
      typesDefaulted,
      ingress,
      egress,
    },
    issues,
  };
}

/** Short text of a peer for explanations, e.g. `pods app=web in namespaces team=ops`. */
export function describePeer(peer: Peer, policyNamespace: string): string {
  if (peer.type === 'ipBlock') return `ipBlock ${peer.cidr.text}${peer.except.length > 0 ? ` except ${peer.except.map((c) => c.text).join(', ')}` : ''}`;
  const pods = peer.podSelector ? (peer.podSelector.text === '{}' ? 'all pods' : `pods ${peer.podSelector.text}`) : 'all pods';
  const ns = peer.namespaceSelector ? (peer.namespaceSelector.text === '{}' ? 'in every namespace' : `in namespaces ${peer.namespaceSelector.text}`) : `in namespace ${policyNamespace}`;
  return `${pods} ${ns}`;
}

/** Short text of a rule's ports, e.g. `TCP/80, UDP/53, TCP/8000-8080, TCP/http`; `all ports` when none. */
export function describePorts(ports: readonly PolicyPort[]): string {
  if (ports.length === 0) return 'all ports';
  return ports.map((p) => (p.port === undefined ? `${p.protocol}/all` : p.endPort !== undefined ? `${p.protocol}/${p.port}-${p.endPort}` : `${p.protocol}/${p.port}`)).join(', ');
}
