/**
 * The reachability engine. Pods and workload templates are grouped into equivalence classes —
 * endpoints that every policy selects alike, every peer matches alike and whose named ports the
 * policies resolve alike — and reachability is computed between classes, with allowed ports kept
 * as interned interval sets. Its cost follows the number of classes, not the number of pods squared.
 *
 * Three-valued by design: for each pair the engine gives the ports that are certainly allowed and
 * the ports that may be allowed; the difference is what the policies alone cannot decide (host
 * network pods, ipBlocks against pod IPs that are not known, namespaces whose labels are not known).
 */
import type { Inventory } from '../../model/inventory.js';
import type { K8sObject } from '../../model/object.js';
import { ALL_V4, ALL_V6, formatIp, normalizeRanges, parseIp, rangesContain, rangeToCidrs, subtractRanges, V6_BASE, type AddressRanges } from './addresses.js';
import { collectEndpoints, NAMESPACE_NAME_LABEL, type Endpoint, type NamespaceInfo } from './endpoints.js';
import { FOREIGN_POLICY_KINDS, isCoreNetworkPolicy, parseNetworkPolicy, type Direction, type NetworkPolicy, type Peer, type PolicyIssue, type PolicyRule } from './policy.js';
import { ALL_PORTS, allPortsOf, EMPTY_PORTS, hasPort, isEmptyPorts, portRange, PortSetTable, unionPorts, type PortSet, type Protocol } from './ports.js';
import { MAYBE, NO, selectorMatches, selectorMatchesPartly, YES, type Selector, type Tri } from './selector.js';

export interface NetpolOptions {
  /**
   * Match ipBlock peers against the IPs of Pods that have them (status.podIPs). Off by default:
   * whether an ipBlock applies to pod traffic depends on the network plugin and on the pod's IP
   * at the time, so without this such connections are reported as unknown.
   */
  readonly podIps?: boolean;
}

export type Verdict = 'allowed' | 'denied' | 'unknown';

/** Ports of a connection: `allowed` ⊆ `possible`; `possible` − `allowed` cannot be decided. */
export interface Reach {
  readonly allowed: PortSet;
  readonly possible: PortSet;
}

/** A range of addresses outside the cluster that every ipBlock of the input treats alike. */
export interface ExternalBlock {
  readonly id: number;
  /** Inclusive ranges on the shared address line. */
  readonly ranges: AddressRanges;
  /** Every CIDR of the block. */
  readonly cidrs: readonly string[];
  /** A short label: up to three CIDRs, then `(+N more)`. */
  readonly label: string;
}

/** One side of a connection, as can-reach asks. */
export type Party = { readonly type: 'endpoint'; readonly endpoint: Endpoint } | { readonly type: 'external'; readonly address: bigint; readonly text: string };

export interface RuleMatch {
  readonly policy: NetworkPolicy;
  readonly rule: PolicyRule;
  /** The peer that admits the other side; undefined when the rule admits every peer. */
  readonly peer?: Peer;
  /** True when the match is certain; false when it depends on what cannot be known. */
  readonly certain: boolean;
  /** Ports the rule allows toward the destination. */
  readonly ports: PortSet;
}

export interface SideExplanation {
  readonly direction: Direction;
  /** The endpoint whose policies decide this side; undefined for an address outside the cluster. */
  readonly subject?: Endpoint;
  /** Selected by at least one policy of this direction. */
  readonly isolated: boolean;
  /** Policies selecting the subject for this direction. */
  readonly policies: readonly NetworkPolicy[];
  /** Rules (of those policies) that admit the other side, on some port. */
  readonly matches: readonly RuleMatch[];
  readonly verdict: Verdict;
  readonly reason: string;
}

export interface Decision {
  readonly verdict: Verdict;
  readonly protocol?: Protocol;
  readonly port?: number;
  readonly allowed: PortSet;
  /** Ports that may be allowed: cannot be decided. */
  readonly unknown: PortSet;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
  readonly reasons: readonly string[];
}

export interface ReachabilitySummary {
  readonly endpoints: number;
  readonly namespaces: number;
  readonly policies: number;
  readonly invalidPolicies: number;
  readonly classes: number;
  readonly externalBlocks: number;
  readonly isolated: { readonly ingress: number; readonly egress: number; readonly hostNetwork: number };
  /** Ordered pairs of distinct endpoints. */
  readonly pairs: { readonly total: number; readonly allowed: number; readonly open: number; readonly denied: number; readonly unknown: number };
  /** Endpoints reachable on some port from every other endpoint. */
  readonly reachableFromAll: number;
  /** Endpoints that can reach some external address. */
  readonly egressToExternal: number;
  /** Endpoints that some external address can reach. */
  readonly ingressFromExternal: number;
}

/** An equivalence class as the matrix summary shows it. */
export interface EndpointClass {
  readonly members: readonly Endpoint[];
  readonly namespace: string;
  readonly hostNetwork: boolean;
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
}

interface RuleInfo {
  readonly id: number;
  readonly policy: NetworkPolicy;
  readonly rule: PolicyRule;
  /** Unique peer ids; empty with `allPeers`. */
  readonly peerIds: readonly number[];
  /** Original peers parallel to peerIds (for explanations). */
  readonly peers: readonly Peer[];
  readonly allPeers: boolean;
  readonly hasNamed: boolean;
  /** Ports when the rule uses no named port. */
  readonly fixed: number;
}

