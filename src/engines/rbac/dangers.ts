/**
 * Dangerous permissions: the catalogue (each one a `rbac-*` check of `kspect scan` and a row of
 * `kspect rbac risks`) and the analysis that finds, for every binding, which of them it grants, to whom,
 * where, and through which rule.
 */
import type { Severity } from '../../core/severity.js';
import type { BindingEntry, RbacIndex, RoleEntry } from './authorizer.js';
import type { CompiledRule, ResourceRequest } from './rules.js';
import { userOfSubject, type SubjectRef } from './subjects.js';
import { subjectOf } from './authorizer.js';
import { ProbeSet, probeGrantOf, type Probe, type RuleGrant } from './probes.js';

export { requestNaming, type Probe } from './probes.js';

export interface DangerSpec {
  /** The check id: `rbac-…`. */
  readonly id: string;
  readonly title: string;
  /** What the holder can do, completing "SUBJECT can …". */
  readonly what: string;
  readonly severity: { readonly cluster: Severity; readonly namespace: Severity };
  readonly probes: readonly Probe[];
  /** Rules limited to named objects are not reported (e.g. reading one named Secret); `resourceNames: [""]` is not a limit for list/watch. */
  readonly ignoreNamed?: boolean;
  /** Only rules that name one of these objects, or no object at all, grant the danger. */
  readonly names?: readonly string[];
  /** Namespaces where a RoleBinding grants the danger (default: any); ClusterRoleBindings always do. */
  readonly namespaces?: readonly string[];
  /** The danger exists from this Kubernetes minor on (earlier versions: not in the catalogue; unknown version: in it). */
  readonly sinceMinor?: number;
}

/** Verbs that open a stream into a container (exec/attach/portforward): `create` from 1.35, `get` sufficed before (WebSocket upgrades). */
export function streamVerbs(k8sVersion: string | undefined): string[] {
  const minor = k8sVersion !== undefined ? Number(/^v?1\.(\d+)/.exec(k8sVersion)?.[1]) : Number.NaN;
  return Number.isFinite(minor) && minor < 35 ? ['create', 'get'] : ['create'];
}

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const ADMISSION = ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'];

