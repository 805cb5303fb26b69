/**
 * Table-driven can-i cases over testdata/cluster.yaml: every rule of the RBAC authorizer — verbs, groups,
 * resources and subresources, resourceNames, non-resource URLs, binding scopes, subjects and implicit
 * groups, aggregation, missing and wrong-kind roles, system:masters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IndexedOrigin } from '../../sources/yaml-positions.js';
import { parseManifests } from '../../sources/yaml.js';
import type { K8sObject } from '../../model/object.js';
import { buildRbacIndex } from './authorizer.js';
import { isNamespacedRequest, requestOf } from './requests.js';
import { impersonatedUser } from './subjects.js';
import { loadYamlText } from './testutil.testutil.js';

const file = join(import.meta.dirname, 'testdata', 'cluster.yaml');
const parsed = parseManifests(readFileSync(file, 'utf8'), file, { type: 'file', uri: file });
const index = buildRbacIndex(parsed.objects, { defaults: 'roles' });

/** [user (kubectl --as), groups (--as-group), verb, resource (kubectl notation), namespace ('' = none), name ('' = none), expected] */
type Case = readonly [string, readonly string[], string, string, string, string, boolean];

const SA = (ns: string, n: string): string => `system:serviceaccount:${ns}:${n}`;

const CASES: readonly Case[] = [
  // ClusterRoleBinding applies everywhere; verbs exact; pods ≠ pods/log; groups exact.
  ['alice', [], 'get', 'pods', 'team', '', true],
  ['alice', [], 'list', 'pods', 'other', '', true],
  ['alice', [], 'watch', 'pods', '', '', true],
  ['alice', [], 'get', 'pods/log', 'team', '', false],
  ['alice', [], 'get', 'pods/exec', 'team', '', false],
  ['alice', [], 'delete', 'pods', 'team', '', false],
  ['alice', [], 'get', 'pods.apps', 'team', '', false],
  ['alice', [], 'get', 'secrets', 'team', '', false],
  ['alice', [], 'get', 'pods', 'team', 'web-0', true],
  ['alice', [], 'create', 'pods', 'team', '', false],
  ['alice', [], 'GET', 'pods', 'team', '', false],
  // Non-resource URLs: exact, trailing * as prefix; implicit system:authenticated.
  ['alice', [], 'get', '/healthz', '', '', true],
  ['alice', [], 'get', '/metrics', '', '', true],
  ['alice', [], 'post', '/healthz', '', '', false],
  ['alice', [], 'get', '/logs/kube-apiserver.log', '', '', true],
  ['alice', [], 'get', '/logs', '', '', false],
  ['alice', [], 'get', '/healthz/etcd', '', '', false],
  ['alice', [], 'get', '/version', '', '', false],
  ['alice', [], 'get', '/api', '', '', false],
  ['alice', [], 'get', '/api/', '', '', true],
  ['alice', [], 'get', '/api/v1', '', '', true],
  ['alice', [], 'get', '/apis', '', '', false],
  ['alice', [], 'get', '/foobar', '', '', true],
  ['alice', [], 'get', '/foo', '', '', true],
  ['alice', [], 'get', '/fo', '', '', false],
  ['alice', [], 'get', '/anything', '', '', false],
  ['alice', [], 'get', '/federate', '', '', false],
  // A RoleBinding applies only in its namespace, also when it references a ClusterRole.
  ['bob', [], 'create', 'pods/exec', 'team', '', true],
  ['bob', [], 'create', 'pods/exec', 'other', '', false],
  ['bob', [], 'create', 'pods/exec', '', '', false],
  ['bob', [], 'get', 'pods/exec', 'team', '', false],
  ['bob', [], 'create', 'pods', 'team', '', false],
  ['bob', [], 'create', 'pods/attach', 'team', '', false],
  // */status matches that subresource of any resource, in any group; not the resource itself.
  ['zed', ['devs'], 'get', 'pods/status', 'team', '', true],
  ['zed', ['devs'], 'get', 'deployments.apps/status', 'team', '', true],
  ['zed', ['devs'], 'get', 'nodes/status', '', '', true],
  ['zed', ['devs'], 'get', 'pods', 'team', '', false],
  ['zed', ['devs'], 'update', 'pods/status', 'team', '', false],
  ['zed', ['devs'], 'get', 'pods/statusx', 'team', '', false],
  ['zed', ['devs'], 'get', 'status', 'team', '', false],
  ['zed', [], 'get', 'pods/status', 'team', '', false],
  // Group subject vs user named like the group.
  ['zed', ['devs'], 'get', 'limitranges', 'team', '', false],
  ['devs', [], 'get', 'limitranges', 'team', '', true],
  // Service account subject without namespace → the RoleBinding's; resourceNames.
  [SA('team', 'app'), [], 'get', 'configmaps', 'team', 'app-config', true],
  [SA('team', 'app'), [], 'get', 'configmaps', 'team', 'other', false],
  [SA('team', 'app'), [], 'get', 'configmaps', 'team', '', false],
  [SA('team', 'app'), [], 'list', 'configmaps', 'team', '', false],
  [SA('team', 'app'), [], 'update', 'configmaps', 'team', 'app-config', true],
  [SA('team', 'app'), [], 'get', 'configmaps', 'other', 'app-config', false],
  [SA('team', 'app'), [], 'get', 'secrets', 'team', '', true],
  [SA('team', 'app'), [], 'list', 'secrets', 'team', '', false],
  [SA('team', 'app'), [], 'get', 'secrets', 'other', '', false],
  [SA('team', 'app'), [], 'get', 'secrets', '', '', false],
  [SA('other', 'app'), [], 'get', 'secrets', 'team', '', false],
  // Implicit groups of service accounts: system:serviceaccounts, system:serviceaccounts:NS, system:authenticated.
  [SA('team', 'app'), [], 'list', 'serviceaccounts', 'team', '', true],
  [SA('team', 'app'), [], 'list', 'serviceaccounts', '', '', true],
  [SA('team', 'app'), ['custom'], 'list', 'serviceaccounts', 'team', '', false],
  [SA('team', 'app'), ['custom'], 'get', 'secrets', 'team', '', true],
  [SA('team', 'app'), [], 'get', '/healthz', '', '', true],
  [SA('monitoring', 'prom'), [], 'get', '/federate', '', '', true],
  [SA('other', 'prom'), [], 'get', '/federate', '', '', false],
  ['prom', ['system:serviceaccounts:monitoring'], 'get', '/federate', '', '', true],
  // Service account subject with an explicit namespace in a RoleBinding of another namespace.
  [SA('other', 'remote'), [], 'get', 'secrets', 'team', '', true],
  [SA('other', 'remote'), [], 'get', 'secrets', 'other', '', false],
  [SA('team', 'remote'), [], 'get', 'secrets', 'team', '', false],
  // Verb * on deployments and deployments/scale of apps.
  [SA('ci', 'deployer'), [], 'create', 'deployments.apps', 'x', '', true],
  [SA('ci', 'deployer'), [], 'delete', 'deployments.apps', 'x', 'web', true],
  [SA('ci', 'deployer'), [], 'escalate', 'deployments.apps', 'x', '', true],
  [SA('ci', 'deployer'), [], 'patch', 'deployments.apps/scale', 'x', '', true],
  [SA('ci', 'deployer'), [], 'deletecollection', 'deployments.apps', 'x', '', true],
  [SA('ci', 'deployer'), [], 'get', 'deployments.apps/status', 'x', '', false],
  [SA('ci', 'deployer'), [], 'get', 'deployments', 'x', '', false],
  [SA('ci', 'deployer'), [], 'get', 'deployments.extensions', 'x', '', false],
  [SA('ci', 'deployer'), [], 'create', 'replicasets.apps', 'x', '', false],
  [SA('ci', 'deployer'), [], 'list', 'deployments.apps', '', '', true],
  // Resources * includes subresources, within the rule's groups.
  ['vic', ['viewers'], 'get', 'deployments.apps', 'x', '', true],
  ['vic', ['viewers'], 'get', 'daemonsets.apps', 'x', '', true],
  ['vic', ['viewers'], 'get', 'deployments.apps/scale', 'x', '', true],
  ['vic', ['viewers'], 'list', 'deployments.apps', 'x', '', false],
  ['vic', ['viewers'], 'get', 'pods', 'x', '', false],
  ['vic', ['viewers'], 'get', 'jobs.batch', 'x', '', false],
  ['vic', [], 'get', 'deployments.apps', 'x', '', false],
  // apiGroups * with a named resource.
  ['carol', [], 'get', 'widgets.example.com', 'x', '', true],
  ['carol', [], 'get', 'widgets', 'x', '', true],
  ['carol', [], 'get', 'widgets.example.com/status', 'x', '', false],
  ['carol', [], 'get', 'gadgets.example.com', 'x', '', false],
  ['carol', [], 'list', 'widgets.example.com', 'x', '', false],
  // system:anonymous gets system:unauthenticated, not system:authenticated.
  ['system:anonymous', [], 'get', '/anything', '', '', true],
  ['system:anonymous', [], 'get', '/healthz', '', '', true],
  ['system:anonymous', [], 'post', '/anything', '', '', false],
  ['system:anonymous', [], 'get', 'pods', 'team', '', false],
  ['system:anonymous', [], 'list', 'serviceaccounts', 'team', '', false],
  ['alice', ['system:unauthenticated'], 'get', '/healthz', '', '', true],
  ['alice', ['system:unauthenticated'], 'get', '/metrics', '', '', true],
  ['alice', ['system:unauthenticated'], 'get', '/logs/x', '', '', true],
  ['alice', ['other'], 'get', '/healthz', '', '', true],
  ['alice', ['system:authenticated'], 'get', '/anything', '', '', false],
  // Non-resource URLs are never granted by a RoleBinding.
  ['dave', [], 'get', '/debug/pprof', '', '', false],
  ['dave', [], 'get', '/debug/pprof', 'team', '', false],
  ['tara', ['team-admins'], 'get', '/debug/x', '', '', false],
  // A ClusterRole with * bound by a RoleBinding: everything in that namespace only.
  ['tara', ['team-admins'], 'get', 'secrets', 'team', '', true],
  ['tara', ['team-admins'], 'delete', 'pods', 'team', '', true],
  ['tara', ['team-admins'], 'create', 'deployments.apps', 'team', '', true],
  ['tara', ['team-admins'], 'escalate', 'roles.rbac.authorization.k8s.io', 'team', '', true],
  ['tara', ['team-admins'], 'get', 'secrets', 'other', '', false],
  ['tara', ['team-admins'], 'list', 'secrets', '', '', false],
  ['tara', ['team-admins'], 'get', 'nodes', '', '', false],
  ['tara', ['team-admins'], 'get', 'nodes', 'team', '', false],
  ['tara', ['team-admins'], 'get', '/healthz', '', '', true],
  // A namespace object is requested "in" itself: its RoleBindings apply.
  ['tara', ['team-admins'], 'update', 'namespaces', '', 'team', true],
  ['tara', ['team-admins'], 'update', 'namespaces', '', 'other', false],
  ['frank', [], 'update', 'namespaces', '', 'team', true],
  ['frank', [], 'update', 'namespaces', 'team', 'other', false],
  ['frank', [], 'update', 'namespaces', 'team', '', false],
  ['frank', [], 'patch', 'namespaces', '', 'team', false],
  // Role in the binding's namespace; a RoleBinding to a Role missing from its namespace grants nothing.
  ['erin', [], 'create', 'configmaps', 'team', '', true],
  ['erin', [], 'create', 'configmaps', 'other', '', false],
  ['erin', [], 'deletecollection', 'configmaps', 'team', '', false],
  ['erin', [], 'get', 'configmaps', 'team', '', false],
  // Aggregation: computed, nested, through label selectors and expressions.
  ['gina', [], 'get', 'services', 'x', '', true],
  ['gina', [], 'list', 'endpoints', 'x', '', true],
  ['gina', [], 'get', 'endpoints', 'x', '', false],
  ['gina', [], 'delete', 'services', 'x', '', false],
  ['hank', [], 'get', 'services', 'x', '', true],
  ['hank', [], 'list', 'endpoints', 'x', '', true],
  ['hank', [], 'get', 'pods', 'x', '', false],
  // Wrong role kind and missing role grant nothing.
  ['ivan', [], 'get', 'secrets', 'team', '', false],
  ['judy', [], 'get', 'pods', 'team', '', false],
  // Default ClusterRoles resolve from the bootstrap policy, with aggregation (edit).
  ['kim', [], 'create', 'pods', 'team', '', true],
  ['kim', [], 'get', 'secrets', 'team', '', true],
  ['kim', [], 'create', 'pods/exec', 'team', '', true],
  ['kim', [], 'impersonate', 'serviceaccounts', 'team', '', true],
  ['kim', [], 'create', 'rolebindings.rbac.authorization.k8s.io', 'team', '', false],
  ['kim', [], 'list', 'nodes', '', '', false],
  ['kim', [], 'create', 'pods', 'other', '', false],
  // A service account subject of a ClusterRoleBinding needs a namespace: it matches nobody.
  [SA('default', 'ghost'), [], 'get', 'pods', 'team', '', false],
  // system:masters bypasses RBAC.
  ['root', ['system:masters'], 'delete', 'nodes', '', '', true],
  ['root', ['system:masters'], 'get', '/anything', '', '', true],
  ['root', ['system:masters'], 'impersonate', 'users', '', '', true],
  ['root', [], 'delete', 'nodes', '', '', false],
  // resources * in the core group.
  ['gus', [], 'get', 'pods', 'x', '', true],
  ['gus', [], 'get', 'pods/log', 'x', '', true],
  ['gus', [], 'get', 'secrets', 'x', '', true],
  ['gus', [], 'get', 'deployments.apps', 'x', '', false],
  ['gus', [], 'list', 'pods', 'x', '', false],
  // pods/* is not special: only that literal string matches.
  ['hal', [], 'get', 'pods/log', 'x', '', false],
  ['hal', [], 'get', 'pods/*', 'x', '', true],
  ['hal', [], 'get', 'pods', 'x', '', false],
  // */scale in one group.
  ['ida', [], 'update', 'deployments.apps/scale', 'x', '', true],
  ['ida', [], 'update', 'statefulsets.apps/scale', 'x', '', true],
  ['ida', [], 'update', 'deployments.apps', 'x', '', false],
  ['ida', [], 'update', 'replicationcontrollers/scale', 'x', '', false],
  // Groups × resources are a cross product.
  ['jay', [], 'list', 'pods', 'x', '', true],
  ['jay', [], 'list', 'deployments.apps', 'x', '', true],
  ['jay', [], 'list', 'pods.apps', 'x', '', true],
  ['jay', [], 'list', 'deployments', 'x', '', true],
  ['jay', [], 'list', 'jobs.batch', 'x', '', false],
  // resourceNames never match requests without a name (create, list/watch without a name selector).
  ['kay', [], 'create', 'secrets', 'x', '', false],
  ['kay', [], 'create', 'secrets', 'x', 's1', true],
  ['kay', [], 'watch', 'configmaps', 'x', 'cm1', true],
  ['kay', [], 'watch', 'configmaps', 'x', '', false],
  ['kay', [], 'watch', 'configmaps', 'x', 'cm2', false],
  // A RoleBinding cannot grant a cluster-scoped resource.
  ['leo', [], 'get', 'nodes', '', '', false],
  ['leo', [], 'get', 'nodes', 'team', '', false],
  ['leo', [], 'get', 'nodes', '', 'node-1', false],
  // Nobody else.
  ['nobody', [], 'get', 'pods', 'team', '', false],
  ['nobody', [], 'list', 'namespaces', '', '', false],
  ['nobody', [], 'get', '/healthz', '', '', true],
];