interface ClassInfo {
  readonly id: number;
  readonly members: number[];
  readonly namespace: string;
  readonly hostNetwork: boolean;
  readonly ingressPolicies: readonly number[];
  readonly egressPolicies: readonly number[];
  readonly np: number;
  /** Representative endpoint. */
  readonly rep: number;
}

interface Row {
  readonly def: Int32Array;
  readonly pos: Int32Array;
}

const NONE = PortSetTable.NONE;
const ALL = PortSetTable.ALL;

function triMax(a: Tri, b: Tri): Tri {
  if (a === YES || b === YES) return YES;
  if (a === MAYBE || b === MAYBE) return MAYBE;
  return NO;
}

function labelsKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join('\u0001');
}

/** The NetworkPolicy reachability of one inventory. Build with `buildNetpolEngine`. */
export class NetpolEngine {
  readonly endpoints: readonly Endpoint[];
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  /** Valid networking.k8s.io/v1 policies, in input order. */
  readonly policies: readonly NetworkPolicy[];
  /** Why some policies are invalid (the API server would reject them); those are not evaluated. */
  readonly issues: readonly PolicyIssue[];
  /** Policy objects of other APIs (Calico, Cilium, AdminNetworkPolicy, …): not evaluated. */
  readonly foreign: readonly K8sObject[];
  /** What the policies alone cannot decide in this input, one sentence each. */
  readonly notes: readonly string[];
  readonly options: NetpolOptions;
  readonly externalBlocks: readonly ExternalBlock[];

  private readonly ports = new PortSetTable();
  private readonly classes: ClassInfo[] = [];
  private readonly classOfEndpoint: Int32Array;
  private readonly rules: RuleInfo[] = [];
  private readonly rulesByPolicy: RuleInfo[][] = [];
  private readonly uniquePeers: { readonly peer: Peer; readonly policyNamespace: string }[] = [];
  /** peerTri[p][c]: does unique peer p match class c (classes first, then external blocks)? */
  private readonly peerTri: Uint8Array[] = [];
  private readonly npResolutions: ReadonlyMap<string, readonly number[]>[] = [];
  private readonly portsMemo = new Map<number, number>();
  private readonly ingressRows: (Row | undefined)[];
  private readonly egressRows = new Map<number, Row>();
  private readonly endpointIndex = new Map<Endpoint, number>();
  private readonly classYes: Int32Array[] = [];
  private readonly classMaybe: Int32Array[] = [];
  private readonly ruleInfoOf = new Map<PolicyRule, RuleInfo>();
  private readonly policyIndex = new Map<NetworkPolicy, number>();

  constructor(inventory: Inventory, options: NetpolOptions = {}) {
    this.options = options;
    const policies: NetworkPolicy[] = [];
    const issues: PolicyIssue[] = [];
    const foreign: K8sObject[] = [];
    for (const o of inventory.objects) {
      if (isCoreNetworkPolicy(o)) {
        const r = parseNetworkPolicy(o);
        issues.push(...r.issues);
        if (r.policy) policies.push(r.policy);
      } else if (FOREIGN_POLICY_KINDS.has(o.kind)) foreign.push(o);
    }
    this.policies = policies;
    this.issues = issues;
    this.foreign = foreign;
    const { endpoints, namespaces } = collectEndpoints(inventory, policies.map((p) => p.namespace));
    this.endpoints = endpoints;
    this.namespaces = namespaces;
    endpoints.forEach((e, i) => this.endpointIndex.set(e, i));
    this.classOfEndpoint = new Int32Array(endpoints.length);

    this.indexPeersAndRules();
    this.externalBlocks = this.buildExternalBlocks();
    this.buildClasses();
    this.ingressRows = new Array<Row | undefined>(this.classes.length);
    this.notes = this.collectNotes();
  }

  // ---------------------------------------------------------------- construction

  private peerKey(peer: Peer, policyNamespace: string): string {
    if (peer.type === 'ipBlock') return `I|${peer.ranges.join(',')}`;
    return `S|${peer.namespaceSelector ? peer.namespaceSelector.text : `=${policyNamespace}`}|${peer.podSelector ? peer.podSelector.text : '{}'}`;
  }

  private indexPeersAndRules(): void {
    const peerIds = new Map<string, number>();
    this.policies.forEach((policy, pi) => {
      this.policyIndex.set(policy, pi);
      const list: RuleInfo[] = [];
      for (const rule of [...policy.ingress, ...policy.egress]) {
        const ids: number[] = [];
        for (const peer of rule.peers) {
          const k = this.peerKey(peer, policy.namespace);
          let id = peerIds.get(k);
          if (id === undefined) {
            id = this.uniquePeers.length;
            peerIds.set(k, id);
            this.uniquePeers.push({ peer, policyNamespace: policy.namespace });
          }
          ids.push(id);
        }
        const hasNamed = rule.ports.some((p) => typeof p.port === 'string');
        const info: RuleInfo = {
          id: this.rules.length,
          policy,
          rule,
          peerIds: ids,
          peers: rule.peers,
          allPeers: rule.peers.length === 0,
          hasNamed,
          fixed: hasNamed ? -1 : this.ports.intern(this.portsOf(rule, new Map())),
        };
        this.rules.push(info);
        this.ruleInfoOf.set(rule, info);
        list.push(info);
      }
      this.rulesByPolicy[pi] = list;
    });
  }