/** The catalogue. Probes that depend on the Kubernetes version are built per version. */
export function dangerCatalogue(k8sVersion?: string): readonly DangerSpec[] {
  const stream = streamVerbs(k8sVersion);
  const minor = Number(/^v?1\.(\d+)/.exec(k8sVersion ?? '')?.[1]);
  const all: DangerSpec[] = [
    {
      id: 'rbac-secrets-read',
      title: 'Can read Secrets',
      what: 'read Secrets (get/list/watch)',
      severity: { cluster: 'high', namespace: 'medium' },
      probes: [{ verbs: ['get', 'list', 'watch'], group: '', resource: 'secrets' }],
      ignoreNamed: true,
    },
    {
      id: 'rbac-pod-create',
      title: 'Can create pods or pod controllers',
      what: 'create pods or workloads (runs as any service account of the namespace, mounts any Secret there)',
      severity: { cluster: 'high', namespace: 'medium' },
      probes: [
        { verbs: ['create'], group: '', resource: 'pods' },
        { verbs: ['create'], group: '', resource: 'replicationcontrollers' },
        { verbs: ['create'], group: 'apps', resource: 'deployments' },
        { verbs: ['create'], group: 'apps', resource: 'daemonsets' },
        { verbs: ['create'], group: 'apps', resource: 'statefulsets' },
        { verbs: ['create'], group: 'apps', resource: 'replicasets' },
        { verbs: ['create'], group: 'batch', resource: 'jobs' },
        { verbs: ['create'], group: 'batch', resource: 'cronjobs' },
      ],
    },
    {
      id: 'rbac-pod-exec',
      title: 'Can exec, attach or port-forward into pods',
      what: 'run commands in pods (exec/attach/portforward/ephemeral containers)',
      severity: { cluster: 'high', namespace: 'medium' },
      probes: [
        { verbs: stream, group: '', resource: 'pods/exec' },
        { verbs: stream, group: '', resource: 'pods/attach' },
        { verbs: stream, group: '', resource: 'pods/portforward' },
        { verbs: ['update', 'patch'], group: '', resource: 'pods/ephemeralcontainers' },
      ],
    },
    {
      id: 'rbac-escalate',
      title: 'Can escalate roles',
      what: 'grant any permission through roles they edit (escalate)',
      severity: { cluster: 'critical', namespace: 'high' },
      probes: [
        { verbs: ['escalate'], group: 'rbac.authorization.k8s.io', resource: 'clusterroles', clusterScoped: true },
        { verbs: ['escalate'], group: 'rbac.authorization.k8s.io', resource: 'roles' },
      ],
    },
    {
      id: 'rbac-bind',
      title: 'Can bind roles they do not hold',
      what: 'bind roles they do not hold (bind)',
      severity: { cluster: 'critical', namespace: 'high' },
      probes: [
        { verbs: ['bind'], group: 'rbac.authorization.k8s.io', resource: 'clusterroles', clusterScoped: true },
        { verbs: ['bind'], group: 'rbac.authorization.k8s.io', resource: 'roles' },
      ],
    },
    {
      id: 'rbac-impersonate',
      title: 'Can impersonate',
      what: 'impersonate users, groups or service accounts',
      severity: { cluster: 'critical', namespace: 'high' },
      probes: [
        { verbs: ['impersonate'], group: '', resource: 'users', clusterScoped: true },
        { verbs: ['impersonate'], group: '', resource: 'groups', clusterScoped: true },
        { verbs: ['impersonate'], group: '', resource: 'serviceaccounts' },
        { verbs: ['impersonate'], group: 'authentication.k8s.io', resource: 'userextras', clusterScoped: true },
        { verbs: ['impersonate'], group: 'authentication.k8s.io', resource: 'uids', clusterScoped: true },
      ],
    },
    {
      id: 'rbac-token-create',
      title: 'Can create service-account tokens',
      what: 'create tokens for service accounts (serviceaccounts/token)',
      severity: { cluster: 'high', namespace: 'medium' },
      probes: [{ verbs: ['create'], group: '', resource: 'serviceaccounts/token' }],
    },
    {
      id: 'rbac-secrets-create',
      title: 'Can create Secrets',
      what: 'create Secrets (a service-account-token Secret mints a token for any service account of the namespace)',
      severity: { cluster: 'high', namespace: 'medium' },
      probes: [{ verbs: ['create'], group: '', resource: 'secrets' }],
    },
    {
      id: 'rbac-nodes-proxy',
      title: 'Can reach the kubelet API through nodes/proxy',
      what: 'use the kubelet API through nodes/proxy (exec into any pod of the node)',
      severity: { cluster: 'critical', namespace: 'critical' },
      probes: [{ verbs: ['get', 'create'], group: '', resource: 'nodes/proxy', clusterScoped: true }],
    },
    {
      id: 'rbac-webhook-write',
      title: 'Can change admission webhooks or policies',
      what: 'change admission webhook configurations or admission policies',
      severity: { cluster: 'high', namespace: 'high' },
      probes: ADMISSION.map((resource) => ({ verbs: WRITE, group: 'admissionregistration.k8s.io', resource, clusterScoped: true })),
    },
    {
      id: 'rbac-pv-create',
      title: 'Can create PersistentVolumes',
      what: 'create PersistentVolumes (a hostPath volume exposes the node filesystem)',
      severity: { cluster: 'high', namespace: 'high' },
      probes: [{ verbs: ['create'], group: '', resource: 'persistentvolumes', clusterScoped: true }],
    },
    {
      id: 'rbac-namespace-update',
      title: 'Can change namespaces',
      what: 'update namespaces (can relax their Pod Security labels)',
      severity: { cluster: 'medium', namespace: 'medium' },
      // A namespace's own RoleBinding can grant update on that namespace: requests on a namespace carry its name as namespace.
      probes: [{ verbs: ['update', 'patch'], group: '', resource: 'namespaces' }],
    },
    {
      id: 'rbac-status-patch',
      title: 'Can patch service or node status',
      what: 'patch services/status or nodes/status (hijack load-balancer IPs, mislead schedulers)',
      severity: { cluster: 'medium', namespace: 'medium' },
      probes: [
        { verbs: ['update', 'patch'], group: '', resource: 'services/status' },
        { verbs: ['update', 'patch'], group: '', resource: 'nodes/status', clusterScoped: true },
      ],
    },
    {
      id: 'rbac-aws-auth-write',
      title: 'Can change the EKS aws-auth ConfigMap',
      what: 'change ConfigMaps in kube-system, aws-auth included (on EKS: map any IAM identity to system:masters)',
      severity: { cluster: 'high', namespace: 'high' },
      probes: [{ verbs: ['update', 'patch', 'delete', 'create'], group: '', resource: 'configmaps' }],
      namespaces: ['kube-system'],
      names: ['aws-auth'],
    },
    {
      id: 'rbac-events-delete',
      title: 'Can delete Events',
      what: 'delete Events (erase the record of what happened)',
      severity: { cluster: 'medium', namespace: 'low' },
      probes: [
        { verbs: ['delete', 'deletecollection'], group: '', resource: 'events' },
        { verbs: ['delete', 'deletecollection'], group: 'events.k8s.io', resource: 'events' },
      ],
      ignoreNamed: true,
    },
    {
      id: 'rbac-netpol-write',
      title: 'Can change NetworkPolicies',
      what: 'create, change or delete NetworkPolicies (open the network isolation of pods)',
      severity: { cluster: 'medium', namespace: 'low' },
      probes: [{ verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'], group: 'networking.k8s.io', resource: 'networkpolicies' }],
    },
    {
      id: 'rbac-nodes-subresources',
      title: 'Can read pods or configuration from the kubelet API',
      what: 'read the pod specs (env values included) or the configuration of every node from the kubelet API (nodes/pods, nodes/configz)',
      severity: { cluster: 'medium', namespace: 'medium' },
      probes: [
        { verbs: ['get', 'list'], group: '', resource: 'nodes/pods', clusterScoped: true },
        { verbs: ['get'], group: '', resource: 'nodes/configz', clusterScoped: true },
      ],
      sinceMinor: 35,
    },
    {
      id: 'rbac-service-write',
      title: 'Can create or change Services and Ingresses',
      what: 'create or change Services, Ingresses or Gateway routes (expose pods, intercept traffic with externalIPs)',
      severity: { cluster: 'medium', namespace: 'low' },
      probes: [
        { verbs: ['create', 'update', 'patch'], group: '', resource: 'services' },
        { verbs: ['create', 'update', 'patch'], group: 'networking.k8s.io', resource: 'ingresses' },
        { verbs: ['create', 'update', 'patch'], group: 'gateway.networking.k8s.io', resource: 'httproutes' },
      ],
    },
  ];
  // A danger that exists only from some version on is in the catalogue when the version is unknown.
  return all.filter((d) => d.sinceMinor === undefined || !Number.isFinite(minor) || minor >= d.sinceMinor);
}

/** CSR approval needs two permissions: update on certificatesigningrequests/approval, and approve on the signer. */
export const CSR_APPROVAL: Probe = { verbs: ['update', 'patch'], group: 'certificates.k8s.io', resource: 'certificatesigningrequests/approval', clusterScoped: true };
export const CSR_SIGNER_REQUESTS: readonly ResourceRequest[] = ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/*'].map((name) => ({ kind: 'resource', verb: 'approve', apiGroup: 'certificates.k8s.io', resource: 'signers', name }));

/**
 * How far a rule grants a probe: `all` — on any object (the rule has no resourceNames, or it lists `""`, which the
 * authorizer's `==` comparison matches against every request made without a name: create, list, watch,
 * deletecollection); `named` — only on the objects it names; undefined — not at all.
 */
export function probeGrant(r: CompiledRule, p: Probe): 'all' | 'named' | undefined {
  return probeGrantOf(r, p);
}

/** Does a rule grant a probe on at least one object (see `probeGrant`)? */
export function ruleGrantsProbe(r: CompiledRule, p: Probe): boolean {
  return probeGrant(r, p) !== undefined;
}

/** A rule with `*` among its verbs, resources or API groups. */
export function isWildcardRule(r: CompiledRule): boolean {
  return r.allVerbs || (r.isResourceRule && (r.allResources || r.allGroups));
}

/** A rule granting every verb on every resource of every group (cluster-admin's first rule). */
export function isFullAccessRule(r: CompiledRule): boolean {
  return r.allVerbs && r.allResources && r.allGroups;
}

/** A role with a full-access rule (decided once per role). */
export function isAdminEquivalentRole(role: RoleEntry): boolean {
  let v = adminRoles.get(role);
  if (v === undefined) adminRoles.set(role, (v = role.rules.some(isFullAccessRule)));
  return v;
}

/** One dangerous permission a binding grants. */
export interface DangerHit {
  readonly danger: DangerSpec;
  readonly binding: BindingEntry;
  readonly role: RoleEntry;
  readonly rule: CompiledRule;
  readonly probe: Probe;
  /** `cluster` or the namespace. */
  readonly scope: string;
  readonly severity: Severity;
  readonly subjects: readonly SubjectRef[];
}

const CSR_DANGER: DangerSpec = {
  id: 'rbac-csr-approve',
  title: 'Can approve certificate signing requests',
  what: 'approve CSRs for a signer that issues API client certificates (mint credentials for any user or group)',
  severity: { cluster: 'critical', namespace: 'critical' },
  probes: [CSR_APPROVAL],
};

/** Full access (`*` on `*` in every group) bound to a subject: reported instead of every single danger it implies. */
export const ADMIN_DANGER: DangerSpec = {
  id: 'rbac-cluster-admin-binding',
  title: 'cluster-admin (or an equivalent role) bound',
  what: 'do everything (cluster-admin or an equivalent role: * on * in every API group)',
  severity: { cluster: 'critical', namespace: 'high' },
  probes: [],
};

/** `*` among the verbs, resources or API groups of a rule (short of full access). */
export const WILDCARD_DANGER: DangerSpec = {
  id: 'rbac-wildcard',
  title: 'Wildcard in a role rule',
  what: 'use a rule with * in its verbs, resources or API groups (it also grants whatever is added to the API later)',
  severity: { cluster: 'high', namespace: 'medium' },
  probes: [],
};

/** Every danger, for listings. */
export function allDangers(k8sVersion?: string): readonly DangerSpec[] {
  return [ADMIN_DANGER, WILDCARD_DANGER, ...dangerCatalogue(k8sVersion), CSR_DANGER];
}

/** What a role grants of the catalogue: full access, a wildcard rule, and per danger the rule and probe of each. */
interface RoleDangers {
  readonly full: CompiledRule | undefined;
  readonly wild: CompiledRule | undefined;
  readonly found: readonly [DangerSpec, readonly [CompiledRule, Probe][]][];
}

const catalogues = new Map<string, { dangers: readonly DangerSpec[]; probes: ProbeSet }>();

/** The catalogue of a Kubernetes version (with the CSR danger) and all its probes as one set (built once per version). */
function catalogueProbes(k8sVersion: string | undefined): { dangers: readonly DangerSpec[]; probes: ProbeSet } {
  const key = k8sVersion ?? '';
  let c = catalogues.get(key);
  if (!c) {
    const dangers = [...dangerCatalogue(k8sVersion), CSR_DANGER];
    catalogues.set(key, (c = { dangers, probes: new ProbeSet(dangers.flatMap((d) => d.probes)) }));
  }
  return c;
}

const adminRoles = new WeakMap<RoleEntry, boolean>();

/** A danger a binding grants: the first rule of its role (and the probe) that grants it in the binding's scope. */
export interface BindingDanger {
  readonly danger: DangerSpec;
  readonly rule: CompiledRule;
  readonly probe: Probe;
}

/** What full access and a wildcard rule are granted through (no probe of the catalogue: everything). */
const ANY_PROBE: Probe = { verbs: ['*'], group: '*', resource: '*' };
const NO_DANGERS: readonly BindingDanger[] = [];

/** What bindings of one role grant, by scope: ClusterRoleBindings, RoleBindings, RoleBindings of named namespaces. */
interface RoleScopes {
  cluster: readonly BindingDanger[] | undefined;
  namespaced: readonly BindingDanger[] | undefined;
  /** RoleBindings in a namespace some danger of the catalogue names (`namespaces`): kube-system for aws-auth. */
  named: Map<string, readonly BindingDanger[]> | undefined;
}

/**
 * The dangers each binding grants, in the order findDangers lists them, without an object per binding and danger:
 * what a binding grants depends only on its role and scope (cluster-wide, or a namespace — which matters only to a
 * danger limited to some namespaces), so each list is made once per role and scope and shared by its bindings (a
 * large cluster's 50,000 bindings have 100,000 dangers, but their 10,000 roles a few lists each). Only CSR approval
 * is decided per binding: a subject must also hold approve on a signer.
 */
export class BindingDangers {
  private readonly index: RbacIndex;
  private readonly dangers: readonly DangerSpec[];
  private readonly probes: ProbeSet;
  /** The namespaces some danger is limited to. */
  private readonly limited: ReadonlySet<string>;
  private readonly analysed = new Map<RoleEntry, RoleDangers>();
  private readonly scopes = new Map<RoleEntry, RoleScopes>();

  constructor(index: RbacIndex) {
    const { dangers, probes } = catalogueProbes(index.k8sVersion);
    this.index = index;
    this.dangers = dangers;
    this.probes = probes;
    this.limited = new Set(dangers.flatMap((d) => d.namespaces ?? []));
    this.positions = dangers.map((d) => d.probes.map((p) => probes.indexOf(p)));
  }

  /** Per danger, the position of each of its probes in the set: looked up once, not per role (~50 probes each). */
  private readonly positions: readonly (readonly number[])[];

  /** The dangers a binding grants (none without a role or subjects): a list shared with other bindings, not to be changed. */
  of(binding: BindingEntry): readonly BindingDanger[] {
    const role = binding.role;
    if (!role || binding.record.subjects.length === 0) return NO_DANGERS;
    let scopes = this.scopes.get(role);
    if (!scopes) this.scopes.set(role, (scopes = { cluster: undefined, namespaced: undefined, named: undefined }));
    let list: readonly BindingDanger[];
    if (binding.record.kind === 'ClusterRoleBinding') list = scopes.cluster ??= this.listOf(role, 'cluster');
    else {
      const ns = binding.record.namespace ?? 'default';
      if (!this.limited.has(ns)) list = scopes.namespaced ??= this.listOf(role, ns);
      else {
        const named = (scopes.named ??= new Map<string, readonly BindingDanger[]>());
        let l = named.get(ns);
        if (!l) named.set(ns, (l = this.listOf(role, ns)));
        list = l;
      }
    }
    const csr = list.length > 0 && list[list.length - 1]?.danger === CSR_DANGER;
    if (!csr) return list;
    const index = this.index;
    const holds = binding.record.subjects.some((s) => CSR_SIGNER_REQUESTS.some((req) => index.can(userOfSubject(subjectOf(s)), req)));
    return holds ? list : list.slice(0, -1);
  }

  /** What a role grants of the catalogue: full access, a wildcard rule, and per danger the rules and probes that grant it. */
  private analyse(role: RoleEntry): RoleDangers {
    let m = this.analysed.get(role);
    if (m) return m;
    const probes = this.probes;
    // One pass over the role's rules for every probe of the catalogue; then, per danger, the first rule that grants
    // each of its probes as the danger requires (any object, or one it names).
    const grants = probes.grants(role);
    const found: [DangerSpec, [CompiledRule, Probe][]][] = [];
    // Indexed loops, no destructuring: this runs once per role (10,000 of them), not always optimised yet, and a for-of
    // loop or a destructured tuple run by the interpreter makes an iterator result per item.
    if (grants.granted > 0)
      for (let k = 0; k < this.dangers.length; k++) {
        const d = this.dangers[k] as DangerSpec;
        const positions = this.positions[k] as readonly number[];
        let list: [CompiledRule, Probe][] | undefined;
        for (let j = 0; j < d.probes.length; j++) {
          const p = d.probes[j] as Probe;
          const rules = grants.byProbe[positions[j] as number];
          if (!rules) continue;
          for (let n = 0; n < rules.length; n++) {
            const { rule: r, grant: g } = rules[n] as RuleGrant;
            if (d.ignoreNamed === true && g !== 'all') continue;
            if (g === 'named' && d.names !== undefined && !(r.names ?? []).some((n) => d.names?.includes(n) === true)) continue;
            (list ??= []).push([r, p]);
            break;
          }
        }
        if (list) found.push([d, list]);
      }
    m = { full: role.rules.find(isFullAccessRule), wild: role.rules.find(isWildcardRule), found };
    this.analysed.set(role, m);
    return m;
  }

  /** The dangers bindings of a role grant cluster-wide (`cluster`) or in a namespace (CSR approval last, to every subject). */
  private listOf(role: RoleEntry, scope: string): readonly BindingDanger[] {
    const analysed = this.analyse(role);
    const cluster = scope === 'cluster';
    // Everything is granted; one danger says it, instead of one per implied danger.
    if (analysed.full) return [{ danger: ADMIN_DANGER, rule: analysed.full, probe: ANY_PROBE }];
    const out: BindingDanger[] = [];
    if (analysed.wild) out.push({ danger: WILDCARD_DANGER, rule: analysed.wild, probe: ANY_PROBE });
    for (let k = 0; k < analysed.found.length; k++) {
      const entry = analysed.found[k] as (typeof analysed.found)[number];
      const danger = entry[0];
      if (!cluster && danger.namespaces !== undefined && !danger.namespaces.includes(scope)) continue;
      // The first rule and probe a binding of this scope can use (a RoleBinding grants no cluster-scoped resource).
      const found = entry[1];
      for (let j = 0; j < found.length; j++) {
        const x = found[j] as readonly [CompiledRule, Probe];
        if (cluster || !x[1].clusterScoped) {
          out.push({ danger, rule: x[0], probe: x[1] });
          break;
        }
      }
    }
    return out.length === 0 ? NO_DANGERS : out;
  }
}

/** The scope of a binding's dangers: `cluster`, or the RoleBinding's namespace. */
export function dangerScope(binding: BindingEntry): string {
  return binding.record.kind === 'ClusterRoleBinding' ? 'cluster' : (binding.record.namespace ?? 'default');
}

/**
 * Every dangerous permission granted by every binding. Role analysis is memoised, so the cost is one
 * pass over the roles' rules plus one over the bindings.
 */
export function findDangers(index: RbacIndex): DangerHit[] {
  const dangers = new BindingDangers(index);
  const hits: DangerHit[] = [];
  for (const binding of index.bindings) {
    const found = dangers.of(binding);
    if (found.length === 0) continue;
    const role = binding.role as RoleEntry;
    const cluster = binding.record.kind === 'ClusterRoleBinding';
    const scope = dangerScope(binding);
    // The subjects once per binding, shared by its hits.
    const subjects = binding.record.subjects.map(subjectOf);
    for (const { danger, rule, probe } of found) hits.push({ danger, binding, role, rule, probe, scope, severity: cluster ? danger.severity.cluster : danger.severity.namespace, subjects });
  }
  return hits;
}
