/**
 * The escalation graph: identities (users, groups, service accounts) and "can become" edges — create a
 * pod as a service account, read its token, create a token for it, impersonate it, bind or escalate a
 * role, reach the kubelet through nodes/proxy, approve a client certificate — and the shortest path of
 * every identity to cluster-admin equivalence.
 */
import type { Grant, RbacIndex, RoleEntry } from './authorizer.js';
import { isAdminEquivalentRole, isFullAccessRule, streamVerbs, type Probe, probeGrant, ruleGrantsProbe, CSR_APPROVAL, CSR_SIGNER_REQUESTS } from './dangers.js';
import { ALL_AUTHENTICATED, SYSTEM_MASTERS, subjectDisplay, subjectKey, userOfSubject, type SubjectRef, type UserInfo } from './subjects.js';
import { subjectOf } from './authorizer.js';

export const ADMIN_NODE = 'cluster-admin';

export type StepKind =
  | 'create-pod'
  | 'exec-pod'
  | 'read-token-secret'
  | 'create-token-secret'
  | 'create-token'
  | 'impersonate'
  | 'bind'
  | 'escalate'
  | 'nodes-proxy'
  | 'csr-approve'
  | 'holds-admin';

/** One "can become" edge, with the binding → role → rule that grants it. */
export interface Step {
  readonly from: string;
  readonly to: string;
  readonly kind: StepKind;
  readonly description: string;
  readonly grant?: Grant;
}

export interface EscalationPath {
  readonly from: SubjectRef;
  readonly steps: readonly Step[];
}

export interface EscalationGraph {
  /** Node ids: `User:alice`, `Group:devs`, `ServiceAccount:ns/name`, `ns:NS` (any service account of NS), `cluster-admin`. */
  readonly nodes: ReadonlyMap<string, { readonly label: string; readonly subject?: SubjectRef; readonly admin: boolean }>;
  readonly edges: readonly Step[];
  /** Identities that already hold cluster-admin equivalence (directly or via system:masters). */
  readonly admins: readonly SubjectRef[];
}

const POD_CREATE: readonly Probe[] = [
  { verbs: ['create'], group: '', resource: 'pods' },
  { verbs: ['create'], group: '', resource: 'replicationcontrollers' },
  { verbs: ['create'], group: 'apps', resource: 'deployments' },
  { verbs: ['create'], group: 'apps', resource: 'daemonsets' },
  { verbs: ['create'], group: 'apps', resource: 'statefulsets' },
  { verbs: ['create'], group: 'apps', resource: 'replicasets' },
  { verbs: ['create'], group: 'batch', resource: 'jobs' },
  { verbs: ['create'], group: 'batch', resource: 'cronjobs' },
];
const RBAC = 'rbac.authorization.k8s.io';

function nsNode(ns: string): string {
  return `ns:${ns}`;
}

function grantWhere(g: Grant): string {
  return `${g.binding.display} → ${g.role.display} rules[${g.rule.index}]`;
}

/** Build the graph for every identity of the index (subjects of bindings and known service accounts). */
export function buildEscalationGraph(index: RbacIndex, extraIdentities: readonly SubjectRef[] = []): EscalationGraph {
  const nodes = new Map<string, { label: string; subject?: SubjectRef; admin: boolean }>();
  const edges: Step[] = [];
  const identities = new Map<string, SubjectRef>();
  const add = (s: SubjectRef): void => {
    identities.set(subjectKey(s), s);
  };
  for (const b of index.bindings) for (const s of b.record.subjects) add(subjectOf(s));
  for (const [ns, names] of index.serviceAccounts) for (const n of names) add({ kind: 'ServiceAccount', namespace: ns, name: n });
  for (const s of extraIdentities) add(s);
  const namespaces = new Set<string>([...index.serviceAccounts.keys(), ...index.roleBindingsByNamespace.keys()]);
  const podSAs = index.podServiceAccounts;
  const stream = streamVerbs(index.k8sVersion);
  const adminRoles = new Set([...index.roles.values()].filter(isAdminEquivalentRole));

  nodes.set(ADMIN_NODE, { label: 'cluster-admin', admin: true });
  for (const ns of namespaces) {
    nodes.set(nsNode(ns), { label: `any service account of ${ns}`, admin: false });
    for (const sa of index.serviceAccounts.get(ns) ?? [])
      edges.push({ from: nsNode(ns), to: subjectKey({ kind: 'ServiceAccount', namespace: ns, name: sa }), kind: 'create-pod', description: `run a pod as ServiceAccount ${ns}/${sa}` });
  }
  const admins: SubjectRef[] = [];
  for (const [key, s] of identities) {
    const user = userOfSubject(s);
    const admin = isAdmin(index, user);
    nodes.set(key, { label: subjectDisplay(s), subject: s, admin });
    if (admin) {
      admins.push(s);
      continue;
    }
    for (const e of edgesOf(index, key, user, namespaces, podSAs, stream, adminRoles)) edges.push(e);
  }
  return { nodes, edges, admins };
}

