/**
 * `escalationPathsOnDemand` searches the escalation graph backwards from the target and builds it on demand (what
 * `escalationPaths` does unless every path to cluster-admin is asked and an admin exists); it must give
 * exactly the paths of the whole graph (`escalationPathsOfGraph`: buildEscalationGraph + shortestPaths) — the same
 * identities, the same steps through the same bindings and rules, the same words — for every target and every `from`:
 * on the check fixtures, the corpus and generated clusters full of steps (pods, exec, token Secrets, tokens,
 * impersonation, bind, escalate, nodes/proxy, CSRs; RoleBindings and ClusterRoleBindings; users, groups, service
 * accounts, system:authenticated; admin-equivalent bindings and system:masters).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/object.js';
import { toK8sObject } from '../../model/object.js';
import { buildRbacIndex, type RbacIndex } from './authorizer.js';
import { buildEscalationGraph, escalationPaths, escalationPathsOfGraph, escalationPathsOnDemand, type EscalationPath, type Step } from './paths.js';
import { subjectKey, type SubjectRef } from './subjects.js';
import { rng } from '../../../test/support/yaml-gen.js';
import { loadFolder, loadYamlFile, sharedDir } from './testutil.testutil.js';


const RBAC = 'rbac.authorization.k8s.io';
const RULES: Record<string, unknown>[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] },
  { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['create'] },
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['tok-0', 'tok-1'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['sa-0', 'sa-2'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'], resourceNames: ['sa-1'] },
  { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['user-1', 'user-3'] },
  { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['group-0', 'system:authenticated'] },
  { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind'] },
  { apiGroups: [RBAC], resources: ['clusterrolebindings', 'rolebindings'], verbs: ['create'] },
  { apiGroups: [RBAC], resources: ['roles'], verbs: ['bind'] },
  { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['escalate', 'update', 'create'] },
  { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
  { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
  { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], resourceNames: ['kubernetes.io/kube-apiserver-client'] },
  { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
];

/**
 * A cluster of a few namespaces whose roles are drawn from the step rules above. With `alias` false, no user is named
 * like a service account (`system:serviceaccount:a:sa-1`, whose subject key is that service account's): the graph
 * then knows each identity's own key entry from its subject (bindingKeys) instead of looking the key up.
 */
