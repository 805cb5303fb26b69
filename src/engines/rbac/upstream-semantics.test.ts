/**
 * Semantics where kspect once differed from kube-apiserver (found by asking a real one thousands of questions;
 * the differential test in test/rbac-differential.test.ts keeps checking them against the testbed):
 * aggregation keeps stored rules when selectors collect nothing and passes them on; `resourceNames: [""]`
 * matches requests without a name; `system:serviceaccount:` user names that are not valid names are plain users;
 * and a binding to a role missing from the input makes answers unknown, not "no".
 */
import { describe, expect, it } from 'vitest';
import { buildRbacIndex } from './authorizer.js';
import { findDangers, probeGrant, requestNaming } from './dangers.js';
import { escalationPaths } from './paths.js';
import { requestOf } from './requests.js';
import { compileRule, nameMatches } from './rules.js';
import { impersonatedUser, isDns1123Label, isDns1123Subdomain, parseSubject, splitServiceAccountUser } from './subjects.js';
import { loadYamlText } from './testutil.testutil.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const crb = (name: string, role: string, subject: string): string => `---
apiVersion: ${RBAC}
kind: ClusterRoleBinding
metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: [${subject}]
`;
const user = (n: string): string => `{apiGroup: rbac.authorization.k8s.io, kind: User, name: "${n}"}`;

describe('aggregation as the controller leaves it', () => {
  const world = `apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: middle, labels: {agg-to-top: "true", rbac.authorization.k8s.io/aggregate-to-view: "true"}}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {agg-to-middle: "true"}}]
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["list"]}
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: top}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {agg-to-top: "true"}}]
rules:
  - {apiGroups: [""], resources: ["nodes"], verbs: ["delete"]}
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: fed}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {agg-to-fed: "true"}}]
rules:
  - {apiGroups: [""], resources: ["nodes"], verbs: ["delete"]}
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: source, labels: {agg-to-fed: "true"}}
rules:
  - {apiGroups: [""], resources: ["configmaps"], verbs: ["get"]}
${crb('a', 'middle', user('m'))}${crb('b', 'top', user('t'))}${crb('c', 'view', user('v'))}${crb('d', 'fed', user('f'))}`;
  const index = buildRbacIndex(loadYamlText(world), { defaults: 'roles' });
  const can = (u: string, verb: string, resource: string, ns?: string): boolean => index.can(impersonatedUser(u), requestOf({ verb, resource, ...(ns !== undefined ? { namespace: ns } : {}) }));

  it('a role whose selectors collect nothing keeps its stored rules', () => {
    expect(can('m', 'list', 'secrets', 'x')).toBe(true);
    expect(index.clusterRole('middle')?.rules.map((r) => r.from)).toEqual([undefined]);
  });
  it('roles aggregating it — view included — collect those rules, and lose their own stored ones', () => {
    expect(can('t', 'list', 'secrets', 'x')).toBe(true);
    expect(can('t', 'delete', 'nodes')).toBe(false);
    expect(index.clusterRole('top')?.rules.map((r) => r.from)).toEqual([{ role: 'middle', index: 0 }]);
    expect(can('v', 'list', 'secrets', 'x')).toBe(true);
    expect(can('v', 'list', 'pods', 'x')).toBe(true);
  });
  it('selectors that collect rules replace the stored rules', () => {
    expect(can('f', 'get', 'configmaps', 'x')).toBe(true);
    expect(can('f', 'delete', 'nodes')).toBe(false);
  });
  it('says which role kept its stored rules', () => {
    expect(index.problems.filter((p) => p.code === 'rbac-aggregation-empty').map((p) => p.message)).toEqual([expect.stringContaining('ClusterRole middle')]);
  });
  it('collects rules in the controller order and drops exact duplicates only', () => {
    const text = `apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: agg}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {k: b}}, {matchLabels: {k: a}}]
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: a2, labels: {k: a}}
rules: [{apiGroups: [""], resources: ["pods"], verbs: ["get", "list"]}, {apiGroups: [""], resources: ["pods"], verbs: ["list", "get"]}]
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: a1, labels: {k: a}}
rules: [{apiGroups: [""], resources: ["pods"], verbs: ["get", "list"]}]
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: b1, labels: {k: b}}
rules: [{apiGroups: [""], resources: ["services"], verbs: ["get"]}]
`;
    const rules = buildRbacIndex(loadYamlText(text)).clusterRole('agg')?.rules.map((r) => [r.from?.role, r.rule.resources[0], r.rule.verbs.join(',')]);
    expect(rules).toEqual([
      ['b1', 'services', 'get'],
      ['a1', 'pods', 'get,list'],
      ['a2', 'pods', 'list,get'],
    ]);
  });
  it('a cycle with stored rules is reported; the result is what name order gives', () => {
    const text = `apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: x, labels: {to-y: "1"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {to-x: "1"}}]}