/** Holds `*` on `*` in every group cluster-wide, or is in system:masters. */
export function isAdmin(index: RbacIndex, user: UserInfo): boolean {
  if (user.groups.includes(SYSTEM_MASTERS)) return true;
  return index.rulesFor(user, undefined).some((g) => g.binding.record.kind === 'ClusterRoleBinding' && isFullAccessRule(g.rule));
}

function find(grants: readonly Grant[], probe: Probe): Grant | undefined {
  return grants.find((g) => ruleGrantsProbe(g.rule, probe));
}

/** The objects a named-verb grant is limited to (undefined: any); `""` names no object a named request can carry. */
function namesOf(g: Grant): readonly string[] | undefined {
  return g.rule.names ? g.rule.names.filter((n) => n !== '') : undefined;
}

function edgesOf(index: RbacIndex, from: string, user: UserInfo, namespaces: ReadonlySet<string>, podSAs: ReadonlyMap<string, ReadonlySet<string>>, stream: readonly string[], adminRoles: ReadonlySet<RoleEntry>): Step[] {
  const out: Step[] = [];
  const cluster = index.rulesFor(user, undefined).filter((g) => g.binding.record.kind === 'ClusterRoleBinding');
  const scopes: [string | undefined, Grant[]][] = [[undefined, cluster]];
  for (const ns of index.namespacesFor(user)) scopes.push([ns, index.rulesFor(user, ns).filter((g) => g.binding.record.kind === 'RoleBinding')]);
  const saNode = (ns: string, name: string): string => `ServiceAccount:${ns}/${name}`;
  const targetsIn = (ns: string | undefined): string[] => (ns === undefined ? [...namespaces] : [ns]);

  for (const [ns, grants] of scopes) {
    const where = ns === undefined ? 'in every namespace' : `in ${ns}`;
    // Create a pod (or a controller) running as any service account of the namespace.
    for (const p of POD_CREATE) {
      const g = find(grants, p);
      if (!g) continue;
      for (const t of targetsIn(ns)) out.push({ from, to: nsNode(t), kind: 'create-pod', description: `create ${p.resource} ${ns === undefined ? `in ${t}` : where} (${grantWhere(g)})`, grant: g });
      break;
    }
    // Exec into running pods: becomes the service accounts those pods run as.
    const execGrant = find(grants, { verbs: stream, group: '', resource: 'pods/exec' });
    if (execGrant)
      for (const t of targetsIn(ns))
        for (const sa of podSAs.get(t) ?? []) out.push({ from, to: saNode(t, sa), kind: 'exec-pod', description: `exec into a pod of ${t} running as ${sa} (${grantWhere(execGrant)})`, grant: execGrant });
    // Read Secrets: legacy token Secrets of service accounts; create + read: mint one for any service account.
    const readProbe: Probe = { verbs: ['get', 'list', 'watch'], group: '', resource: 'secrets' };
    const reads = grants.filter((g) => ruleGrantsProbe(g.rule, readProbe));
    const readAll = reads.find((g) => probeGrant(g.rule, readProbe) === 'all');
    const read = readAll ?? reads[0];
    if (read) {
      // Any Secret (no resourceNames, or list/watch with `""`), else only the named ones of every such rule.
      const allowed = readAll ? undefined : reads.flatMap((g) => namesOf(g) ?? []);
      for (const t of targetsIn(ns))
        for (const [secret, sa] of index.tokenSecrets.get(t) ?? [])
          if (allowed === undefined || allowed.includes(secret)) out.push({ from, to: saNode(t, sa), kind: 'read-token-secret', description: `read token Secret ${t}/${secret} of ${sa} (${grantWhere(read)})`, grant: read });
      const create = find(grants, { verbs: ['create'], group: '', resource: 'secrets' });
      if (create && allowed === undefined)
        for (const t of targetsIn(ns)) out.push({ from, to: nsNode(t), kind: 'create-token-secret', description: `create a service-account-token Secret in ${t} and read it (${grantWhere(create)})`, grant: create });
    }
    // TokenRequest.
    const token = find(grants, { verbs: ['create'], group: '', resource: 'serviceaccounts/token' });
    if (token) {
      const names = namesOf(token);
      for (const t of targetsIn(ns)) {
        if (names === undefined) out.push({ from, to: nsNode(t), kind: 'create-token', description: `create a token for any service account of ${t} (${grantWhere(token)})`, grant: token });
        else for (const n of names) out.push({ from, to: saNode(t, n), kind: 'create-token', description: `create a token for ${t}/${n} (${grantWhere(token)})`, grant: token });
      }
    }
    // Impersonation of service accounts (namespaced) and, cluster-wide, of users and groups.
    const impSA = find(grants, { verbs: ['impersonate'], group: '', resource: 'serviceaccounts' });
    if (impSA) {
      const names = namesOf(impSA);
      for (const t of targetsIn(ns)) {
        if (names === undefined) out.push({ from, to: nsNode(t), kind: 'impersonate', description: `impersonate any service account of ${t} (${grantWhere(impSA)})`, grant: impSA });
        else for (const n of names) out.push({ from, to: saNode(t, n), kind: 'impersonate', description: `impersonate ${t}/${n} (${grantWhere(impSA)})`, grant: impSA });
      }
    }
    if (ns === undefined) {
      const impUser = find(grants, { verbs: ['impersonate'], group: '', resource: 'users', clusterScoped: true });
      const impGroup = find(grants, { verbs: ['impersonate'], group: '', resource: 'groups', clusterScoped: true });
      if (impGroup && (impUser || impSA)) {
        const names = namesOf(impGroup);
        if (names === undefined || names.includes(SYSTEM_MASTERS)) out.push({ from, to: ADMIN_NODE, kind: 'impersonate', description: `impersonate group system:masters (${grantWhere(impGroup)})`, grant: impGroup });
        else for (const n of names) if (n !== ALL_AUTHENTICATED) out.push({ from, to: `Group:${n}`, kind: 'impersonate', description: `impersonate group ${n} (${grantWhere(impGroup)})`, grant: impGroup });
      }
      if (impUser) {
        const names = namesOf(impUser);
        if (names === undefined) out.push({ from, to: '*users', kind: 'impersonate', description: `impersonate any user (${grantWhere(impUser)})`, grant: impUser });
        else for (const n of names) out.push({ from, to: `User:${n}`, kind: 'impersonate', description: `impersonate user ${n} (${grantWhere(impUser)})`, grant: impUser });
      }
      // Bind an admin-equivalent ClusterRole cluster-wide.
      const bind = find(grants, { verbs: ['bind'], group: RBAC, resource: 'clusterroles', clusterScoped: true });
      const createCrb = find(grants, { verbs: ['create'], group: RBAC, resource: 'clusterrolebindings', clusterScoped: true });
      if (bind && createCrb) {
        const names = namesOf(bind);
        const target = [...adminRoles].find((r) => names === undefined || names.includes(r.record.name));
        if (target) out.push({ from, to: ADMIN_NODE, kind: 'bind', description: `bind ${target.display} to itself with a new ClusterRoleBinding (${grantWhere(bind)})`, grant: bind });
      }
      // Escalate: add any rule to a ClusterRole bound to itself, or create one and bind it.
      const escalate = find(grants, { verbs: ['escalate'], group: RBAC, resource: 'clusterroles', clusterScoped: true });
      if (escalate) {
        const update = find(grants, { verbs: ['update', 'patch'], group: RBAC, resource: 'clusterroles', clusterScoped: true });
        const own = grants.find((g) => update && (update.rule.names === undefined || update.rule.names.includes(g.role.record.name)) && g.role.record.kind === 'ClusterRole');
        if (update && own) out.push({ from, to: ADMIN_NODE, kind: 'escalate', description: `add * on * to its own ${own.role.display} (${grantWhere(escalate)})`, grant: escalate });
        else if (bind && createCrb && find(grants, { verbs: ['create'], group: RBAC, resource: 'clusterroles', clusterScoped: true }))
          out.push({ from, to: ADMIN_NODE, kind: 'escalate', description: `create a ClusterRole with * on * and bind it (${grantWhere(escalate)})`, grant: escalate });
      }
      // nodes/proxy: the kubelet API runs commands in every pod of the node.
      const proxy = find(grants, { verbs: ['get', 'create'], group: '', resource: 'nodes/proxy', clusterScoped: true });
      if (proxy)
        for (const [t, sas] of podSAs)
          for (const sa of sas) out.push({ from, to: saNode(t, sa), kind: 'nodes-proxy', description: `exec through the kubelet (nodes/proxy) into a pod running as ${t}/${sa} (${grantWhere(proxy)})`, grant: proxy });
      // CSR approval for the kube-apiserver-client signer: a client certificate with O=system:masters.
      const approve = find(grants, CSR_APPROVAL);
      const createCsr = find(grants, { verbs: ['create'], group: 'certificates.k8s.io', resource: 'certificatesigningrequests', clusterScoped: true });
      if (approve && createCsr && CSR_SIGNER_REQUESTS.some((r) => index.can(user, r)))
        out.push({ from, to: ADMIN_NODE, kind: 'csr-approve', description: `request and approve a client certificate for group system:masters (${grantWhere(approve)})`, grant: approve });
    } else {
      // Bind or escalate inside the namespace: any permission there, hence any of its service accounts.
      const bind = find(grants, { verbs: ['bind'], group: RBAC, resource: 'clusterroles' }) ?? find(grants, { verbs: ['bind'], group: RBAC, resource: 'roles' });
      const createRb = find(grants, { verbs: ['create'], group: RBAC, resource: 'rolebindings' });
      if (bind && createRb) out.push({ from, to: nsNode(ns), kind: 'bind', description: `bind a powerful role in ${ns} and run pods there (${grantWhere(bind)})`, grant: bind });
    }
  }
  return out;
}

