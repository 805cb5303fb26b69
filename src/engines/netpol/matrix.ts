/**
 * Plain data views of the engine for output: the workload × workload matrix (optionally with
 * external address blocks) and the explanation of one workload. Pure; renderers live in reporters/.
 */
import type { Endpoint } from './endpoints.js';
import type { ExternalBlock, NetpolEngine, Reach, Verdict } from './engine.js';
import { describePeer, describePorts, type NetworkPolicy, type PolicyRule } from './policy.js';
import { formatPorts, isAllPorts, isEmptyPorts, subtractPorts, type PortSet } from './ports.js';

export interface MatrixNode {
  /** `namespace/Kind/name` for endpoints, the block label for external blocks. */
  readonly id: string;
  readonly type: 'endpoint' | 'external';
  readonly namespace?: string;
  readonly kind?: string;
  readonly name: string;
  /** External blocks: every CIDR. */
  readonly cidrs?: readonly string[];
}

export interface MatrixCell {
  readonly source: number;
  readonly destination: number;
  readonly verdict: Verdict;
  readonly allowed: PortSet;
  readonly unknown: PortSet;
}

export interface ReachMatrix {
  readonly sources: readonly MatrixNode[];
  readonly destinations: readonly MatrixNode[];
  /** Row-major: cells[s * destinations.length + d]; undefined for external → external. */
  readonly cells: readonly (MatrixCell | undefined)[];
  readonly notes: readonly string[];
}

export function endpointNode(e: Endpoint): MatrixNode {
  return { id: e.id, type: 'endpoint', namespace: e.namespace, kind: e.kind, name: e.name };
}

function blockNode(b: ExternalBlock): MatrixNode {
  return { id: b.label, type: 'external', name: b.label, cidrs: b.cidrs };
}

export function verdictOf(r: Reach): Verdict {
  if (!isEmptyPorts(r.allowed)) return 'allowed';
  return isEmptyPorts(r.possible) ? 'denied' : 'unknown';
}

/** Compact text of a cell: `all`, `-`, `?`, `TCP:80`, `TCP:80 ?`. */
export function cellText(c: { readonly allowed: PortSet; readonly unknown: PortSet }): string {
  const known = isEmptyPorts(c.allowed) ? '' : isAllPorts(c.allowed) ? 'all' : formatPorts(c.allowed);
  const unsure = isEmptyPorts(c.unknown) ? '' : '?';
  if (known === '' && unsure === '') return '-';
  return [known, unsure].filter((s) => s !== '').join(' ');
}

/** The reachability matrix of the endpoints (of one namespace, when given), with external blocks when asked. */
export function reachMatrix(engine: NetpolEngine, options: { readonly namespace?: string; readonly external?: boolean } = {}): ReachMatrix {
  const eps = engine.endpoints.filter((e) => options.namespace === undefined || e.namespace === options.namespace);
  const blocks = options.external === true ? engine.externalBlocks : [];
  const sources = [...eps.map(endpointNode), ...blocks.map(blockNode)];
  const destinations = sources;
  const n = sources.length;
  const cells: (MatrixCell | undefined)[] = new Array<MatrixCell | undefined>(n * n);
  const make = (s: number, d: number, r: Reach): MatrixCell => {
    const unknown = subtractPorts(r.possible, r.allowed);
    return { source: s, destination: d, verdict: verdictOf(r), allowed: r.allowed, unknown };
  };
  eps.forEach((src, s) => {
    eps.forEach((dst, d) => {
      cells[s * n + d] = make(s, d, engine.reach(src, dst));
    });
    blocks.forEach((b, k) => {
      const d = eps.length + k;
      cells[s * n + d] = make(s, d, engine.reachExternal(src, b));
    });
  });
  blocks.forEach((b, k) => {
    const s = eps.length + k;
    eps.forEach((dst, d) => {
      cells[s * n + d] = make(s, d, engine.reachFromExternal(b, dst));
    });
  });
  return { sources, destinations, cells, notes: engine.notes };
}