  private portsOf(rule: PolicyRule, named: ReadonlyMap<string, readonly number[]>): PortSet {
    if (rule.ports.length === 0) return ALL_PORTS;
    let out = EMPTY_PORTS;
    for (const p of rule.ports) {
      if (p.port === undefined) out = unionPorts(out, allPortsOf(p.protocol));
      else if (typeof p.port === 'number') out = unionPorts(out, portRange(p.protocol, p.port, p.endPort ?? p.port));
      else for (const n of named.get(`${p.port}/${p.protocol}`) ?? []) out = unionPorts(out, portRange(p.protocol, n, n));
    }
    return out;
  }

  private rulePorts(r: RuleInfo, np: number): number {
    if (!r.hasNamed) return r.fixed;
    const key = r.id * 1048576 + np;
    let id = this.portsMemo.get(key);
    if (id === undefined) {
      id = this.ports.intern(this.portsOf(r.rule, this.npResolutions[np] ?? new Map()));
      this.portsMemo.set(key, id);
    }
    return id;
  }

  private buildExternalBlocks(): ExternalBlock[] {
    const ipPeers = this.uniquePeers.map((u, i) => ({ u, i })).filter((x) => x.u.peer.type === 'ipBlock');
    const points = new Set<bigint>([ALL_V4[0] as bigint, (ALL_V4[1] as bigint) + 1n, ALL_V6[0] as bigint, (ALL_V6[1] as bigint) + 1n]);
    for (const { u } of ipPeers) {
      if (u.peer.type !== 'ipBlock') continue;
      points.add(u.peer.cidr.lo);
      points.add(u.peer.cidr.hi + 1n);
      for (const e of u.peer.except) {
        points.add(e.lo);
        points.add(e.hi + 1n);
      }
    }
    const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const byKey = new Map<string, bigint[]>();
    for (let i = 0; i + 1 < sorted.length; i++) {
      const lo = sorted[i] as bigint;
      const hi = (sorted[i + 1] as bigint) - 1n;
      if (lo > (ALL_V4[1] as bigint) && lo < V6_BASE) continue; // the gap between the families
      const inside = ipPeers.filter(({ u }) => u.peer.type === 'ipBlock' && rangesContain(u.peer.ranges, lo)).map(({ i: id }) => id);
      const key = `${lo >= V6_BASE ? 6 : 4}|${inside.join(',')}`;
      const list = byKey.get(key) ?? [];
      list.push(lo, hi);
      byKey.set(key, list);
    }
    // Candidate enclosing blocks for labels: every ipBlock cidr, and each family as a whole.
    const enclosing: { lo: bigint; hi: bigint; text: string }[] = [
      { lo: ALL_V4[0] as bigint, hi: ALL_V4[1] as bigint, text: '0.0.0.0/0' },
      { lo: ALL_V6[0] as bigint, hi: ALL_V6[1] as bigint, text: '::/0' },
    ];
    for (const { u } of ipPeers) if (u.peer.type === 'ipBlock') enclosing.push({ lo: u.peer.cidr.lo, hi: u.peer.cidr.hi, text: u.peer.cidr.text });
    const toCidrs = (r: AddressRanges): string[] => {
      const out: string[] = [];
      for (let i = 0; i < r.length; i += 2) out.push(...rangeToCidrs(r[i] as bigint, r[i + 1] as bigint));
      return out;
    };
    const blocks: ExternalBlock[] = [];
    for (const pairs of byKey.values()) {
      const ranges = normalizeRanges(pairs);
      const cidrs = toCidrs(ranges);
      let label = cidrs.length <= 3 ? cidrs.join(', ') : `${cidrs.slice(0, 3).join(', ')} (+${cidrs.length - 3} more)`;
      if (cidrs.length > 2) {
        // Say it as "the smallest block holding it, except the holes": 0.0.0.0/0 except 10.0.0.0/8.
        const lo = ranges[0] as bigint;
        const hi = ranges[ranges.length - 1] as bigint;
        const enc = enclosing.filter((e) => e.lo <= lo && hi <= e.hi).sort((a, b) => (a.hi - a.lo < b.hi - b.lo ? -1 : 1))[0];
        if (enc) {
          const holes = toCidrs(subtractRanges([enc.lo, enc.hi], ranges));
          if (holes.length <= 3) label = holes.length === 0 ? enc.text : `${enc.text} except ${holes.join(', ')}`;
        }
      }
      blocks.push({ id: 0, ranges, cidrs, label });
    }
    blocks.sort((a, b) => ((a.ranges[0] as bigint) < (b.ranges[0] as bigint) ? -1 : 1));
    return blocks.map((b, id) => ({ ...b, id }));
  }