describe('can-i (authorizer)', () => {
  it('has at least 150 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
  });
  it.each(CASES.map((c, i) => [i, ...c] as const))('#%i %s %j %s %s -n %s --name %s → %s', (_i, user, groups, verb, resource, ns, name, expected) => {
    const req = requestOf({ verb, resource, ...(ns !== '' ? { namespace: ns } : {}), ...(name !== '' ? { name } : {}) });
    const who = impersonatedUser(user, groups);
    const d = index.authorize(who, req);
    expect(d.allowed).toBe(expected);
    expect(index.can(who, req)).toBe(expected);
    if (expected && d.reason === 'rbac') expect(d.grants.length).toBeGreaterThan(0);
    if (!expected) expect(d.grants).toEqual([]);
  });
});

describe('explanations', () => {
  it('names the binding, role and rule that grant a request', () => {
    const d = index.authorize(impersonatedUser('bob'), requestOf({ verb: 'create', resource: 'pods/exec', namespace: 'team' }));
    expect(d.grants.map((g) => [g.binding.display, g.role.display, g.rule.index])).toEqual([['RoleBinding team/bob-exec', 'ClusterRole exec', 0]]);
  });
  it('names the ClusterRole an aggregated rule came from', () => {
    const d = index.authorize(impersonatedUser('hank'), requestOf({ verb: 'list', resource: 'endpoints', namespace: 'x' }));
    expect(d.grants[0]?.rule.from).toEqual({ role: 'agg-child-b', index: 0 });
  });
  it('reports a missing role and a wrong role kind', () => {
    const missing = index.bindings.filter((b) => b.unresolved).map((b) => [b.display, b.unresolved]);
    expect(missing).toEqual([
      ['RoleBinding other/cm-writer-cross', 'missing-role'],
      ['ClusterRoleBinding crb-to-role', 'wrong-kind'],
      ['ClusterRoleBinding missing', 'missing-role'],
    ]);
    expect(index.problems.map((p) => p.code)).toContain('rbac-wrong-role-kind');
    expect(index.problems.find((p) => p.code === 'rbac-invalid-subject')?.line).toBeGreaterThan(1);
  });
});