export interface RuleView {
  readonly policy: string;
  readonly path: string;
  readonly peers: readonly string[];
  readonly ports: string;
  readonly file?: string;
  readonly line?: number;
}

export interface PeerReach {
  readonly node: MatrixNode;
  readonly verdict: Verdict;
  readonly allowed: string;
  readonly unknown: string;
}

export interface DirectionView {
  readonly isolated: boolean;
  readonly policies: readonly { readonly name: string; readonly file?: string; readonly line?: number }[];
  readonly rules: readonly RuleView[];
  /** Endpoints (and external blocks) this direction admits, with ports; only the ones with some port. */
  readonly peers: readonly PeerReach[];
}

export interface ExplainView {
  readonly endpoint: MatrixNode;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly namespaceKnown: boolean;
  readonly namedPorts: readonly string[];
  readonly hostNetwork: boolean;
  /** Endpoints in the same equivalence class (behave identically). */
  readonly sameClass: number;
  readonly ingress: DirectionView;
  readonly egress: DirectionView;
  readonly notes: readonly string[];
}

function ruleView(p: NetworkPolicy, r: PolicyRule): RuleView {
  const loc = p.object.origin.locate(r.path) ?? p.object.origin.location;
  return {
    policy: `${p.namespace}/${p.name}`,
    path: r.path,
    peers: r.peers.length === 0 ? [r.direction === 'Ingress' ? 'every source' : 'every destination'] : r.peers.map((x) => describePeer(x, p.namespace)),
    ports: describePorts(r.ports),
    ...(loc ? { file: loc.file, line: loc.line } : {}),
  };
}

/** Which policies select an endpoint, its effective ingress and egress, and who it can reach. */
export function explainEndpoint(engine: NetpolEngine, ep: Endpoint): ExplainView {
  const sel = engine.selecting(ep);
  const ns = engine.namespaces.get(ep.namespace);
  const cls = engine.classOf(ep);
  const sameClass = engine.endpoints.filter((e) => engine.classOf(e) === cls).length;
  const peerList = (dir: 'Ingress' | 'Egress'): PeerReach[] => {
    const out: PeerReach[] = [];
    const push = (node: MatrixNode, r: Reach): void => {
      const v = verdictOf(r);
      if (v === 'denied') return;
      out.push({ node, verdict: v, allowed: isEmptyPorts(r.allowed) ? '' : formatPorts(r.allowed), unknown: formatPorts(subtractPorts(r.possible, r.allowed)) });
    };
    for (const other of engine.endpoints) if (other !== ep) push(endpointNode(other), dir === 'Ingress' ? engine.reach(other, ep) : engine.reach(ep, other));
    for (const b of engine.externalBlocks) push(blockNode(b), dir === 'Ingress' ? engine.reachFromExternal(b, ep) : engine.reachExternal(ep, b));
    return out;
  };
  const direction = (policies: readonly NetworkPolicy[], dir: 'Ingress' | 'Egress'): DirectionView => ({
    isolated: policies.length > 0,
    policies: policies.map((p) => {
      const loc = p.object.origin.location;
      return { name: `${p.namespace}/${p.name}`, ...(loc ? { file: loc.file, line: loc.line } : {}) };
    }),
    rules: policies.flatMap((p) => (dir === 'Ingress' ? p.ingress : p.egress).map((r) => ruleView(p, r))),
    peers: peerList(dir),
  });
  return {
    endpoint: endpointNode(ep),
    labels: ep.labels,
    namespaceLabels: ns?.labels ?? {},
    namespaceKnown: ns?.object !== undefined,
    namedPorts: [...ep.namedPorts.entries()].map(([k, v]) => `${k.split('/')[0] ?? k}=${v.join(',')}/${k.split('/')[1] ?? 'TCP'}`),
    hostNetwork: ep.hostNetwork,
    sameClass,
    ingress: direction(sel.ingress, 'Ingress'),
    egress: direction(sel.egress, 'Egress'),
    notes: [...engine.notes, 'traffic from the node a pod runs on is always allowed, whatever the policies say'],
  };
}