  private buildClasses(): void {
    const eps = this.endpoints;
    // 1. Groups: endpoints with the same namespace and labels are matched alike by every selector.
    const groupIds = new Map<string, number>();
    const groupOf = new Int32Array(eps.length);
    const groups: { ns: string; labels: Readonly<Record<string, string>> }[] = [];
    const groupsByNs = new Map<string, number[]>();
    eps.forEach((e, i) => {
      const k = `${e.namespace}\u0000${labelsKey(e.labels)}`;
      let g = groupIds.get(k);
      if (g === undefined) {
        g = groups.length;
        groupIds.set(k, g);
        groups.push({ ns: e.namespace, labels: e.labels });
        const list = groupsByNs.get(e.namespace) ?? [];
        list.push(g);
        groupsByNs.set(e.namespace, list);
      }
      groupOf[i] = g;
    });
    const G = groups.length;
    const podSelCache = new Map<string, Int8Array>();
    const podMatch = (sel: Selector, g: number): boolean => {
      let arr = podSelCache.get(sel.text);
      if (!arr) podSelCache.set(sel.text, (arr = new Int8Array(G).fill(-1)));
      let v = arr[g] as number;
      if (v < 0) {
        v = selectorMatches(sel, (groups[g] as { labels: Readonly<Record<string, string>> }).labels) ? 1 : 0;
        arr[g] = v;
      }
      return v === 1;
    };
    const nsSelCache = new Map<string, Map<string, Tri>>();
    const nameOnly = new Set([NAMESPACE_NAME_LABEL]);
    const nsMatches = (sel: Selector): Map<string, Tri> => {
      let m = nsSelCache.get(sel.text);
      if (!m) {
        m = new Map();
        for (const ns of this.namespaces.values()) {
          const t = selectorMatchesPartly(sel, ns.labels, ns.object ? undefined : nameOnly);
          if (t !== NO) m.set(ns.name, t);
        }
        nsSelCache.set(sel.text, m);
      }
      return m;
    };

    // 2. Per group: the policies that select it, and the selector peers that match it.
    const targets: number[][] = Array.from({ length: G }, () => []);
    this.policies.forEach((p, pi) => {
      for (const g of groupsByNs.get(p.namespace) ?? []) if (podMatch(p.podSelector, g)) (targets[g] as number[]).push(pi);
    });
    const yes: number[][] = Array.from({ length: G }, () => []);
    const maybe: number[][] = Array.from({ length: G }, () => []);
    this.uniquePeers.forEach(({ peer, policyNamespace }, pid) => {
      if (peer.type !== 'selector') return;
      const nsTri: Iterable<[string, Tri]> = peer.namespaceSelector ? nsMatches(peer.namespaceSelector) : [[policyNamespace, YES]];
      for (const [ns, t] of nsTri) {
        for (const g of groupsByNs.get(ns) ?? []) {
          if (peer.podSelector && !podMatch(peer.podSelector, g)) continue;
          ((t === YES ? yes : maybe)[g] as number[]).push(pid);
        }
      }
    });

    // 3. Classes: a group's selector signature plus what differs per endpoint.
    const usedNames = new Set<string>();
    for (const r of this.rules) for (const p of r.rule.ports) if (typeof p.port === 'string') usedNames.add(`${p.port}/${p.protocol}`);
    const names = [...usedNames].sort();
    const npIds = new Map<string, number>();
    const internNp = (m: Map<string, readonly number[]>): number => {
      const k = [...m.entries()].map(([n, ps]) => `${n}:${ps.join(',')}`).join(';');
      let id = npIds.get(k);
      if (id === undefined) {
        id = this.npResolutions.length;
        npIds.set(k, id);
        this.npResolutions.push(m);
      }
      return id;
    };
    internNp(new Map()); // np 0: no named port resolves (also every external address)
    const ipPeerIds = this.uniquePeers.flatMap((u, i) => (u.peer.type === 'ipBlock' ? [i] : []));
    const groupKeys = groups.map((_, g) => `${(targets[g] as number[]).join(',')}|${(yes[g] as number[]).join(',')}|${(maybe[g] as number[]).join(',')}`);
    const classIds = new Map<string, number>();
    const classIpTri: Uint8Array[] = [];
    eps.forEach((e, i) => {
      const g = groupOf[i] as number;
      const np = new Map<string, readonly number[]>();
      for (const n of names) {
        const v = e.namedPorts.get(n);
        if (v) np.set(n, v);
      }
      const npId = internNp(np);
      const ipTri = new Uint8Array(ipPeerIds.length);
      const knownIps = this.options.podIps === true && e.ips.length > 0;
      ipPeerIds.forEach((pid, k) => {
        const peer = (this.uniquePeers[pid] as { peer: Peer }).peer;
        if (!knownIps || peer.type !== 'ipBlock') {
          ipTri[k] = MAYBE;
          return;
        }
        const inside = e.ips.filter((ip) => rangesContain(peer.ranges, ip)).length;
        ipTri[k] = inside === e.ips.length ? YES : inside === 0 ? NO : MAYBE;
      });
      const key = `${groupKeys[g] ?? ''}|${npId}|${e.hostNetwork ? 'h' : ''}|${ipTri.join('')}`;
      let c = classIds.get(key);
      if (c === undefined) {
        c = this.classes.length;
        classIds.set(key, c);
        const t = targets[g] as number[];
        this.classes.push({
          id: c,
          members: [],
          namespace: e.namespace,
          hostNetwork: e.hostNetwork,
          ingressPolicies: t.filter((pi) => (this.policies[pi] as NetworkPolicy).types.has('Ingress')),
          egressPolicies: t.filter((pi) => (this.policies[pi] as NetworkPolicy).types.has('Egress')),
          np: npId,
          rep: i,
        });
        classIpTri.push(ipTri);
      }
      (this.classes[c] as ClassInfo).members.push(i);
      this.classOfEndpoint[i] = c;
    });

    // 4. Peer membership over classes, then over external blocks.
    const C = this.classes.length;
    const X = this.externalBlocks.length;
    for (let p = 0; p < this.uniquePeers.length; p++) this.peerTri.push(new Uint8Array(C + X));
    for (const cls of this.classes) {
      const g = groupOf[cls.rep] as number;
      for (const p of yes[g] as number[]) (this.peerTri[p] as Uint8Array)[cls.id] = YES;
      for (const p of maybe[g] as number[]) (this.peerTri[p] as Uint8Array)[cls.id] = MAYBE;
      const ipTri = classIpTri[cls.id] as Uint8Array;
      ipPeerIds.forEach((pid, k) => ((this.peerTri[pid] as Uint8Array)[cls.id] = ipTri[k] as number));
    }
    for (const b of this.externalBlocks) {
      const probe = b.ranges[0] as bigint;
      for (const pid of ipPeerIds) {
        const peer = (this.uniquePeers[pid] as { peer: Peer }).peer;
        if (peer.type === 'ipBlock' && rangesContain(peer.ranges, probe)) (this.peerTri[pid] as Uint8Array)[C + b.id] = YES;
      }
    }
    // Per peer: the classes/blocks it matches, certainly and possibly.
    for (const tri of this.peerTri) {
      const y: number[] = [];
      const m: number[] = [];
      tri.forEach((t, i) => {
        if (t === YES) y.push(i);
        else if (t === MAYBE) m.push(i);
      });
      this.classYes.push(Int32Array.from(y));
      this.classMaybe.push(Int32Array.from(m));
    }
  }

