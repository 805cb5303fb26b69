/**
 * The RBAC authorizer: an index of roles and bindings built once (subjects → bindings → roles,
 * per namespace) that answers can-i, who-can and "what can X do" exactly as kube-apiserver's RBAC
 * authorizer would, with the binding → role → rule behind every yes.
 */
import type { Problem } from '../../core/finding.js';
import type { Inventory } from '../../model/inventory.js';
import { getString, toK8sObject, type K8sObject } from '../../model/object.js';
import { podSpecOf } from '../../model/podspec.js';
import { aggregateClusterRoles } from './aggregate.js';
import { BOOTSTRAP_POLICY_JSON } from './bootstrap-data.generated.js';
import { ProblemSink, readBinding, readRole, type Binding, type BindingRecord, type RoleRecord, type SubjectRecord } from './objects.js';
import { compileRule, ruleAllows, uncoveredRules, type CompiledRule, type PolicyRule, type Request, type ResourceRequest } from './rules.js';
import { SYSTEM_MASTERS, serviceAccountUser, splitServiceAccountUser, type SubjectRef, type UserInfo } from './subjects.js';

export interface RoleEntry {
  readonly record: RoleRecord;
  /** Effective rules: for aggregated ClusterRoles, the rules the aggregation controller computes. */
  readonly rules: readonly CompiledRule[];
  /** `ClusterRole name` or `Role ns/name`. */
  readonly display: string;
}

export interface BindingEntry {
  readonly record: BindingRecord;
  /** The role it references, when present and of a valid kind. */
  readonly role: RoleEntry | undefined;
  /** Why it grants nothing, when it does not resolve. */
  readonly unresolved?: 'missing-role' | 'wrong-kind' | undefined;
  /** `ClusterRoleBinding name` or `RoleBinding ns/name`. */
  readonly display: string;
  /** Position in `RbacIndex.bindings`. */
  readonly ordinal: number;
}

/**
 * A RoleEntry whose rules are compiled, and whose display text written, when first read: a question such as can-i
 * reads the rules of the few roles bound to its user, not of all 10,000 (~45,000 compiled rules of 112 bytes each,
 * kept for the whole run).
 */
class Role implements RoleEntry {
  private text: string | undefined;
  constructor(
    readonly record: RoleRecord,
    private compiled: readonly CompiledRule[] | undefined,
  ) {}
  get rules(): readonly CompiledRule[] {
    return (this.compiled ??= this.record.rules.map((rule, i) => compileRule(rule, i)));
  }
  get display(): string {
    return (this.text ??= this.record.kind === 'Role' ? `Role ${this.record.namespace ?? ''}/${this.record.name}` : `ClusterRole ${this.record.name}`);
  }
}

/**
 * What is said of a binding whose role is not in the input — by the queries' "unknown" lines and by every RBAC check
 * (the same words, so that a report lists it once for all of them).
 */
export function missingRoleText(b: BindingEntry): string {
  return `${b.display} references ${b.record.roleRef.kind} ${b.record.roleRef.name}, which is not in the input: what it grants is unknown`;
}

/** One reason for a yes: this subject of this binding gets this rule of this role. */
export interface Grant {
  readonly binding: BindingEntry;
  readonly subject: SubjectRecord;
  readonly role: RoleEntry;
  readonly rule: CompiledRule;
}

export interface Decision {
  /** True only when a rule (or system:masters) allows the request. False also when the answer is unknown. */
  readonly allowed: boolean;
  /**
   * `system:masters` bypasses RBAC (the privileged-groups authorizer runs first); `rbac`: a rule allows it;
   * `no-rule`: nothing allows it; `unknown`: nothing known allows it, but a binding that applies references a
   * role that is not in the input (see `unknown`) — that role could.
   */
  readonly reason: 'system:masters' | 'rbac' | 'no-rule' | 'unknown';
  /** Every grant that allows the request (the authorizer stops at the first; kspect lists all). */
  readonly grants: readonly Grant[];
  /** Bindings that apply to the user here but reference a role missing from the input (each with the subject that matched). */
  readonly unknown: readonly [BindingEntry, SubjectRecord][];
}

/** A who-can answer that could not be decided: a binding in scope whose role is not in the input. */
export interface WhoCanUnknown {
  readonly binding: BindingEntry;
  /** `cluster` for ClusterRoleBindings, else the RoleBinding's namespace. */
  readonly scope: string;
}

/** A who-can answer: the grant (binding → role → rule, for this subject) and where it applies. */
export interface WhoCanEntry extends Grant {
  /** `cluster` for ClusterRoleBindings, else the RoleBinding's namespace. */
  readonly scope: string;
}

export interface RbacOptions {
  /**
   * Add the Kubernetes default policy (bootstrap roles and bindings) where the input lacks an object of
   * the same kind and name: `roles` adds only the default Roles and ClusterRoles (so bindings to
   * `edit`, `view`, `admin`… resolve), `all` adds the default bindings too. Default `none`.
   */
  readonly defaults?: 'none' | 'roles' | 'all';
  /** Kubernetes version the input targets, e.g. `1.34` (version-dependent semantics). */
  readonly k8sVersion?: string;
  /** Namespace of Roles and RoleBindings that name none (as `kubectl apply -n NS`); default `default`. */
  readonly defaultNamespace?: string;
}

const BOOTSTRAP_URI = 'kspect:rbac-bootstrap';
let bootstrapCache: readonly K8sObject[] | undefined;

