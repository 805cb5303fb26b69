/**
 * Plain data views of the engine for output: the workload × workload matrix (optionally with
 * external address blocks) and the explanation of one workload. Pure; renderers live in reporters/.
 */
import type { Endpoint } from './endpoints.js';
import type { ExternalBlock, NetpolEngine, Reach, ReachabilitySummary, Verdict } from './engine.js';
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

/** One equivalence class in the matrix summary. */
export interface ClassSummary {
  /** 1-based, in the engine's class order. */
  readonly id: number;
  /** The namespaces of its members, sorted (a class spans namespaces when they are alike toward everything). */
  readonly namespaces: readonly string[];
  readonly pods: number;
  /** Up to three member ids, for orientation. */
  readonly examples: readonly string[];
  readonly hostNetwork: boolean;
  readonly isolated: { readonly ingress: boolean; readonly egress: boolean };
  /** Distinct other endpoints a member may open a connection to on some port, and their namespaces. */
  readonly reaches: { readonly pods: number; readonly namespaces: number; readonly undecidedPods: number };
  /** Distinct other endpoints that may open a connection to a member on some port. */
  readonly reachedBy: { readonly pods: number };
}

export interface NamespaceSummary {
  readonly namespace: string;
  readonly pods: number;
  /** Classes with a member here. */
  readonly classes: number;
  /** Namespaces (this one included) with an endpoint some endpoint of this namespace may reach. */
  readonly reachesNamespaces: number;
  /** Namespaces (this one included) with an endpoint that may reach some endpoint of this namespace. */
  readonly reachedFromNamespaces: number;
}

/** The matrix of a cluster too large to show pair by pair: totals, per namespace, per equivalence class. */
export interface MatrixSummary {
  readonly summary: ReachabilitySummary;
  readonly namespaces: readonly NamespaceSummary[];
  readonly classes: readonly ClassSummary[];
  readonly notes: readonly string[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Summarise reachability by namespace and by equivalence class (endpoints of one class behave identically toward
 * everything): in the one pass of engine.summary() over the class pairs, memory linear in classes × namespaces. With `namespace`, only the
 * classes with a member there and that namespace's line.
 */
export function summarizeMatrix(engine: NetpolEngine, options: { readonly namespace?: string } = {}): MatrixSummary {
  const classes = engine.classList();
  const C = classes.length;
  const size = classes.map((c) => c.members.length);
  const nsOf = classes.map((c) => [...new Set(c.members.map((m) => m.namespace))].sort(byText));
  const reachPods = new Float64Array(C);
  const undecided = new Float64Array(C);
  const reachedBy = new Float64Array(C);
  const reachNs = classes.map(() => new Set<string>());
  const reachedFromNs = classes.map(() => new Set<string>());
  const summary = engine.summary((a, b, verdict) => {
    // Distinct endpoints only: a member never counts itself.
    const others = (size[b] as number) - (a === b ? 1 : 0);
    if (others <= 0) return;
    if (verdict === 'allowed') {
      reachPods[a] = (reachPods[a] as number) + others;
      reachedBy[b] = (reachedBy[b] as number) + (size[a] as number) - (a === b ? 1 : 0);
      const to = reachNs[a] as Set<string>;
      for (const ns of nsOf[b] as string[]) to.add(ns);
      const from = reachedFromNs[b] as Set<string>;
      for (const ns of nsOf[a] as string[]) from.add(ns);
    } else if (verdict === 'unknown') undecided[a] = (undecided[a] as number) + others;
  });
  const nsStats = new Map<string, { pods: number; classes: number; reaches: Set<string>; reachedFrom: Set<string> }>();
  classes.forEach((c, i) => {
    const seen = new Set<string>();
    for (const m of c.members) {
      let e = nsStats.get(m.namespace);
      if (!e) nsStats.set(m.namespace, (e = { pods: 0, classes: 0, reaches: new Set(), reachedFrom: new Set() }));
      e.pods++;
      if (seen.has(m.namespace)) continue;
      seen.add(m.namespace);
      e.classes++;
      for (const ns of reachNs[i] as Set<string>) e.reaches.add(ns);
      for (const ns of reachedFromNs[i] as Set<string>) e.reachedFrom.add(ns);
    }
  });
  const listed = (i: number): boolean => options.namespace === undefined || (nsOf[i] as string[]).includes(options.namespace);
  const out: ClassSummary[] = [];
  classes.forEach((c, i) => {
    if (!listed(i)) return;
    out.push({
      id: i + 1,
      namespaces: nsOf[i] as string[],
      pods: c.members.length,
      examples: c.members.slice(0, 3).map((e) => e.id),
      hostNetwork: c.hostNetwork,
      isolated: { ingress: c.ingressIsolated, egress: c.egressIsolated },
      reaches: { pods: reachPods[i] as number, namespaces: (reachNs[i] as Set<string>).size, undecidedPods: undecided[i] as number },
      reachedBy: { pods: reachedBy[i] as number },
    });
  });
  const namespaces = [...nsStats]
    .filter(([ns]) => options.namespace === undefined || ns === options.namespace)
    .sort((x, y) => byText(x[0], y[0]))
    .map(([namespace, e]) => ({ namespace, pods: e.pods, classes: e.classes, reachesNamespaces: e.reaches.size, reachedFromNamespaces: e.reachedFrom.size }));
  return { summary, namespaces, classes: out, notes: engine.notes };
}

/**
 * The cells of reachMatrix(engine, options), in the same order, made one source row at a time: for a matrix of any
 * size (the pod-level CSV of `netpol matrix --full`). Sources and destinations are the same nodes.
 */
export function matrixNodes(engine: NetpolEngine, options: { readonly namespace?: string; readonly external?: boolean } = {}): { nodes: readonly MatrixNode[]; rows: () => Generator<MatrixCell[]> } {
  const eps = engine.endpoints.filter((e) => options.namespace === undefined || e.namespace === options.namespace);
  const blocks = options.external === true ? engine.externalBlocks : [];
  const nodes = [...eps.map(endpointNode), ...blocks.map(blockNode)];
  const make = (s: number, d: number, r: Reach): MatrixCell => ({ source: s, destination: d, verdict: verdictOf(r), allowed: r.allowed, unknown: subtractPorts(r.possible, r.allowed) });
  function* rows(): Generator<MatrixCell[]> {
    for (let s = 0; s < eps.length; s++) {
      const src = eps[s] as Endpoint;
      const row: MatrixCell[] = [];
      eps.forEach((dst, d) => row.push(make(s, d, engine.reach(src, dst))));
      blocks.forEach((b, k) => row.push(make(s, eps.length + k, engine.reachExternal(src, b))));
      yield row;
    }
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks[k] as ExternalBlock;
      const s = eps.length + k;
      yield eps.map((dst, d) => make(s, d, engine.reachFromExternal(b, dst)));
    }
  }
  return { nodes, rows };
}