  private collectNotes(): string[] {
    const notes: string[] = [];
    const host = this.endpoints.filter((e) => e.hostNetwork);
    if (host.length > 0)
      notes.push(
        `${host.length} endpoint(s) use hostNetwork (${host
          .slice(0, 3)
          .map((e) => `${e.namespace}/${e.name}`)
          .join(', ')}${host.length > 3 ? ', …' : ''}): whether NetworkPolicies apply to them is up to the network plugin, so their connections are unknown`,
      );
    const hasIpBlock = this.uniquePeers.some((u) => u.peer.type === 'ipBlock');
    if (hasIpBlock && this.options.podIps !== true)
      notes.push('ipBlock peers are not matched against pod IPs (whether they apply to pod traffic depends on the network plugin; use --pod-ips when status.podIPs is known): pod connections only an ipBlock would allow are unknown');
    else if (hasIpBlock && this.endpoints.some((e) => e.ips.length === 0))
      notes.push('some endpoints have no known IP (workload templates, pods without status): pod connections only an ipBlock would allow are unknown for them');
    const unknownNs = [...this.namespaces.values()].filter((n) => !n.object).map((n) => n.name);
    const usesOtherNsLabels = this.uniquePeers.some((u) => u.peer.type === 'selector' && u.peer.namespaceSelector?.requirements.some((r) => r.key !== NAMESPACE_NAME_LABEL));
    if (unknownNs.length > 0 && usesOtherNsLabels)
      notes.push(`namespace(s) ${unknownNs.slice(0, 5).join(', ')}${unknownNs.length > 5 ? ', …' : ''} have no Namespace object in the input: namespaceSelectors on their labels (other than ${NAMESPACE_NAME_LABEL}) cannot be decided`);
    if (this.foreign.length > 0)
      notes.push(
        `${this.foreign.length} policy object(s) of other APIs are not evaluated (${[...new Set(this.foreign.map((o) => `${o.apiVersion} ${o.kind}`))].slice(0, 3).join(', ')}): they can allow or deny more than shown`,
      );
    if (this.issues.length > 0) notes.push(`${new Set(this.issues.map((i) => i.object)).size} invalid NetworkPolicy object(s) are left out: the API server would reject them`);
    return notes;
  }

  // ---------------------------------------------------------------- rows

  /** Ports each source (class or external block) may use toward class `b`, by b's ingress. */
  private ingressRow(b: number): Row {
    const cached = this.ingressRows[b];
    if (cached) return cached;
    const cls = this.classes[b] as ClassInfo;
    const n = this.classes.length + this.externalBlocks.length;
    let row: Row;
    if (cls.hostNetwork) row = { def: new Int32Array(n).fill(NONE), pos: new Int32Array(n).fill(ALL) };
    else if (cls.ingressPolicies.length === 0) {
      const all = new Int32Array(n).fill(ALL);
      row = { def: all, pos: all };
    } else {
      const def = new Int32Array(n);
      let pos: Int32Array | undefined;
      for (const pi of cls.ingressPolicies)
        for (const r of this.rulesByPolicy[pi] ?? []) {
          if (r.rule.direction !== 'Ingress') continue;
          const ps = this.rulePorts(r, cls.np);
          if (ps === NONE) continue;
          if (r.allPeers) {
            for (let i = 0; i < n; i++) def[i] = this.ports.union(def[i] as number, ps);
            if (pos) for (let i = 0; i < n; i++) pos[i] = this.ports.union(pos[i] as number, ps);
            continue;
          }
          for (const pid of r.peerIds) {
            for (const i of this.classYes[pid] as Int32Array) {
              def[i] = this.ports.union(def[i] as number, ps);
              if (pos) pos[i] = this.ports.union(pos[i] as number, ps);
            }
            const maybe = this.classMaybe[pid] as Int32Array;
            if (maybe.length > 0) {
              pos ??= def.slice();
              for (const i of maybe) pos[i] = this.ports.union(pos[i] as number, ps);
            }
          }
        }
      row = { def, pos: pos ?? def };
    }
    this.ingressRows[b] = row;
    return row;
  }