/** The Kubernetes default RBAC policy as objects (Apache-2.0, The Kubernetes Authors; see data/rbac-bootstrap.json). */
export function bootstrapPolicyObjects(): readonly K8sObject[] {
  if (bootstrapCache) return bootstrapCache;
  const doc = JSON.parse(BOOTSTRAP_POLICY_JSON) as { objects: unknown[] };
  const out: K8sObject[] = [];
  for (const raw of doc.objects) {
    const o = toK8sObject(raw, { source: { type: 'file', uri: BOOTSTRAP_URI }, locate: () => undefined });
    if (o) out.push(o);
  }
  bootstrapCache = out;
  return out;
}

function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'Role' ? `Role/${namespace ?? ''}/${name}` : `ClusterRole/${name}`;
}

/** The key of a binding subject in the subject index: `u:USER` (a service account is its user name) or `g:GROUP`. */
export function subjectKeyOf(s: SubjectRecord): string {
  if (s.kind === 'ServiceAccount') return `u:${serviceAccountUser(s.namespace ?? '', s.name)}`;
  return s.kind === 'User' ? `u:${s.name}` : `g:${s.name}`;
}

type SubjectIndex = Map<string, [BindingEntry, SubjectRecord][]>;

/** Questions answered by walking the bindings before the subject index is built. */
const SCANS_BEFORE_INDEX = 16;
const SA_KEY_PREFIX = 'u:system:serviceaccount:';


function addTo(index: SubjectIndex, key: string, v: [BindingEntry, SubjectRecord]): void {
  const list = index.get(key);
  if (list) list.push(v);
  else index.set(key, [v]);
}

export function subjectOf(s: SubjectRecord): SubjectRef {
  return s.kind === 'ServiceAccount' ? { kind: 'ServiceAccount', name: s.name, namespace: s.namespace ?? '' } : { kind: s.kind, name: s.name };
}

/** The index. Build it with `buildRbacIndex`. */
export class RbacIndex {
  readonly roles = new Map<string, RoleEntry>();
  readonly bindings: BindingEntry[] = [];
  readonly clusterBindings: BindingEntry[] = [];
  readonly roleBindingsByNamespace = new Map<string, BindingEntry[]>();
  /**
   * What the engine could not read or assumed (a rule of the wrong type, a binding without roleRef, a Role without a
   * namespace) — without the summary of the bindings to missing roles (see `problems`).
   */
  readonly readProblems: Problem[];
  private missingSaid = false;
  /**
   * `readProblems`, then (when there are any) one warning for the bindings to roles that are not in the input, located
   * at the first. Made on first use: locating an item of a large List walks the List (~0.1 s at 80,000 items), and a
   * query that says the missing roles in its answer never asks.
   */
  get problems(): Problem[] {
    if (!this.missingSaid) {
      this.missingSaid = true;
      // Reported by the rbac-missing-role check and the CLI; listed here too so the library user sees it — once: a
      // cluster with thousands of such bindings gets one line with the count and the first few, not a line each.
      const problem = missingRoleProblem(this.missingRoleBindings.filter((b) => !b.record.isDefault));
      if (problem) this.readProblems.push(problem);
    }
    return this.readProblems;
  }
  /** Service accounts known from the input (binding subjects, objects, pod specs), by namespace; collected on first use. */
  get serviceAccounts(): Map<string, Set<string>> {
    if (!this.sas) {
      const m = new Map<string, Set<string>>();
      this.sas = m;
      for (const b of this.bindings) for (const s of b.record.subjects) if (s.kind === 'ServiceAccount' && s.namespace !== undefined) this.addServiceAccount(s.namespace, s.name);
      for (const [ns, name] of this.pendingSas) this.addServiceAccount(ns, name);
      this.pendingSas.length = 0;
    }
    return this.sas;
  }

  private sas: Map<string, Set<string>> | undefined;
  private readonly pendingSas: [string, string][] = [];
  /** Service accounts that pods and workloads of the input run as, by namespace. */
  readonly podServiceAccounts = new Map<string, Set<string>>();
  /** Legacy token Secrets (type kubernetes.io/service-account-token): namespace → secret name → service account. Values are never read. */
  readonly tokenSecrets = new Map<string, Map<string, string>>();
  readonly k8sVersion: string | undefined;
  /**
   * Bindings by subject key (`u:NAME`, `g:NAME`): built on the first question that needs them after a few (see
   * SCANS_BEFORE_INDEX); until then a question walks the bindings in scope, with the same answer in the same order.
   * One question (the CLI's can-i) does not pay for indexing 100,000 subjects, and who-can never needs them.
   */
  private clusterBySubject: SubjectIndex | undefined;
  private namespacedBySubject: Map<string, SubjectIndex> | undefined;
  private scans = 0;
  /** Built on first use (the checks ask by object; the rbac commands never do). */
  private bindingByObject: Map<K8sObject, BindingEntry> | undefined;
  private roleByObject: Map<K8sObject, RoleEntry> | undefined;
  /** Roles by name, without building a key string per lookup. */
  private readonly clusterRolesByName = new Map<string, RoleEntry>();
  private readonly rolesByNamespace = new Map<string, Map<string, RoleEntry>>();
  /** Bindings whose role is not in the input: they make answers about their subjects unknown. */
  readonly missingRoleBindings: BindingEntry[] = [];
  /**
   * Bindings that resolve to each role: who-can evaluates each role once, then walks only its bindings. Made on first
   * use: can-i and access never ask (50,000 bindings into 10,000 lists).
   */
  private byRole: Map<RoleEntry, BindingEntry[]> | undefined;
  private get bindingsByRole(): Map<RoleEntry, BindingEntry[]> {
    if (!this.byRole) {
      const byRole = new Map<RoleEntry, BindingEntry[]>();
      for (const entry of this.bindings) {
        const role = entry.role;
        if (!role) continue;
        const list = byRole.get(role);
        if (list) list.push(entry);
        else byRole.set(role, [entry]);
      }
      this.byRole = byRole;
    }
    return this.byRole;
  }