rules: [{apiGroups: [""], resources: ["pods"], verbs: ["get"]}]
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: "y", labels: {to-x: "1"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {to-y: "1"}}]}
rules: [{apiGroups: [""], resources: ["secrets"], verbs: ["get"]}]
`;
    const ix = buildRbacIndex(loadYamlText(text));
    // x syncs first and collects y's stored rule; y then collects that from x.
    expect(ix.clusterRole('x')?.rules.map((r) => r.rule.resources[0])).toEqual(['secrets']);
    expect(ix.clusterRole('y')?.rules.map((r) => r.rule.resources[0])).toEqual(['secrets']);
    expect(ix.problems.find((p) => p.code === 'rbac-aggregation-cycle')?.message).toContain('depends on the order');
  });
  it('a ring of three settles on the union (the controller only settles the sets: their order keeps turning)', () => {
    const doc = (name: string, next: string, res: string) => `apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: ${name}, labels: {ring: ${name}}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {ring: ${next}}}, {matchLabels: {leaf: ${name}}}]}
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: leaf-${name}, labels: {leaf: ${name}}}
rules: [{apiGroups: [""], resources: ["${res}"], verbs: ["get"]}]
`;
    const ix = buildRbacIndex(loadYamlText([doc('a', 'b', 'pods'), doc('b', 'c', 'secrets'), doc('c', 'a', 'nodes')].join('---\n')));
    for (const n of ['a', 'b', 'c']) expect(ix.clusterRole(n)?.rules.map((r) => r.rule.resources[0]).sort()).toEqual(['nodes', 'pods', 'secrets']);
    expect(ix.problems.map((p) => p.code)).toEqual(['rbac-aggregation-cycle']);
  });
  it('an aggregationRule without selectors is an error the API server would raise', () => {
    const text = `apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: x}
aggregationRule: {clusterRoleSelectors: []}
rules: [{apiGroups: [""], resources: ["pods"], verbs: ["get"]}]
`;
    const ix = buildRbacIndex(loadYamlText(text));
    expect(ix.problems.map((p) => [p.code, p.severity])).toContainEqual(['rbac-invalid-aggregation', 'error']);
    expect(ix.clusterRole('x')?.rules).toHaveLength(1);
  });
  it('a long chain of aggregated roles settles without overflowing the stack', () => {
    const n = 3000;
    const docs: string[] = [];
    for (let i = 0; i < n; i++) docs.push(`apiVersion: ${RBAC}\nkind: ClusterRole\nmetadata: {name: r${String(i).padStart(5, '0')}, labels: {l: "${i}"}}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {l: "${i + 1}"}}]}\n`);
    docs.push(`apiVersion: ${RBAC}\nkind: ClusterRole\nmetadata: {name: leaf, labels: {l: "${n}"}}\nrules: [{apiGroups: [""], resources: ["pods"], verbs: ["get"]}]\n`);
    const ix = buildRbacIndex(loadYamlText(docs.join('---\n')));
    expect(ix.clusterRole('r00000')?.rules.map((r) => r.from?.role)).toEqual(['leaf']);
  });
});

describe('resourceNames compared with ==', () => {
  const rule = (names: string[]) => compileRule({ verbs: ['*'], apiGroups: [''], resources: ['secrets'], resourceNames: names, nonResourceURLs: [] }, 0);
  it.each([
    [[''], undefined, true],
    [[''], '', true],
    [[''], 'db', false],
    [['db'], undefined, false],
    [['db'], 'db', true],
    [['', 'db'], 'other', false],
    [[], undefined, true],
    [[], 'db', true],
  ] as const)('resourceNames %j, request name %j → %s', (names, name, expected) => {
    expect(nameMatches(rule([...names]), name)).toBe(expected);
  });

  const text = `apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: unnamed}