  /** Ports class `a` may use toward each destination (class or external block), by a's egress. */
  private computeEgressRow(a: number): Row {
    const cls = this.classes[a] as ClassInfo;
    const C = this.classes.length;
    const n = C + this.externalBlocks.length;
    if (cls.hostNetwork) return { def: new Int32Array(n).fill(NONE), pos: new Int32Array(n).fill(ALL) };
    if (cls.egressPolicies.length === 0) {
      const all = new Int32Array(n).fill(ALL);
      return { def: all, pos: all };
    }
    const def = new Int32Array(n);
    let pos: Int32Array | undefined;
    const npOf = (i: number): number => (i < C ? (this.classes[i] as ClassInfo).np : 0);
    for (const pi of cls.egressPolicies)
      for (const r of this.rulesByPolicy[pi] ?? []) {
        if (r.rule.direction !== 'Egress') continue;
        if (!r.hasNamed && r.fixed === NONE) continue;
        const add = (arr: Int32Array, i: number): void => {
          arr[i] = this.ports.union(arr[i] as number, this.rulePorts(r, npOf(i)));
        };
        if (r.allPeers) {
          for (let i = 0; i < n; i++) add(def, i);
          if (pos) for (let i = 0; i < n; i++) add(pos, i);
          continue;
        }
        for (const pid of r.peerIds) {
          for (const i of this.classYes[pid] as Int32Array) {
            add(def, i);
            if (pos) add(pos, i);
          }
          const maybe = this.classMaybe[pid] as Int32Array;
          if (maybe.length > 0) {
            pos ??= def.slice();
            for (const i of maybe) add(pos, i);
          }
        }
      }
    return { def, pos: pos ?? def };
  }

  private egressRow(a: number): Row {
    let row = this.egressRows.get(a);
    if (!row) {
      row = this.computeEgressRow(a);
      this.egressRows.set(a, row);
    }
    return row;
  }

  private combine(a: number, b: number, e: Row, i: Row): { def: number; pos: number } {
    const ca = this.classes[a] as ClassInfo;
    const cb = this.classes[b] as ClassInfo;
    if (ca.hostNetwork || cb.hostNetwork) return { def: NONE, pos: ALL };
    const def = this.ports.intersect(e.def[b] as number, i.def[a] as number);
    const pos = e.pos === e.def && i.pos === i.def ? def : this.ports.intersect(e.pos[b] as number, i.pos[a] as number);
    return { def, pos };
  }

  // ---------------------------------------------------------------- queries

  /** Number of equivalence classes. */
  get classCount(): number {
    return this.classes.length;
  }

  /** The class of an endpoint: endpoints of one class behave identically toward everything. */
  classOf(ep: Endpoint): number {
    const i = this.endpointIndex.get(ep);
    if (i === undefined) throw new Error(`endpoint ${ep.id} is not of this engine`);
    return this.classOfEndpoint[i] as number;
  }

  /**
   * Endpoints named `NAMESPACE/NAME` (any kind) or `NAMESPACE/KIND/NAME` (kind case-insensitive).
   * More than one result means the name is ambiguous.
   */
  findEndpoints(ref: string): Endpoint[] {
    const parts = ref.split('/');
    if (parts.length === 2) return this.endpoints.filter((e) => e.namespace === parts[0] && e.name === parts[1]);
    if (parts.length === 3) return this.endpoints.filter((e) => e.namespace === parts[0] && e.kind.toLowerCase() === (parts[1] ?? '').toLowerCase() && e.name === parts[2]);
    return [];
  }

  /** The endpoint with this pod IP (only with the podIps option). */
  endpointByIp(address: bigint): Endpoint | undefined {
    if (this.options.podIps !== true) return undefined;
    return this.endpoints.find((e) => e.ips.includes(address));
  }

  /** The external block holding an address. */
  externalBlockOf(address: bigint): ExternalBlock | undefined {
    return this.externalBlocks.find((b) => rangesContain(b.ranges, address));
  }

  /** Policies selecting an endpoint, per direction. */
  selecting(ep: Endpoint): { readonly ingress: readonly NetworkPolicy[]; readonly egress: readonly NetworkPolicy[] } {
    const c = this.classes[this.classOf(ep)] as ClassInfo;
    return { ingress: c.ingressPolicies.map((i) => this.policies[i] as NetworkPolicy), egress: c.egressPolicies.map((i) => this.policies[i] as NetworkPolicy) };
  }

  /** Endpoints a policy selects (its podSelector, in its namespace). */
  selectedBy(policy: NetworkPolicy): Endpoint[] {
    const pi = this.policyIndex.get(policy);
    if (pi === undefined) return [];
    return this.endpoints.filter((_, i) => {
      const c = this.classes[this.classOfEndpoint[i] as number] as ClassInfo;
      return c.ingressPolicies.includes(pi) || c.egressPolicies.includes(pi);
    });
  }

  /**
   * Endpoints a peer of a rule matches: `certain` false when the match cannot be decided
   * (ipBlock against unknown pod IPs, namespace labels unknown).
   */
  matchedByPeer(rule: PolicyRule, peerIndex: number): { readonly endpoint: Endpoint; readonly certain: boolean }[] {
    const info = this.ruleInfoOf.get(rule);
    const pid = info?.peerIds[peerIndex];
    if (pid === undefined) return [];
    const tri = this.peerTri[pid] as Uint8Array;
    const out: { endpoint: Endpoint; certain: boolean }[] = [];
    this.endpoints.forEach((endpoint, i) => {
      const t = tri[this.classOfEndpoint[i] as number];
      if (t === YES || t === MAYBE) out.push({ endpoint, certain: t === YES });
    });
    return out;
  }

  private reachClasses(a: number, b: number): { def: number; pos: number } {
    return this.combine(a, b, this.egressRow(a), this.ingressRow(b));
  }

  /** Ports on which `src` can open connections to `dst` (both endpoints). */
  reach(src: Endpoint, dst: Endpoint): Reach {
    if (src === dst && src.single) return { allowed: ALL_PORTS, possible: ALL_PORTS };
    const r = this.reachClasses(this.classOf(src), this.classOf(dst));
    return { allowed: this.ports.get(r.def), possible: this.ports.get(r.pos) };
  }