  /** `keys`: each role's key in `roles` (`roleKey`), when the caller has them. */
  constructor(roles: readonly RoleEntry[], bindings: readonly Binding[], problems: Problem[], k8sVersion: string | undefined, keys?: readonly string[]) {
    this.readProblems = problems;
    this.k8sVersion = k8sVersion;
    for (let i = 0; i < roles.length; i++) {
      const r = roles[i] as RoleEntry;
      this.roles.set(keys?.[i] ?? roleKey(r.record.kind, r.record.namespace, r.record.name), r);
      if (r.record.kind === 'ClusterRole') this.clusterRolesByName.set(r.record.name, r);
      else {
        const ns = r.record.namespace ?? '';
        let m = this.rolesByNamespace.get(ns);
        if (!m) this.rolesByNamespace.set(ns, (m = new Map<string, RoleEntry>()));
        m.set(r.record.name, r);
      }
    }
    // Indexed, as buildRbacIndex's loops (its loops run once each).
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i] as Binding;
      const ref = b.roleRef;
      let role: RoleEntry | undefined;
      let unresolved: BindingEntry['unresolved'];
      const validKind = b.kind === 'ClusterRoleBinding' ? ref.kind === 'ClusterRole' : ref.kind === 'Role' || ref.kind === 'ClusterRole';
      if (!validKind) unresolved = 'wrong-kind';
      else {
        role = ref.kind === 'ClusterRole' ? this.clusterRolesByName.get(ref.name) : this.rolesByNamespace.get(b.namespace ?? '')?.get(ref.name);
        if (!role) unresolved = 'missing-role';
      }
      // The binding is its own entry (objects.ts): completed here.
      b.role = role;
      b.unresolved = unresolved;
      b.ordinal = this.bindings.length;
      const entry: BindingEntry = b;
      this.bindings.push(entry);
      if (unresolved === 'missing-role') this.missingRoleBindings.push(entry);
      if (b.kind === 'ClusterRoleBinding') this.clusterBindings.push(entry);
      else {
        const ns = b.namespace ?? 'default';
        let list = this.roleBindingsByNamespace.get(ns);
        if (!list) this.roleBindingsByNamespace.set(ns, (list = []));
        list.push(entry);
      }
    }
  }

  /** The subject index, built now if it is not yet (in binding order, as the scans answer). */
  private subjectIndex(): { cluster: SubjectIndex; namespaced: Map<string, SubjectIndex> } {
    if (!this.clusterBySubject || !this.namespacedBySubject) {
      const cluster: SubjectIndex = new Map();
      const namespaced = new Map<string, SubjectIndex>();
      for (const entry of this.bindings) {
        const b = entry.record;
        if (b.kind === 'ClusterRoleBinding') {
          for (const s of b.subjects) addTo(cluster, subjectKeyOf(s), [entry, s]);
          continue;
        }
        const ns = b.namespace ?? 'default';
        let idx = namespaced.get(ns);
        if (!idx) namespaced.set(ns, (idx = new Map<string, [BindingEntry, SubjectRecord][]>()));
        for (const s of b.subjects) addTo(idx, subjectKeyOf(s), [entry, s]);
      }
      this.clusterBySubject = cluster;
      this.namespacedBySubject = namespaced;
    }
    return { cluster: this.clusterBySubject, namespaced: this.namespacedBySubject };
  }

  /**
   * Every binding's subjects by name, in binding order (binding, subject, binding, subject…): made on the first
   * question asked before the subject index exists. A question looks up its user's names, not every binding's
   * subjects (can-i walked the 5,000 ClusterRoleBindings seven times and the 45,000 RoleBindings once), and no key
   * string is written per subject.
   */
  private subjectsByName: Map<string, (BindingEntry | SubjectRecord)[]> | undefined;

  /**
   * Append to `out` the subjects whose key (subjectKeyOf) is `key`, in binding order, of the ClusterRoleBindings
   * (`cluster`), of the RoleBindings of a namespace, or (undefined) of every RoleBinding: what a walk of those
   * bindings testing each subject would find.
   */
  private subjectsWithKey(key: string, out: [BindingEntry, SubjectRecord][], scope: string | undefined): void {
    let byName = this.subjectsByName;
    if (!byName) {
      byName = this.subjectsByName = new Map();
      for (const b of this.bindings)
        for (const s of b.record.subjects) {
          const list = byName.get(s.name);
          if (list) list.push(b, s);
          else byName.set(s.name, [b, s]);
        }
    }
    const from = out.length;
    const add = (name: string, kind: SubjectRecord['kind'], namespace: string | undefined): void => {
      const list = byName.get(name);
      if (!list) return;
      for (let i = 0; i < list.length; i += 2) {
        const b = list[i] as BindingEntry;
        const s = list[i + 1] as SubjectRecord;
        if (s.kind !== kind || (namespace !== undefined && (s.namespace ?? '') !== namespace)) continue;
        const r = b.record;
        if (scope === 'cluster' ? r.kind !== 'ClusterRoleBinding' : r.kind !== 'RoleBinding' || (scope !== undefined && (r.namespace ?? 'default') !== scope)) continue;
        out.push([b, s]);
      }
    };
    if (key.startsWith('g:')) {
      add(key.slice(2), 'Group', undefined);
      return;
    }
    if (!key.startsWith('u:')) return;
    add(key.slice(2), 'User', undefined);
    if (!key.startsWith(SA_KEY_PREFIX)) return;
    // A service account's user name: every way to read the rest as NAMESPACE:NAME (one, unless a namespace holds a colon).
    const rest = key.slice(SA_KEY_PREFIX.length);
    let runs = out.length > from ? 1 : 0;
    for (let colon = rest.indexOf(':'); colon >= 0; colon = rest.indexOf(':', colon + 1)) {
      const before = out.length;
      add(rest.slice(colon + 1), 'ServiceAccount', rest.slice(0, colon));
      if (out.length > before) runs++;
    }
    // The users and the service accounts of one key, found apart: back in binding order (then subject order).
    if (runs > 1) {
      const found = out.splice(from).sort(([a, s], [b, t]) => a.ordinal - b.ordinal || s.index - t.index);
      for (const p of found) out.push(p);
    }
  }

  /** True while questions should walk the bindings instead of building the subject index. */
  private scanning(): boolean {
    return this.clusterBySubject === undefined && ++this.scans <= SCANS_BEFORE_INDEX;
  }

  addServiceAccount(namespace: string, name: string): void {
    if (!this.sas) {
      this.pendingSas.push([namespace, name]);
      return;
    }
    let set = this.sas.get(namespace);
    if (!set) this.sas.set(namespace, (set = new Set()));
    set.add(name);
  }

  /** The binding built from this inventory object. */
  bindingOf(obj: K8sObject): BindingEntry | undefined {
    // The RBAC checks visit a binding one after the other, most asking for its entry: the last answer is kept. They
    // visit the bindings in input order, as the index holds them: the entry after the last one found is tried next,
    // and the map by object is built only when that is not the one (an object that is no binding entry, another order).
    if (obj === this.lastBindingObject) return this.lastBinding;
    const following = this.bindings[this.nextBinding];
    let b: BindingEntry | undefined;
    if (following !== undefined && following.record.object === obj) b = following;
    else {
      if (!this.bindingByObject) {
        this.bindingByObject = new Map();
        for (const x of this.bindings) if (x.record.object) this.bindingByObject.set(x.record.object, x);
      }
      b = this.bindingByObject.get(obj);
    }
    if (b !== undefined) this.nextBinding = b.ordinal + 1;
    this.lastBindingObject = obj;
    this.lastBinding = b;
    return b;
  }

  private lastBindingObject: K8sObject | undefined;
  private lastBinding: BindingEntry | undefined;
  /** The ordinal of the binding after the last one bindingOf found. */
  private nextBinding = 0;

  roleOf(obj: K8sObject): RoleEntry | undefined {
    if (!this.roleByObject) {
      this.roleByObject = new Map();
      for (const r of this.roles.values()) if (r.record.object) this.roleByObject.set(r.record.object, r);
    }
    return this.roleByObject.get(obj);
  }

  clusterRole(name: string): RoleEntry | undefined {
    return this.clusterRolesByName.get(name);
  }

  role(namespace: string, name: string): RoleEntry | undefined {
    return this.rolesByNamespace.get(namespace)?.get(name);
  }

  /**
   * The bindings that apply to a user in a namespace (ClusterRoleBindings always), each once, with the first of its
   * subjects that matches — ClusterRoleBindings first, as the authorizer visits them.
   */
  bindingsFor(user: UserInfo, namespace: string | undefined): [BindingEntry, SubjectRecord][] {
    const keys = this.userKeys(user);
    const out: [BindingEntry, SubjectRecord][] = [];
    if (this.scanning()) {
      // What the index lookups below give: per key, the matching subjects of the bindings in binding order.
      for (const k of keys) this.subjectsWithKey(k, out, 'cluster');
      if (namespace !== undefined && namespace !== '' && this.roleBindingsByNamespace.has(namespace)) for (const k of keys) this.subjectsWithKey(k, out, namespace);
      return this.firstSubjects(out);
    }
    const { cluster, namespaced } = this.subjectIndex();
    for (const k of keys) {
      const l = cluster.get(k);
      if (l) for (const x of l) out.push(x);
    }
    if (namespace !== undefined && namespace !== '') {
      const idx = namespaced.get(namespace);
      if (idx)
        for (const k of keys) {
          const l = idx.get(k);
          if (l) for (const x of l) out.push(x);
        }
    }
    return this.firstSubjects(out);
  }

  /**
   * One entry per binding, with its first subject that applies (the lowest subject index), in the order the bindings
   * first appear. A binding seen twice is found by a stamp per binding ordinal, without allocating; the escalation
   * graph (paths.ts) uses it too.
   */
  firstSubjects<P extends readonly [BindingEntry, SubjectRecord]>(pairs: P[]): P[] {
    if (pairs.length < 2) return pairs;
    const marks = (this.marks ??= new Uint32Array(this.bindings.length));
    if (this.stampCounter === 0xffffffff) {
      marks.fill(0);
      this.stampCounter = 0;
    }
    const stamp = ++this.stampCounter;
    let twice = false;
    for (const [b] of pairs) {
      if (marks[b.ordinal] === stamp) twice = true;
      marks[b.ordinal] = stamp;
    }
    if (!twice) return pairs;
    const first = new Map<BindingEntry, P>();
    for (const p of pairs) {
      const seen = first.get(p[0]);
      if (!seen || p[1].index < seen[1].index) first.set(p[0], p);
    }
    return [...first.values()];
  }

  /**
   * The RoleBindings that apply to the user, by namespace (sorted), each once with its first matching subject: what
   * `namespacesFor` and `bindingsFor` per namespace give, in one pass over the user's subject keys.
   */
  roleBindingsFor(user: UserInfo): [string, [BindingEntry, SubjectRecord][]][] {
    const bySubject = (this.roleBindingsBySubject ??= this.roleBindingsByKey());
    const keys = this.userKeys(user);
    let only: readonly [BindingEntry, SubjectRecord][] | undefined;
    let several = false;
    for (const k of keys) {
      const l = bySubject.get(k);
      if (!l) continue;
      if (only === undefined) only = l;
      else several = true;
    }
    if (only === undefined) return [];
    const out: [string, [BindingEntry, SubjectRecord][]][] = [];
    if (!several) {
      // One key: its pairs are sorted by namespace already; each run of a namespace is one scope.
      let run: [BindingEntry, SubjectRecord][] = [];
      let ns = '';
      for (const pair of only) {
        const pns = pair[0].record.namespace ?? 'default';
        if (run.length > 0 && pns !== ns) {
          out.push([ns, this.firstSubjects(run)]);
          run = [];
        }
        ns = pns;
        run.push(pair);
      }
      out.push([ns, this.firstSubjects(run)]);
      return out;
    }
    const byNs = new Map<string, [BindingEntry, SubjectRecord][]>();
    for (const k of keys)
      for (const pair of bySubject.get(k) ?? []) {
        const ns = pair[0].record.namespace ?? 'default';
        const list = byNs.get(ns);
        if (list) list.push(pair);
        else byNs.set(ns, [pair]);
      }
    for (const ns of [...byNs.keys()].sort()) {
      const pairs = byNs.get(ns) ?? [];
      out.push([ns, this.firstSubjects(pairs)]);
    }
    return out;
  }

  /** Subject key → its RoleBindings in namespace order (a stable sort: binding order within a namespace). */
  private roleBindingsByKey(): Map<string, [BindingEntry, SubjectRecord][]> {
    const out = new Map<string, [BindingEntry, SubjectRecord][]>();
    // The namespaces of the subject index, sorted: each key's pairs are appended namespace by namespace.
    const namespaced = this.subjectIndex().namespaced;
    for (const ns of [...namespaced.keys()].sort())
      for (const [k, list] of namespaced.get(ns) ?? []) {
        const all = out.get(k);
        if (all) for (const x of list) all.push(x);
        else out.set(k, [...list]);
      }
    return out;
  }

  private roleBindingsBySubject: Map<string, [BindingEntry, SubjectRecord][]> | undefined;

  /** The subject keys of a user (`u:NAME`, then `g:GROUP` per group): a binding applies when one of them is its subject's `subjectKeyOf`. */
  userKeys(user: UserInfo): readonly string[] {
    let keys = this.keysOf.get(user);
    if (!keys) {
      const out = [`u:${user.name}`];
      for (const g of user.groups) {
        // A group's key once per index: every service account of a namespace is in its two groups.
        let k = this.groupKeys.get(g);
        if (k === undefined) {
          k = `g:${g}`;
          if (this.groupKeys.size < 100_000) this.groupKeys.set(g, k);
        }
        out.push(k);
      }
      this.keysOf.set(user, (keys = out));
    }
    return keys;
  }

  private readonly groupKeys = new Map<string, string>();

  /** Subject keys of a user (`u:NAME`, `g:GROUP`), per UserInfo object: the escalation graph asks the same user often. */
  private readonly keysOf = new WeakMap<UserInfo, readonly string[]>();
  private stampCounter = 0;
  private marks: Uint32Array | undefined;

  /** Can this user make this request? With every binding → role → rule that allows it. */
  authorize(user: UserInfo, req: Request): Decision {
    const grants: Grant[] = [];
    const unknown: [BindingEntry, SubjectRecord][] = [];
    const ns = req.kind === 'resource' ? req.namespace : undefined;
    for (const [binding, subject] of this.bindingsFor(user, ns)) {
      const role = binding.role;
      if (!role) {
        if (binding.unresolved === 'missing-role') unknown.push([binding, subject]);
        continue;
      }
      for (const rule of role.rules) if (ruleAllows(rule, req)) grants.push({ binding, subject, role, rule });
    }
    if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: 'system:masters', grants, unknown };
    return { allowed: grants.length > 0, reason: grants.length > 0 ? 'rbac' : unknown.length > 0 ? 'unknown' : 'no-rule', grants, unknown };
  }

  /**
   * Bindings that apply to the user in a namespace (ClusterRoleBindings always) but reference a role that is not
   * in the input: what the user can do there is not fully known.
   */
  unknownBindingsFor(user: UserInfo, namespace: string | undefined): [BindingEntry, SubjectRecord][] {
    return this.bindingsFor(user, namespace).filter(([b]) => b.unresolved === 'missing-role');
  }

  /**
   * The who-can bindings that could not be decided: every binding in scope of the request whose role is missing
   * from the input (its subjects may or may not be able to). Same scope rules as `whoCan`.
   */
  whoCanUnknown(req: Request, options: { anyNamespace?: boolean } = {}): WhoCanUnknown[] {
    const ns = req.kind === 'resource' && req.namespace !== undefined && req.namespace !== '' ? req.namespace : undefined;
    const everyNamespace = req.kind === 'resource' && ns === undefined && options.anyNamespace === true;
    const out: WhoCanUnknown[] = [];
    for (const binding of this.missingRoleBindings) {
      if (binding.record.subjects.length === 0) continue;
      if (binding.record.kind === 'ClusterRoleBinding') out.push({ binding, scope: 'cluster' });
      else {
        const bns = binding.record.namespace ?? 'default';
        if (req.kind !== 'resource' || (ns !== undefined ? bns !== ns : !everyNamespace)) continue;
        out.push({ binding, scope: bns });
      }
    }
    return out;
  }

  /** Shorthand: does the user hold the request? */
  can(user: UserInfo, req: Request): boolean {
    if (user.groups.includes(SYSTEM_MASTERS)) return true;
    const ns = req.kind === 'resource' ? req.namespace : undefined;
    for (const [binding] of this.bindingsFor(user, ns)) {
      const role = binding.role;
      if (!role) continue;
      for (const rule of role.rules) if (ruleAllows(rule, req)) return true;
    }
    return false;
  }

  /**
   * Every subject that can make the request. With `anyNamespace`, a namespaced request is asked in every
   * namespace (RoleBindings of all namespaces are considered, each in its own namespace).
   * The group `system:masters` can always, outside RBAC; it is not listed here.
   */
  whoCan(req: Request, options: { anyNamespace?: boolean } = {}): WhoCanEntry[] {
    const out: WhoCanEntry[] = [];
    const ns = req.kind === 'resource' && req.namespace !== undefined && req.namespace !== '' ? req.namespace : undefined;
    const everyNamespace = req.kind === 'resource' && ns === undefined && options.anyNamespace === true;
    // The first matching rule of every bound role, found through the inverted rule index; a rule's answer
    // does not depend on the namespace, so each role is decided once per question.
    const firstRule = new Map<RoleEntry, CompiledRule>();
    for (const [role, rule] of this.candidates(req)) {
      if (!ruleAllows(rule, req)) continue;
      const seen = firstRule.get(role);
      if (!seen || rule.index < seen.index) firstRule.set(role, rule);
    }
    for (const [role, rule] of firstRule) {
      for (const binding of this.bindingsByRole.get(role) ?? []) {
        let scope: string;
        if (binding.record.kind === 'ClusterRoleBinding') scope = 'cluster';
        else {
          const bns = binding.record.namespace ?? 'default';
          if (req.kind !== 'resource' || (ns !== undefined ? bns !== ns : !everyNamespace)) continue;
          scope = bns;
        }
        // One object per answer: tens of thousands of them for a broad question.
        for (const s of binding.record.subjects) out.push({ binding, subject: s, role, rule, scope });
      }
    }
    return out;
  }

  /**
   * Rules of bound roles that may match the request: looked up by API group × resource in an inverted
   * index (built on first use), so a question costs in proportion to the rules it concerns, not to all rules.
   */
  private candidates(req: Request): [RoleEntry, CompiledRule][] {
    const ix = (this.ruleIndex ??= this.buildRuleIndex());
    if (req.kind === 'nonResource') return ix.urlRules;
    const sub = req.subresource !== undefined && req.subresource !== '' ? req.subresource : undefined;
    const combined = sub !== undefined ? `${req.resource}/${sub}` : req.resource;
    const out: [RoleEntry, CompiledRule][] = [];
    for (const g of req.apiGroup === '*' ? ['*'] : [req.apiGroup, '*'])
      for (const r of sub !== undefined ? [combined, '*', `*/${sub}`] : [combined, '*']) {
        const l = ix.byKey.get(`${g}\u0000${r}`);
        if (l) for (const x of l) out.push(x);
      }
    return out;
  }

  private ruleIndex: { byKey: Map<string, [RoleEntry, CompiledRule][]>; urlRules: [RoleEntry, CompiledRule][] } | undefined;

  private buildRuleIndex(): { byKey: Map<string, [RoleEntry, CompiledRule][]>; urlRules: [RoleEntry, CompiledRule][] } {
    const byKey = new Map<string, [RoleEntry, CompiledRule][]>();
    const urlRules: [RoleEntry, CompiledRule][] = [];
    for (const role of this.bindingsByRole.keys())
      for (const rule of role.rules) {
        if (rule.rule.nonResourceURLs.length > 0) urlRules.push([role, rule]);
        const keys = new Set<string>();
        for (const g of rule.rule.apiGroups) for (const r of rule.rule.resources) keys.add(`${g}\u0000${r}`);
        for (const k of keys) {
          const l = byKey.get(k);
          if (l) l.push([role, rule]);
          else byKey.set(k, [[role, rule]]);
        }
      }
    return { byKey, urlRules };
  }

  /** Every rule that applies to the user in a namespace (undefined: cluster-wide rules only). */
  rulesFor(user: UserInfo, namespace: string | undefined): Grant[] {
    const out: Grant[] = [];
    for (const [binding, subject] of this.bindingsFor(user, namespace)) {
      const role = binding.role;
      if (!role) continue;
      for (const rule of role.rules) out.push({ binding, subject, role, rule });
    }
    return out;
  }

  /** Namespaces in which some RoleBinding applies to the user. */
  namespacesFor(user: UserInfo): string[] {
    // Subject key → namespaces of its RoleBindings, built on first use: a question costs its keys, not every namespace.
    if (!this.namespacesBySubject && this.scanning()) {
      const pairs: [BindingEntry, SubjectRecord][] = [];
      for (const k of this.userKeys(user)) this.subjectsWithKey(k, pairs, undefined);
      const found = new Set<string>();
      for (const [b] of pairs) found.add(b.record.namespace ?? 'default');
      return [...found].sort();
    }
    if (!this.namespacesBySubject) {
      this.namespacesBySubject = new Map();
      for (const [ns, idx] of this.subjectIndex().namespaced)
        for (const k of idx.keys()) {
          const list = this.namespacesBySubject.get(k);
          if (list) list.push(ns);
          else this.namespacesBySubject.set(k, [ns]);
        }
    }
    const out = new Set<string>();
    for (const ns of this.namespacesBySubject.get(`u:${user.name}`) ?? []) out.add(ns);
    for (const g of user.groups) for (const ns of this.namespacesBySubject.get(`g:${g}`) ?? []) out.add(ns);
    return [...out].sort();
  }

  private namespacesBySubject: Map<string, string[]> | undefined;

  /**
   * Escalation prevention when creating or updating a Role/ClusterRole with these rules: allowed when the
   * user holds `escalate` on it, or already holds every permission of the rules ("covers").
   */
  canWriteRole(user: UserInfo, kind: 'Role' | 'ClusterRole', name: string, namespace: string | undefined, rules: readonly PolicyRule[]): { allowed: boolean; via: 'system:masters' | 'escalate' | 'covers' | 'none'; uncovered: PolicyRule[] } {
    if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, via: 'system:masters', uncovered: [] };
    const ns = kind === 'Role' ? namespace : undefined;
    const escalate: ResourceRequest = { kind: 'resource', verb: 'escalate', apiGroup: 'rbac.authorization.k8s.io', resource: kind === 'Role' ? 'roles' : 'clusterroles', name, ...(ns !== undefined ? { namespace: ns } : {}) };
    if (this.can(user, escalate)) return { allowed: true, via: 'escalate', uncovered: [] };
    const owner = this.rulesFor(user, ns).map((g) => g.rule.rule);
    const uncovered = uncoveredRules(owner, rules);
    return { allowed: uncovered.length === 0, via: uncovered.length === 0 ? 'covers' : 'none', uncovered };
  }

  /**
   * Escalation prevention when creating a binding to a role: allowed when the user holds `bind` on the
   * role, or already holds every permission of the role (in the binding's namespace).
   */
  canBind(user: UserInfo, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, namespace: string | undefined): { allowed: boolean; via: 'system:masters' | 'bind' | 'covers' | 'none'; uncovered: PolicyRule[] } {
    if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, via: 'system:masters', uncovered: [] };
    const bindReq: ResourceRequest = {
      kind: 'resource',
      verb: 'bind',
      apiGroup: 'rbac.authorization.k8s.io',
      resource: roleRef.kind === 'Role' ? 'roles' : 'clusterroles',
      name: roleRef.name,
      ...(namespace !== undefined ? { namespace } : {}),
    };
    if (this.can(user, bindReq)) return { allowed: true, via: 'bind', uncovered: [] };
    const role = roleRef.kind === 'Role' ? this.role(namespace ?? '', roleRef.name) : this.clusterRole(roleRef.name);
    const rules = role ? role.rules.map((r) => r.rule) : [];
    const uncovered = uncoveredRules(
      this.rulesFor(user, namespace).map((g) => g.rule.rule),
      rules,
    );
    return { allowed: role !== undefined && uncovered.length === 0, via: role !== undefined && uncovered.length === 0 ? 'covers' : 'none', uncovered };
  }

  /**
   * The authorization checks of impersonating `target` (user, groups, extras, uid), as the API server's
   * impersonation filter makes them, each with its decision.
   */
  impersonationChecks(user: UserInfo, target: { user: string; groups?: readonly string[]; extra?: Readonly<Record<string, readonly string[]>>; uid?: string }): { request: ResourceRequest; decision: Decision }[] {
    const reqs: ResourceRequest[] = [];
    // As the impersonation filter: a valid service-account user name is a service account, anything else a user.
    const sa = splitServiceAccountUser(target.user);
    if (sa) reqs.push({ kind: 'resource', verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name });
    else reqs.push({ kind: 'resource', verb: 'impersonate', apiGroup: '', resource: 'users', name: target.user });
    for (const g of target.groups ?? []) reqs.push({ kind: 'resource', verb: 'impersonate', apiGroup: '', resource: 'groups', name: g });
    for (const [k, vs] of Object.entries(target.extra ?? {})) for (const v of vs) reqs.push({ kind: 'resource', verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: k, name: v });
    if (target.uid !== undefined) reqs.push({ kind: 'resource', verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'uids', name: target.uid });
    return reqs.map((request) => ({ request, decision: this.authorize(user, request) }));
  }
}