function world(seed: number, alias = true): K8sObject[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const raws: Record<string, unknown>[] = [];
  const nss = ['a', 'b', 'c', 'kube-system'];
  const sas = ['sa-0', 'sa-1', 'sa-2', 'default'];
  for (const ns of nss) for (const sa of sas) if (r() < 0.7) raws.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } });
  for (const ns of nss) {
    if (r() < 0.5) raws.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec: { serviceAccountName: pick(sas), containers: [{ name: 'c', image: 'x' }] } });
    if (r() < 0.5) raws.push({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: `tok-${Math.floor(r() * 2)}`, namespace: ns, annotations: { 'kubernetes.io/service-account.name': pick(sas) } } });
  }
  const roles: string[] = [];
  const rolesFor = (): Record<string, unknown>[] => {
    // Most roles are harmless; the 25th rule is everything (admin-equivalent).
    const n = 1 + Math.floor(r() * 3);
    return Array.from({ length: n }, () => (r() < 0.4 ? (RULES[23] as Record<string, unknown>) : r() < 0.03 ? (RULES[24] as Record<string, unknown>) : pick(RULES.slice(0, 23))));
  };
  for (let i = 0; i < 14; i++) {
    roles.push(`cr-${i}`);
    raws.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: `cr-${i}` }, rules: rolesFor() });
  }
  for (const ns of nss) raws.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'r', namespace: ns }, rules: rolesFor() });
  const subject = (): Record<string, unknown> => {
    const k = r();
    if (k < 0.5) return { kind: 'ServiceAccount', name: pick(sas), namespace: pick(nss) };
    if (k < 0.75) return { kind: 'User', name: `user-${Math.floor(r() * 5)}`, apiGroup: RBAC };
    if (k < 0.8) return { kind: 'User', name: alias ? 'system:serviceaccount:a:sa-1' : 'user-5', apiGroup: RBAC };
    return { kind: 'Group', name: pick(['group-0', 'group-1', 'system:serviceaccounts:b', 'system:masters', r() < 0.3 ? 'system:authenticated' : 'group-2']), apiGroup: RBAC };
  };
  for (let i = 0; i < 24; i++) {
    const subjects = Array.from({ length: 1 + Math.floor(r() * 2) }, subject);
    if (r() < 0.4) raws.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}` }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: r() < 0.1 ? 'cluster-admin' : pick(roles) }, subjects });
    else {
      const useRole = r() < 0.3;
      raws.push({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace: pick(nss) }, roleRef: { apiGroup: RBAC, kind: useRole ? 'Role' : 'ClusterRole', name: useRole ? (r() < 0.8 ? 'r' : 'missing') : pick(roles) }, subjects });
    }
  }
  return raws.flatMap((raw) => toK8sObject(raw, undefined) ?? []);
}

/** Everything a path shows, and what the check and the CLI read of its steps. */
function shown(paths: readonly EscalationPath[]): string[] {
  return paths.map((p) => `${subjectKey(p.from)}: ${p.steps.map((s) => `${s.from} -[${s.kind}: ${s.description} | ${s.grant ? `${s.grant.binding.display} ${s.grant.role.display} ${s.grant.rule.index} ${s.grant.subject.index}` : '-'}]-> ${s.to}`).join('; ')}`);
}

/** Every identity of the index (binding subjects, service accounts) and one that is in none. */
function identities(index: RbacIndex): SubjectRef[] {
  const out = new Map<string, SubjectRef>();
  for (const b of index.bindings) for (const s of b.record.subjects) out.set(`${s.kind}:${s.namespace ?? ''}/${s.name}`, s.kind === 'ServiceAccount' ? { kind: 'ServiceAccount', namespace: s.namespace ?? '', name: s.name } : { kind: s.kind, name: s.name });
  for (const [ns, names] of index.serviceAccounts) for (const name of names) out.set(`ServiceAccount:${ns}/${name}`, { kind: 'ServiceAccount', namespace: ns, name });
  out.set('nobody', { kind: 'User', name: 'nobody' });
  return [...out.values()];
}

/** Both searches agree for every target (cluster-admin and a few identities) and every `from`; returns how many paths there were. */
function agree(objects: K8sObject[], label: string): number {
  const index = (): RbacIndex => buildRbacIndex(objects, { defaults: 'roles' });
  let n = 0;
  const ids = identities(index());
  const targets: (SubjectRef | undefined)[] = [undefined, ...ids.filter((_, i) => i % 5 === 0)];
  for (const target of targets) {
    const options = target ? { target } : {};
    const fast = escalationPathsOnDemand(index(), options);
    const full = escalationPathsOfGraph(index(), options);
    expect(shown(escalationPaths(index(), options).paths)).toEqual(shown(full.paths));
    expect(shown(fast.paths), `${label} → ${target ? subjectKey(target) : 'cluster-admin'}`).toEqual(shown(full.paths));
    expect([...fast.graph.nodes].map(([k, v]) => `${k} ${v.label} ${v.admin}`)).toEqual([...full.graph.nodes].map(([k, v]) => `${k} ${v.label} ${v.admin}`));
    expect(fast.graph.admins).toEqual(full.graph.admins);
    n += full.paths.length;
    if (target !== undefined && targets.indexOf(target) > 1) continue;
    for (const from of ids) {
      const one = { ...options, from };
      expect(shown(escalationPathsOnDemand(index(), one).paths), `${label}: from ${subjectKey(from)}`).toEqual(shown(escalationPathsOfGraph(index(), one).paths));
    }
  }
  return n;
}

/** Every edge of a graph, as shown and with the grant behind it. */
function edgesShown(edges: readonly Step[]): string[] {
  return edges.map((s) => `${s.from} -[${s.kind}: ${s.description} | ${s.grant ? `${s.grant.binding.display} ${s.grant.role.display} ${s.grant.rule.index} ${s.grant.subject.index}` : '-'}]-> ${s.to}`);
}

/** The whole graph with each identity's RoleBindings taken as StepBindings takes them = with every one (roleBindingsFor). */
function sameEdges(objects: K8sObject[], label: string): number {
  const fast = buildEscalationGraph(buildRbacIndex(objects, { defaults: 'roles' }));
  const reference = buildEscalationGraph(buildRbacIndex(objects, { defaults: 'roles' }), [], { reference: true });
  expect(edgesShown(fast.edges), label).toEqual(edgesShown(reference.edges));
  // The reference also takes every identity's subject keys from index.userKeys (admins and who has a step).
  expect([...fast.nodes].map(([k, v]) => `${k} ${v.label} ${v.admin}`), label).toEqual([...reference.nodes].map(([k, v]) => `${k} ${v.label} ${v.admin}`));
  expect(fast.admins, label).toEqual(reference.admins);
  return fast.edges.length;
}

describe('the escalation graph from the RoleBindings that grant a step = from every RoleBinding', () => {
  it('generated clusters full of steps', () => {
    let edges = 0;
    for (let seed = 1; seed <= 40; seed++) edges += sameEdges(world(seed), `world ${seed}`);
    expect(edges).toBeGreaterThan(1000);
  });

  it('generated clusters where no user is named like a service account (own key entries known from the subjects)', () => {
    let edges = 0;
    for (let seed = 1; seed <= 40; seed++) edges += sameEdges(world(seed, false), `world ${seed} without alias`);
    expect(edges).toBeGreaterThan(1000);
  });

  it('subjects bound in many namespaces, out of namespace order (few and more than 64 RoleBindings per subject key)', () => {
    const r = rng(7);
    const nss = Array.from({ length: 90 }, (_, i) => `ns-${(i * 37) % 90}`);
    const raws: Record<string, unknown>[] = [
      { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'pods' }, rules: [RULES[0]] },
      { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'tokens' }, rules: [RULES[7]] },
    ];
    // Group many: 120 RoleBindings (some namespaces twice, with both roles); user few: 10; each in shuffled namespace order.
    for (let i = 0; i < 130; i++) {
      const ns = nss[Math.floor(r() * nss.length)] as string;
      const subject = i < 120 ? { apiGroup: RBAC, kind: 'Group', name: 'many' } : { apiGroup: RBAC, kind: 'User', name: 'few' };
      raws.push({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace: ns }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: r() < 0.5 ? 'pods' : 'tokens' }, subjects: [subject] });
    }
    for (const ns of nss.slice(0, 30)) raws.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: ns } });
    expect(sameEdges(raws.flatMap((raw) => toK8sObject(raw, undefined) ?? []), 'many namespaces')).toBeGreaterThan(100);
  });

  it('the check fixtures and the corpus', () => {
    const dir = join(import.meta.dirname, '..', '..', 'checks', 'rbac-escalation-path', 'fixtures');
    for (const sub of ['fail', 'pass']) for (const f of readdirSync(join(dir, sub))) sameEdges(loadYamlFile(join(dir, sub, f)), `${sub}/${f}`);
    const corpus = sharedDir('corpus');
    if (corpus !== undefined) for (const d of readdirSync(corpus, { withFileTypes: true })) if (d.isDirectory()) sameEdges(loadFolder(join(corpus, d.name)), d.name);
  });
});

describe('the search over the whole graph takes the edges into a user in graph order', () => {
  // alice may impersonate any user, bob only user root (an admin): root's edges are alice's (`*users`, first in the
  // graph) then bob's. carol may impersonate alice and bob: she is reached from whichever the search took first.
  const crb = (name: string, role: string, user: string): Record<string, unknown> => ({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role }, subjects: [{ apiGroup: RBAC, kind: 'User', name: user }] });
  const role = (name: string, names?: string[]): Record<string, unknown> => ({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], ...(names ? { resourceNames: names } : {}) }] });
  const objects = [role('any-user'), role('root-only', ['root']), role('alice-bob', ['alice', 'bob']), crb('a', 'any-user', 'alice'), crb('b', 'root-only', 'bob'), crb('c', 'cluster-admin', 'root'), crb('d', 'alice-bob', 'carol')].flatMap((raw) => toK8sObject(raw, undefined) ?? []);
  it('carol goes through alice, as the search backwards on demand finds', () => {
    const full = escalationPathsOfGraph(buildRbacIndex(objects, { defaults: 'roles' }));
    expect(shown(full.paths)).toEqual(shown(escalationPathsOnDemand(buildRbacIndex(objects, { defaults: 'roles' })).paths));
    const carol = full.paths.find((p) => p.from.name === 'carol');
    expect(carol?.steps.map((s) => s.to)).toEqual(['User:alice', 'User:root', 'cluster-admin']);
  });
});

describe('escalation paths searched backwards on demand = the paths of the whole graph', () => {
  it('generated clusters full of steps', () => {
    let paths = 0;
    for (let seed = 1; seed <= 20; seed++) paths += agree(world(seed), `world ${seed}`);
    // The worlds do have paths to compare (most of them several).
    expect(paths).toBeGreaterThan(250);
  });

  it('the check fixtures', () => {
    const dir = join(import.meta.dirname, '..', '..', 'checks', 'rbac-escalation-path', 'fixtures');
    for (const sub of ['fail', 'pass']) for (const f of readdirSync(join(dir, sub))) agree(loadYamlFile(join(dir, sub, f)), `${sub}/${f}`);
  });

  const corpus = sharedDir('corpus');
  it.skipIf(corpus === undefined)('the corpus', () => {
    for (const d of readdirSync(corpus ?? '', { withFileTypes: true })) if (d.isDirectory()) agree(loadFolder(join(corpus ?? '', d.name)), d.name);
  });
});