  /** Ports on which `src` can connect to addresses of an external block (egress only decides). */
  reachExternal(src: Endpoint, block: ExternalBlock): Reach {
    const row = this.egressRow(this.classOf(src));
    const i = this.classes.length + block.id;
    return { allowed: this.ports.get(row.def[i] as number), possible: this.ports.get(row.pos[i] as number) };
  }

  /** Ports on which addresses of an external block can connect to `dst` (ingress only decides). */
  reachFromExternal(block: ExternalBlock, dst: Endpoint): Reach {
    const row = this.ingressRow(this.classOf(dst));
    const i = this.classes.length + block.id;
    return { allowed: this.ports.get(row.def[i] as number), possible: this.ports.get(row.pos[i] as number) };
  }

  private partyIndex(p: Party): { index: number; np: number; block?: ExternalBlock } | undefined {
    if (p.type === 'endpoint') {
      const c = this.classOf(p.endpoint);
      return { index: c, np: (this.classes[c] as ClassInfo).np };
    }
    const block = this.externalBlockOf(p.address);
    return block ? { index: this.classes.length + block.id, np: 0, block } : undefined;
  }

  private explainSide(direction: Direction, subject: Endpoint | undefined, other: { index: number }, dstNp: number, probe: ((ps: PortSet) => boolean) | undefined): SideExplanation {
    if (!subject) {
      return { direction, isolated: false, policies: [], matches: [], verdict: 'allowed', reason: `addresses outside the cluster have no ${direction.toLowerCase()} policy here` };
    }
    const cls = this.classes[this.classOf(subject)] as ClassInfo;
    const policyIdx = direction === 'Ingress' ? cls.ingressPolicies : cls.egressPolicies;
    const policies = policyIdx.map((i) => this.policies[i] as NetworkPolicy);
    if (subject.hostNetwork)
      return { direction, subject, isolated: policies.length > 0, policies, matches: [], verdict: 'unknown', reason: `${subject.namespace}/${subject.name} uses hostNetwork: whether policies apply is up to the network plugin` };
    if (policies.length === 0)
      return { direction, subject, isolated: false, policies, matches: [], verdict: 'allowed', reason: `no policy selects ${subject.namespace}/${subject.name} for ${direction.toLowerCase()}: not isolated, everything is allowed` };
    const matches: RuleMatch[] = [];
    let best: Tri = NO;
    for (const pi of policyIdx)
      for (const r of this.rulesByPolicy[pi] ?? []) {
        if (r.rule.direction !== direction) continue;
        const ps = this.ports.get(this.rulePorts(r, dstNp));
        if (isEmptyPorts(ps)) continue;
        const portOk = probe ? probe(ps) : true;
        if (!portOk) continue;
        if (r.allPeers) {
          matches.push({ policy: r.policy, rule: r.rule, certain: true, ports: ps });
          best = YES;
          continue;
        }
        let ruleBest: Tri = NO;
        let bestPeer: Peer | undefined;
        for (let k = 0; k < r.peerIds.length; k++) {
          const t = (this.peerTri[r.peerIds[k] as number] as Uint8Array)[other.index] as Tri;
          if (t !== NO && (ruleBest === NO || (ruleBest === MAYBE && t === YES))) {
            ruleBest = t;
            bestPeer = r.peers[k];
          }
        }
        if (ruleBest === NO) continue;
        matches.push({ policy: r.policy, rule: r.rule, ...(bestPeer ? { peer: bestPeer } : {}), certain: ruleBest === YES, ports: ps });
        best = triMax(best, ruleBest);
      }
    const verdict: Verdict = best === YES ? 'allowed' : best === MAYBE ? 'unknown' : 'denied';
    const reason =
      verdict === 'allowed'
        ? `allowed by ${matches.filter((m) => m.certain).length} rule(s) of the ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} selecting it`
        : verdict === 'unknown'
          ? 'only rules whose peer match cannot be decided would allow it'
          : `isolated by ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} and no rule allows it`;
    return { direction, subject, isolated: true, policies, matches, verdict, reason };
  }