/** Kind, namespace and name of objects seen, without building a key string per object. */
class ObjectNames {
  private readonly byKind = new Map<string, Map<string, Set<string>>>();
  has(kind: string, namespace: string | undefined, name: string): boolean {
    return this.byKind.get(kind)?.get(namespace ?? '')?.has(name) === true;
  }
  /** Add; false when it was there already. */
  add(kind: string, namespace: string | undefined, name: string): boolean {
    let byNs = this.byKind.get(kind);
    if (!byNs) this.byKind.set(kind, (byNs = new Map<string, Set<string>>()));
    let names = byNs.get(namespace ?? '');
    if (!names) byNs.set(namespace ?? '', (names = new Set()));
    if (names.has(name)) return false;
    names.add(name);
    return true;
  }
}

/** Build the index from objects (any kinds; RBAC kinds and ServiceAccounts are used). */
export function buildRbacIndex(objects: readonly K8sObject[], options: RbacOptions = {}): RbacIndex {
  const sink = new ProblemSink();
  const defaultNs = options.defaultNamespace ?? 'default';
  // Roles by key, later duplicates winning, as with kubectl apply (in the order their keys first appear): each
  // role's key is written once.
  const rolesByKey = new Map<string, RoleRecord>();
  const bindingRecords: Binding[] = [];
  const serviceAccounts: [string, string][] = [];
  const seenBindings = new ObjectNames();
  let namespaceless = 0;
  // Indexed loops over the objects (here and below): the function runs once, and its loops, one after the other, leave
  // optimised code as each begins (feedback it has not seen yet) — back in the interpreter, a for-of loop makes an
  // iterator result per object (~8 MB over this function's loops at 80,000 objects).
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i] as K8sObject;
    switch (o.kind) {
      case 'Role':
      case 'ClusterRole': {
        const r = readRole(o, sink, false, defaultNs);
        if (!r) break;
        if (o.kind === 'Role' && o.metadata.namespace === undefined) namespaceless++;
        const key = roleKey(r.kind, r.namespace, r.name);
        if (rolesByKey.has(key)) sink.add(o, '', 'warning', 'rbac-duplicate', `duplicate ${r.kind}; the later one is used, as kubectl apply would leave it`);
        rolesByKey.set(key, r);
        break;
      }
      case 'RoleBinding':
      case 'ClusterRoleBinding': {
        const b = readBinding(o, sink, false, defaultNs);
        if (!b) break;
        if (o.kind === 'RoleBinding' && o.metadata.namespace === undefined) namespaceless++;
        if (!seenBindings.add(b.kind, b.namespace, b.name)) sink.add(o, '', 'warning', 'rbac-duplicate', `duplicate ${b.kind}; both are counted`);
        bindingRecords.push(b);
        break;
      }
      case 'ServiceAccount':
        if (o.apiVersion === 'v1') serviceAccounts.push([o.metadata.namespace ?? defaultNs, o.metadata.name]);
        break;
      default:
    }
  }
  if (namespaceless > 0) {
    sink.problems.push({ code: 'rbac-no-namespace', severity: 'warning', message: `${namespaceless} Role/RoleBinding object(s) have no metadata.namespace; assumed "${defaultNs}" (as kubectl apply${options.defaultNamespace !== undefined ? ` -n ${defaultNs}` : ' without -n'})` });
  }
  const defaults = options.defaults ?? 'none';
  if (defaults !== 'none') {
    for (const o of bootstrapPolicyObjects()) {
      if (o.kind === 'Role' || o.kind === 'ClusterRole') {
        const key = roleKey(o.kind, o.metadata.namespace, o.metadata.name);
        if (rolesByKey.has(key)) continue;
        const r = readRole(o, sink, true);
        if (r) rolesByKey.set(roleKey(r.kind, r.namespace, r.name), r);
      } else if (defaults === 'all') {
        if (seenBindings.has(o.kind, o.metadata.namespace, o.metadata.name)) continue;
        const b = readBinding(o, sink, true);
        if (b) bindingRecords.push(b);
      }
    }
  }
  const finalRoles = [...rolesByKey.values()];
  const aggregated = aggregateClusterRoles(
    finalRoles.filter((r) => r.kind === 'ClusterRole'),
    sink,
  );
  const entries: RoleEntry[] = finalRoles.map((r) => new Role(r, r.kind === 'ClusterRole' ? aggregated.get(r.name) : undefined));
  const index = new RbacIndex(entries, bindingRecords, sink.problems, options.k8sVersion, [...rolesByKey.keys()]);
  for (let i = 0; i < serviceAccounts.length; i++) {
    const sa = serviceAccounts[i] as [string, string];
    index.addServiceAccount(sa[0], sa[1]);
  }
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i] as K8sObject;
    const sa = podServiceAccount(o, defaultNs);
    if (sa) {
      index.addServiceAccount(sa.namespace, sa.name);
      let set = index.podServiceAccounts.get(sa.namespace);
      if (!set) index.podServiceAccounts.set(sa.namespace, (set = new Set()));
      set.add(sa.name);
    }
    if (o.kind === 'Secret' && getString(o.raw, 'type') === 'kubernetes.io/service-account-token') {
      const owner = o.metadata.annotations['kubernetes.io/service-account.name'];
      if (owner !== undefined) {
        const ns = o.metadata.namespace ?? defaultNs;
        let m = index.tokenSecrets.get(ns);
        if (!m) index.tokenSecrets.set(ns, (m = new Map<string, string>()));
        m.set(o.metadata.name, owner);
        index.addServiceAccount(ns, owner);
      }
    }
  }
  return index;
}