describe('who-can', () => {
  it('lists every subject with its scope', () => {
    const rows = index.whoCan(requestOf({ verb: 'get', resource: 'secrets', namespace: 'team' })).map((e) => `${e.subject.kind}:${e.subject.namespace ?? ''}/${e.subject.name}@${e.scope}`);
    expect(rows.sort()).toEqual(['Group:/team-admins@team', 'ServiceAccount:other/remote@team', 'ServiceAccount:team/app@team', 'User:/gus@cluster', 'User:/kim@team']);
  });
  it('asks in every namespace with anyNamespace', () => {
    const rows = index.whoCan(requestOf({ verb: 'create', resource: 'pods/exec' }), { anyNamespace: true }).map((e) => `${e.subject.name}@${e.scope}`);
    expect(rows.sort()).toEqual(['bob@team', 'kim@team', 'team-admins@team']);
  });
  it('only ClusterRoleBindings answer cluster-scoped and non-resource requests', () => {
    expect(isNamespacedRequest(requestOf({ verb: 'get', resource: 'nodes' }))).toBe(false);
    expect(index.whoCan(requestOf({ verb: 'get', resource: 'nodes' })).map((e) => e.subject.name)).toEqual(['gus']);
    expect(index.whoCan(requestOf({ verb: 'get', resource: '/debug/x' }), { anyNamespace: true }).map((e) => e.subject.name)).toEqual(['system:unauthenticated']);
  });
});