rules: [{apiGroups: [""], resources: ["secrets", "pods"], resourceNames: [""], verbs: ["list", "watch", "create", "deletecollection", "get"]}]
${crb('b', 'unnamed', user('u'))}`;
  const index = buildRbacIndex(loadYamlText(text));
  const can = (verb: string, resource: string, name?: string): boolean => index.can(impersonatedUser('u'), requestOf({ verb, resource, namespace: 'ns', ...(name !== undefined ? { name } : {}) }));
  it('matches list, watch, create and deletecollection, not named requests', () => {
    expect(can('list', 'secrets')).toBe(true);
    expect(can('watch', 'secrets')).toBe(true);
    expect(can('create', 'pods')).toBe(true);
    expect(can('deletecollection', 'secrets')).toBe(true);
    expect(can('get', 'secrets', 'db')).toBe(false);
    expect(can('list', 'secrets', 'db')).toBe(false);
  });
  it('who-can finds it', () => {
    expect(index.whoCan(requestOf({ verb: 'list', resource: 'secrets', namespace: 'ns' })).map((e) => e.subject.name)).toEqual(['u']);
  });
  it('rbac risks reports reading and creating with it', () => {
    const ids = findDangers(index).map((h) => h.danger.id).sort();
    expect(ids).toEqual(['rbac-pod-create', 'rbac-secrets-create', 'rbac-secrets-read']);
  });
  it('named rules grant no create of a resource (create carries no name), and reading named Secrets is not "read Secrets"', () => {
    const t = `apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: named}
rules: [{apiGroups: [""], resources: ["secrets", "pods"], resourceNames: ["db"], verbs: ["get", "list", "create"]}]
${crb('b', 'named', user('u'))}`;
    expect(findDangers(buildRbacIndex(loadYamlText(t))).map((h) => h.danger.id)).toEqual([]);
  });
  it('knows which requests carry a name', () => {
    expect(['create', 'deletecollection', 'list', 'watch', 'get', 'update', 'patch', 'delete', 'escalate'].map((v) => requestNaming(v, undefined))).toEqual(['unnamed', 'unnamed', 'both', 'both', 'named', 'named', 'named', 'named', 'named']);
    expect(requestNaming('create', 'token')).toBe('named');
    const r = (names: string[], verbs: string[]) => compileRule({ verbs, apiGroups: [''], resources: ['serviceaccounts/token', 'secrets'], resourceNames: names, nonResourceURLs: [] }, 0);
    expect(probeGrant(r([''], ['create']), { verbs: ['create'], group: '', resource: 'serviceaccounts/token' })).toBeUndefined();
    expect(probeGrant(r(['', 'a'], ['create']), { verbs: ['create'], group: '', resource: 'serviceaccounts/token' })).toBe('named');
    expect(probeGrant(r([''], ['get', 'list']), { verbs: ['get', 'list'], group: '', resource: 'secrets' })).toBe('all');
    expect(probeGrant(r([''], ['get']), { verbs: ['get'], group: '', resource: 'secrets' })).toBeUndefined();
  });
  it('an escalation path reads every token Secret through list with [""]', () => {
    const t = `${text}---
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata: {name: tok, namespace: ns, annotations: {kubernetes.io/service-account.name: admin-sa}}
${crb('admin', 'cluster-admin', '{kind: ServiceAccount, name: admin-sa, namespace: ns}')}`;
    const { paths } = escalationPaths(buildRbacIndex(loadYamlText(t), { defaults: 'roles' }), { from: { kind: 'User', name: 'u' } });
    expect(paths[0]?.steps.map((s) => s.kind)).toEqual(['read-token-secret', 'holds-admin']);
  });
});

describe('service-account user names as the API server splits them', () => {
  it.each([
    ['system:serviceaccount:ns:app', { namespace: 'ns', name: 'app' }],
    ['system:serviceaccount:ns:app.v2', { namespace: 'ns', name: 'app.v2' }],
    ['system:serviceaccount:Ns:app', undefined],
    ['system:serviceaccount:ns:App', undefined],
    ['system:serviceaccount:ns_1:app', undefined],
    ['system:serviceaccount:ns.x:app', undefined],
    ['system:serviceaccount:ns:app:extra', undefined],
    ['system:serviceaccount::app', undefined],
    ['system:serviceaccount:ns:', undefined],
    ['system:serviceaccount:ns', undefined],
    ['system:serviceaccount:-ns:app', undefined],
    ['system:serviceaccount:ns:app.', undefined],
    [`system:serviceaccount:${'a'.repeat(64)}:app`, undefined],
    [`system:serviceaccount:${'a'.repeat(63)}:app`, { namespace: 'a'.repeat(63), name: 'app' }],
  ])('%s → %j', (u, expected) => {
    expect(splitServiceAccountUser(u)).toEqual(expected);
  });
  it('an invalid one is a plain user: no service-account groups, impersonated as a user, parsed without error', () => {
    expect(impersonatedUser('system:serviceaccount:Bad:app').groups).toEqual(['system:authenticated']);
    expect(impersonatedUser('system:serviceaccount:ok:app').groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:ok', 'system:authenticated']);
    expect(parseSubject('system:serviceaccount:a:b:c')).toEqual({ kind: 'User', name: 'system:serviceaccount:a:b:c' });
    const index = buildRbacIndex([]);
    expect(index.impersonationChecks(impersonatedUser('x'), { user: 'system:serviceaccount:a_b:c' }).map((c) => c.request.resource)).toEqual(['users']);
    expect(index.impersonationChecks(impersonatedUser('x'), { user: 'system:serviceaccount:a:c' }).map((c) => c.request.resource)).toEqual(['serviceaccounts']);
  });
  it('a binding subject matches by the joined user name, as MatchesUsername does', () => {
    const t = crb('b', 'view', '{kind: ServiceAccount, namespace: "a:b", name: c}');
    const index = buildRbacIndex(loadYamlText(t), { defaults: 'roles' });
    const u = impersonatedUser('system:serviceaccount:a:b:c');
    expect(u.groups).toEqual(['system:authenticated']);
    expect(index.can(u, requestOf({ verb: 'get', resource: 'pods', namespace: 'x' }))).toBe(true);
  });
  it('validates names without regular expressions, linearly', () => {
    expect(isDns1123Label('a-b')).toBe(true);
    expect(isDns1123Label('a-')).toBe(false);
    expect(isDns1123Subdomain('a.b-c.d')).toBe(true);
    expect(isDns1123Subdomain('a..b')).toBe(false);
    expect(isDns1123Subdomain('a'.repeat(254))).toBe(false);
  });
});

describe('defaults the API server applies', () => {
  it('an absent or empty roleRef.apiGroup and subject apiGroup are not errors', () => {
    const t = `apiVersion: ${RBAC}
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: User, name: u, apiGroup: ""}, {kind: Group, name: g}]
---
apiVersion: ${RBAC}
kind: ClusterRole
metadata: {name: urls}
rules: [{nonResourceURLs: ["healthz"], verbs: ["get"]}]
`;
    const index = buildRbacIndex(loadYamlText(t), { defaults: 'roles' });
    expect(index.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(index.problems.map((p) => p.code)).toEqual(['rbac-url-never-matches']);
    expect(index.can(impersonatedUser('u'), requestOf({ verb: 'get', resource: 'pods', namespace: 'x' }))).toBe(true);
    expect(index.clusterRole('urls')?.rules).toHaveLength(1);
  });
});

describe('a binding to a role that is not in the input', () => {
  const t = `${crb('b', 'custom', user('u'))}---