/**
 * Shortest path of every identity to the target node (default: cluster-admin), by a breadth-first search
 * backwards from the target. `*users` (impersonate any user) reaches every User node.
 */
export function shortestPaths(graph: EscalationGraph, target: string = ADMIN_NODE): Map<string, Step[]> {
  const incoming = new Map<string, Step[]>();
  const users = [...graph.nodes.keys()].filter((k) => k.startsWith('User:'));
  const push = (to: string, s: Step): void => {
    const l = incoming.get(to);
    if (l) l.push(s);
    else incoming.set(to, [s]);
  };
  for (const e of graph.edges) {
    if (e.to === '*users') for (const u of users) push(u, { ...e, to: u });
    else push(e.to, e);
  }
  // Admin identities reach cluster-admin in one step.
  for (const s of graph.admins) push(ADMIN_NODE, { from: subjectKey(s), to: ADMIN_NODE, kind: 'holds-admin', description: 'already cluster-admin equivalent' });
  const next = new Map<string, Step>();
  const seen = new Set<string>([target]);
  const queue = [target];
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i] as string;
    for (const e of incoming.get(n) ?? []) {
      if (seen.has(e.from)) continue;
      seen.add(e.from);
      next.set(e.from, e);
      queue.push(e.from);
    }
  }
  const out = new Map<string, Step[]>();
  for (const [key, node] of graph.nodes) {
    if (!node.subject || key === target || !next.has(key)) continue;
    const steps: Step[] = [];
    let cur = key;
    while (cur !== target) {
      const s = next.get(cur);
      if (!s) break;
      steps.push(s);
      cur = s.to;
    }
    out.set(key, steps);
  }
  return out;
}

/** Escalation paths to cluster-admin of every identity that is not already cluster-admin equivalent. */
export function escalationPaths(index: RbacIndex, options: { from?: SubjectRef; target?: SubjectRef } = {}): { graph: EscalationGraph; paths: EscalationPath[] } {
  const extra = [options.from, options.target].filter((s): s is SubjectRef => s !== undefined);
  const graph = buildEscalationGraph(index, extra);
  const target = options.target ? subjectKey(options.target) : ADMIN_NODE;
  const all = shortestPaths(graph, target);
  const paths: EscalationPath[] = [];
  for (const [key, steps] of all) {
    const node = graph.nodes.get(key);
    if (!node?.subject || (node.admin && target === ADMIN_NODE)) continue;
    if (options.from && key !== subjectKey(options.from)) continue;
    paths.push({ from: node.subject, steps });
  }
  paths.sort((a, b) => a.steps.length - b.steps.length || (subjectKey(a.from) < subjectKey(b.from) ? -1 : 1));
  return { graph, paths };
}