describe('escalation prevention', () => {
  const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames: string[] = []) => ({ verbs, apiGroups, resources, resourceNames, nonResourceURLs: [] });
  it('allows creating a role whose rules the creator holds (covers)', () => {
    const r = index.canWriteRole(impersonatedUser('alice'), 'Role', 'r', 'team', [rule(['get', 'list'], [''], ['pods'])]);
    expect(r).toMatchObject({ allowed: true, via: 'covers' });
  });
  it('refuses a rule the creator does not hold, and names it', () => {
    const r = index.canWriteRole(impersonatedUser('alice'), 'Role', 'r', 'team', [rule(['get', 'delete'], [''], ['pods'])]);
    expect(r.allowed).toBe(false);
    expect(r.uncovered).toEqual([rule(['delete'], [''], ['pods'])]);
  });
  it('allows everything in the namespace to a namespace admin, but not cluster-wide', () => {
    const tara = impersonatedUser('tara', ['team-admins']);
    expect(index.canWriteRole(tara, 'Role', 'r', 'team', [rule(['*'], ['*'], ['*'])]).allowed).toBe(true);
    expect(index.canWriteRole(tara, 'ClusterRole', 'r', undefined, [rule(['get'], [''], ['secrets'])]).allowed).toBe(false);
  });
  it('the escalate verb bypasses covers', () => {
    expect(index.canWriteRole(impersonatedUser('tara', ['team-admins']), 'Role', 'r', 'team', [rule(['get'], [''], ['nodes'])]).via).toMatch(/escalate|covers/);
  });
  it('binding needs bind on the role or its permissions', () => {
    expect(index.canBind(impersonatedUser('alice'), { kind: 'ClusterRole', name: 'pod-reader' }, 'team')).toMatchObject({ allowed: true, via: 'covers' });
    expect(index.canBind(impersonatedUser('alice'), { kind: 'ClusterRole', name: 'exec' }, 'team')).toMatchObject({ allowed: false });
    expect(index.canBind(impersonatedUser('tara', ['team-admins']), { kind: 'ClusterRole', name: 'admin-all' }, 'team')).toMatchObject({ allowed: true, via: 'bind' });
    expect(index.canBind(impersonatedUser('root', ['system:masters']), { kind: 'ClusterRole', name: 'anything' }, undefined)).toMatchObject({ allowed: true, via: 'system:masters' });
  });
  it('impersonation checks users, service accounts, groups, extras and uids', () => {
    const checks = index.impersonationChecks(impersonatedUser('kim'), { user: 'system:serviceaccount:team:app', groups: ['g'], extra: { scopes: ['a'] }, uid: '42' });
    expect(checks.map((c) => [c.request.resource, c.request.apiGroup, c.decision.allowed])).toEqual([
      ['serviceaccounts', '', true],
      ['groups', '', false],
      ['userextras', 'authentication.k8s.io', false],
      ['uids', 'authentication.k8s.io', false],
    ]);
    const other = index.impersonationChecks(impersonatedUser('kim'), { user: 'system:serviceaccount:other:app' });
    expect(other[0]?.decision.allowed).toBe(false);
    expect(index.impersonationChecks(impersonatedUser('kim'), { user: 'jane' })[0]?.request).toMatchObject({ resource: 'users', name: 'jane' });
  });
});