/**
 * The one warning (code `rbac-missing-role`) for bindings to roles that are not in the input: the count and the first
 * few, located at the first; undefined for none.
 */
export function missingRoleProblem(missing: readonly BindingEntry[]): Problem | undefined {
  const first = missing[0];
  if (!first) return undefined;
  const named = (b: BindingEntry): string => `${b.display} → ${b.record.roleRef.kind} ${b.record.roleRef.name}`;
  const shown = missing.slice(0, MISSING_ROLES_NAMED).map(named).join(', ');
  const more = missing.length - MISSING_ROLES_NAMED;
  return {
    code: 'rbac-missing-role',
    severity: 'warning',
    message:
      missing.length === 1
        ? `${first.display} references ${first.record.roleRef.kind} ${first.record.roleRef.name}, which is not in the input; what it grants is unknown`
        : `${missing.length} bindings reference roles that are not in the input (${shown}${more > 0 ? ` and ${more} more` : ''}); what they grant is unknown`,
    ...fileOf(first.record.object),
  };
}

/** How many bindings to a missing role the summary problem names. */
const MISSING_ROLES_NAMED = 3;

function fileOf(obj: K8sObject | undefined): { file?: string; line?: number; column?: number } {
  const loc = obj?.origin.locate('roleRef') ?? obj?.origin.location;
  return loc ? { file: loc.file, line: loc.line, column: loc.column } : {};
}

/** The service account a pod or workload runs as (`default` when it names none). */
export function podServiceAccount(o: K8sObject, defaultNamespace = 'default'): { namespace: string; name: string } | undefined {
  if (o.kind === 'PodTemplate') return undefined;
  const view = podSpecOf(o);
  if (!view) return undefined;
  const name = getString(view.spec, 'serviceAccountName') ?? getString(view.spec, 'serviceAccount') ?? 'default';
  return { namespace: o.metadata.namespace ?? defaultNamespace, name: name === '' ? 'default' : name };
}

/** Build from an inventory. */
export function rbacIndexOf(inventory: Inventory, options: RbacOptions = {}): RbacIndex {
  return buildRbacIndex(inventory.objects, options);
}