  /**
   * Can `src` open a connection to `dst`, on one port (`protocol` + `port`) or on any port,
   * and which policies and rules decide it on each side?
   */
  decide(src: Party, dst: Party, probe?: { readonly protocol: Protocol; readonly port: number }): Decision {
    const reasons: string[] = [];
    const s = this.partyIndex(src);
    const d = this.partyIndex(dst);
    if (!s || !d) throw new Error('address is not an IPv4 or IPv6 address');
    const test = probe ? (ps: PortSet): boolean => hasPort(ps, probe.protocol, probe.port) : undefined;
    const srcEp = src.type === 'endpoint' ? src.endpoint : undefined;
    const dstEp = dst.type === 'endpoint' ? dst.endpoint : undefined;
    let allowed: PortSet;
    let possible: PortSet;
    if (srcEp && dstEp) {
      const r = this.reach(srcEp, dstEp);
      allowed = r.allowed;
      possible = r.possible;
      if (srcEp === dstEp && srcEp.single) reasons.push('a pod can always connect to itself');
      if (srcEp.hostNetwork || dstEp.hostNetwork) reasons.push('a hostNetwork pod is involved: enforcement is up to the network plugin');
    } else if (srcEp && d.block) {
      const r = this.reachExternal(srcEp, d.block);
      allowed = r.allowed;
      possible = r.possible;
    } else if (dstEp && s.block) {
      const r = this.reachFromExternal(s.block, dstEp);
      allowed = r.allowed;
      possible = r.possible;
    } else {
      allowed = ALL_PORTS;
      possible = ALL_PORTS;
      reasons.push('neither side is a pod of the input: no NetworkPolicy applies');
    }
    const unknown = this.ports.get(this.ports.subtract(this.ports.intern(possible), this.ports.intern(allowed)));
    let verdict: Verdict;
    if (probe) verdict = hasPort(allowed, probe.protocol, probe.port) ? 'allowed' : hasPort(possible, probe.protocol, probe.port) ? 'unknown' : 'denied';
    else verdict = !isEmptyPorts(allowed) ? 'allowed' : !isEmptyPorts(possible) ? 'unknown' : 'denied';
    const egress = this.explainSide('Egress', srcEp, d, d.np, test);
    const ingress = this.explainSide('Ingress', dstEp, s, d.np, test);
    if (src.type === 'external' || dst.type === 'external') {
      if (dst.type === 'external' && srcEp && egress.matches.some((m) => m.rule.ports.some((p) => typeof p.port === 'string'))) reasons.push('named ports never match addresses outside the cluster');
    }
    return { verdict, ...(probe ? { protocol: probe.protocol, port: probe.port } : {}), allowed, unknown, egress, ingress, reasons };
  }

  /** The equivalence classes, in class order: their members and how policies isolate them. */
  classList(): readonly EndpointClass[] {
    return this.classes.map((c) => ({
      members: c.members.map((i) => this.endpoints[i] as Endpoint),
      namespace: c.namespace,
      hostNetwork: c.hostNetwork,
      ingressIsolated: c.ingressPolicies.length > 0,
      egressIsolated: c.egressPolicies.length > 0,
    }));
  }

  /**
   * The whole cluster's reachability, counted over ordered pairs of distinct endpoints. `visit`, when given, sees each
   * pair of classes with members to pair (a, b) and its verdict, in the same pass (the matrix summary's per-class view).
   */
  summary(visit?: (a: number, b: number, verdict: Verdict) => void): ReachabilitySummary {
    const C = this.classes.length;
    const X = this.externalBlocks.length;
    let total = 0;
    let allowed = 0;
    let open = 0;
    let denied = 0;
    let unknown = 0;
    // reachableFrom[b]: endpoints (other than b's own) that reach class b on some port.
    const reachedBy = new Float64Array(C);
    let egressExt = 0;
    let ingressExt = 0;
    for (let b = 0; b < C; b++) this.ingressRow(b);
    for (let a = 0; a < C; a++) {
      const ca = this.classes[a] as ClassInfo;
      const e = this.computeEgressRow(a);
      for (let b = 0; b < C; b++) {
        const cb = this.classes[b] as ClassInfo;
        const selfPairs = a === b ? ca.members.length : 0;
        const w = ca.members.length * cb.members.length - selfPairs;
        if (w === 0) continue;
        const r = this.combine(a, b, e, this.ingressRow(b));
        visit?.(a, b, r.def !== NONE ? 'allowed' : r.pos === NONE ? 'denied' : 'unknown');
        total += w;
        if (r.def !== NONE) {
          allowed += w;
          reachedBy[b] = (reachedBy[b] as number) + w;
          if (r.def === ALL) open += w;
        } else if (r.pos === NONE) denied += w;
        else unknown += w;
      }
      let ext = false;
      for (let x = 0; x < X && !ext; x++) if (e.def[C + x] !== NONE) ext = true;
      if (ext) egressExt += ca.members.length;
    }
    let reachableFromAll = 0;
    const n = this.endpoints.length;
    for (let b = 0; b < C; b++) {
      const cb = this.classes[b] as ClassInfo;
      if ((reachedBy[b] as number) === cb.members.length * (n - 1)) reachableFromAll += cb.members.length;
      const row = this.ingressRow(b);
      let ext = false;
      for (let x = 0; x < X && !ext; x++) if (row.def[C + x] !== NONE) ext = true;
      if (ext) ingressExt += cb.members.length;
    }
    const isoIn = this.classes.reduce((s, c) => s + (c.ingressPolicies.length > 0 ? c.members.length : 0), 0);
    const isoEg = this.classes.reduce((s, c) => s + (c.egressPolicies.length > 0 ? c.members.length : 0), 0);
    const host = this.classes.reduce((s, c) => s + (c.hostNetwork ? c.members.length : 0), 0);
    return {
      endpoints: n,
      namespaces: this.namespaces.size,
      policies: this.policies.length,
      invalidPolicies: new Set(this.issues.map((i) => i.object)).size,
      classes: C,
      externalBlocks: X,
      isolated: { ingress: isoIn, egress: isoEg, hostNetwork: host },
      pairs: { total, allowed, open, denied, unknown },
      reachableFromAll,
      egressToExternal: egressExt,
      ingressFromExternal: ingressExt,
    };
  }

  /** Parse an address argument into a party; undefined when it is not an IP address. */
  static parseAddress(text: string): { address: bigint; text: string } | undefined {
    const ip = parseIp(text);
    return ip ? { address: ip.value, text: formatIp(ip.value) } : undefined;
  }
}

/** Build the engine for an inventory. Pure; the result is immutable from the outside. */
export function buildNetpolEngine(inventory: Inventory, options: NetpolOptions = {}): NetpolEngine {
  return new NetpolEngine(inventory, options);
}