describe('the summary of bindings to missing roles', () => {
  const text = `apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: {name: a, namespace: x}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
  subjects: [{kind: ServiceAccount, name: s}]
- apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata: {name: r}
  rules: []
`;
  it('is the last problem, located at the first such binding, and made only when problems are read', () => {
    const locate = vi.spyOn(IndexedOrigin.prototype, 'locate');
    try {
      const idx = buildRbacIndex(loadYamlText(text), { defaults: 'roles' });
      // What was read (the Role without a namespace) without locating anything for the summary.
      expect(idx.readProblems.map((p) => p.code)).toEqual(['rbac-no-namespace']);
      expect(locate).not.toHaveBeenCalled();
      expect(idx.problems.map((p) => [p.code, p.line])).toEqual([
        ['rbac-no-namespace', undefined],
        ['rbac-missing-role', 7],
      ]);
      expect(locate).toHaveBeenCalledTimes(1);
      // Once: reading again adds nothing.
      expect(idx.problems).toHaveLength(2);
      expect(idx.problems[1]?.message).toBe('RoleBinding x/a references Role gone, which is not in the input; what it grants is unknown');
    } finally {
      locate.mockRestore();
    }
  });
});

describe('bindingOf', () => {
  it('finds the entry of each object whatever order the objects are asked in (input order, reversed, shuffled, repeated, non-bindings)', () => {
    const objects = loadYamlText(readFileSync(file, 'utf8'));
    const orders = (): K8sObject[][] => {
      const inOrder = [...objects];
      const shuffled = [...objects].map((o, i) => [o, (i * 7919) % 101] as const).sort((a, b) => a[1] - b[1]).map(([o]) => o);
      return [inOrder, [...objects].reverse(), shuffled, objects.flatMap((o) => [o, o]), [...inOrder, ...inOrder]];
    };
    // The answer of a plain map from each binding's object to its entry (what bindingOf gave before it followed the input order).
    const reference = buildRbacIndex(objects);
    const byObject = new Map(reference.bindings.filter((b) => b.record.object).map((b) => [b.record.object, b]));
    expect(byObject.size).toBeGreaterThan(5);
    for (const order of orders()) {
      const index = buildRbacIndex(objects);
      const got = order.map((o) => index.bindingOf(o)?.ordinal);
      expect(got).toEqual(order.map((o) => byObject.get(o)?.ordinal));
    }
  });
});