apiVersion: ${RBAC}
kind: RoleBinding
metadata: {name: rb, namespace: ns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
subjects: [${user('w')}]
${crb('v', 'view', user('u'))}`;
  const index = buildRbacIndex(loadYamlText(t), { defaults: 'roles' });
  it('can-i: unknown when nothing else allows it, yes when something does', () => {
    const d = index.authorize(impersonatedUser('u'), requestOf({ verb: 'delete', resource: 'pods', namespace: 'ns' }));
    expect([d.allowed, d.reason, d.unknown.map(([b]) => b.record.roleRef.name)]).toEqual([false, 'unknown', ['custom']]);
    const y = index.authorize(impersonatedUser('u'), requestOf({ verb: 'get', resource: 'pods', namespace: 'ns' }));
    expect([y.allowed, y.reason]).toEqual([true, 'rbac']);
    const other = index.authorize(impersonatedUser('w'), requestOf({ verb: 'get', resource: 'pods', namespace: 'elsewhere' }));
    expect(other.reason).toBe('no-rule');
  });
  it('who-can: lists the undecided bindings in scope', () => {
    const req = requestOf({ verb: 'get', resource: 'secrets', namespace: 'ns' });
    expect(index.whoCanUnknown(req).map((u) => [u.binding.display, u.scope])).toEqual([
      ['ClusterRoleBinding b', 'cluster'],
      ['RoleBinding ns/rb', 'ns'],
    ]);
    expect(index.whoCanUnknown(requestOf({ verb: 'get', resource: 'secrets', namespace: 'other' })).map((u) => u.binding.display)).toEqual(['ClusterRoleBinding b']);
    expect(index.whoCanUnknown(requestOf({ verb: 'get', resource: 'nodes' })).map((u) => u.binding.display)).toEqual(['ClusterRoleBinding b']);
  });
});
