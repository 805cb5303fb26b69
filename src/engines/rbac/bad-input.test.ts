/** Bad input: every mistake is one clear problem naming the file and line; the rest is still used; nothing hangs. */
import { describe, expect, it } from 'vitest';
import { toK8sObject, type K8sObject } from '../../model/object.js';
import { buildRbacIndex } from './authorizer.js';
import { requestOf } from './requests.js';
import { impersonatedUser } from './subjects.js';
import { loadYamlText } from './testutil.testutil.js';

const can = (objects: K8sObject[], user: string, verb: string, resource: string, namespace?: string): boolean =>
  buildRbacIndex(objects).can(impersonatedUser(user), requestOf({ verb, resource, ...(namespace !== undefined ? { namespace } : {}) }));

const BINDING = (role: string, user: string, kind = 'ClusterRole') => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${user}-${role}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${kind}, name: ${role}}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: ${user}}]
`;

function obj(raw: Record<string, unknown>): K8sObject {
  const o = toK8sObject(raw, undefined);
  if (!o) throw new Error('not an object');
  return o;
}

describe('bad RBAC input', () => {
  it('unknown fields in a role and in a rule: errors with file and line, the valid parts still count', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: typo}
rule:
  - {apiGroups: [""], resources: ["pods"], verbs: ["get"]}
rules:
  - {apiGroups: [""], resources: ["secrets"], verb: ["get"], verbs: ["list"]}
  - {apiGroups: [""], resources: ["configmaps"], verbs: ["get"]}
${BINDING('typo', 'u')}`;
    const objects = loadYamlText(text, 'roles.yaml');
    const index = buildRbacIndex(objects);
    const errors = index.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.code, p.file, p.line])).toEqual([
      ['rbac-unknown-field', 'roles.yaml', 4],
      ['rbac-unknown-field', 'roles.yaml', 7],
    ]);
    expect(errors[0]?.message).toBe('ClusterRole typo rule: unknown field "rule" (the API server rejects it)');
    expect(errors[1]?.message).toContain('unknown field "verb" in rules[0]');
    expect(can(objects, 'u', 'get', 'configmaps', 'x')).toBe(true);
    expect(can(objects, 'u', 'list', 'secrets', 'x')).toBe(true);
    expect(can(objects, 'u', 'get', 'pods', 'x')).toBe(false);
  });

  it('unknown fields are the object\'s own: one in a binding, its roleRef or a subject is an error, one it inherits is not', () => {
    const inherited = <T extends object>(own: T): T => Object.assign(Object.create({ inherited: true }) as T, own);
    const binding = (extra: Record<string, unknown>, ref: Record<string, unknown>, subject: Record<string, unknown>) =>
      obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: ref, subjects: [subject], ...extra });
    const ref = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
    const subject = { kind: 'User', name: 'u' };
    const quiet = buildRbacIndex([inherited(binding({}, inherited(ref), inherited(subject)))]).problems.filter((p) => p.code === 'rbac-unknown-field');
    expect(quiet).toEqual([]);
    const loud = buildRbacIndex([binding({ extra: 1 }, { ...ref, extra: 1 }, { ...subject, extra: 1 })]).problems.filter((p) => p.code === 'rbac-unknown-field');
    expect(loud.map((p) => p.message)).toEqual([
      'ClusterRoleBinding b extra: unknown field "extra" (the API server rejects it)',
      'ClusterRoleBinding b roleRef.extra: unknown field "extra" in roleRef (the API server rejects it)',
      'ClusterRoleBinding b subjects[0].extra: unknown field "extra" in subjects[0] (the API server rejects it)',
    ]);
  });

  it('invalid rules are ignored with an error each', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ns}
rules:
  - {apiGroups: [""], resources: ["pods"], verbs: []}
  - {nonResourceURLs: ["/healthz"], verbs: ["get"]}
  - {resources: ["pods"], verbs: ["get"]}
  - {apiGroups: [""], verbs: ["get"]}
  - "not a rule"
  - {apiGroups: [""], resources: "pods", verbs: ["get"]}
  - {apiGroups: [""], resources: ["services"], verbs: ["get"]}
`;
    const index = buildRbacIndex(loadYamlText(text, 'r.yaml'));
    expect(index.problems.map((p) => [p.code, p.line])).toEqual([
      ['rbac-invalid-rule', 5],
      ['rbac-invalid-rule', 6],
      ['rbac-invalid-rule', 7],
      ['rbac-invalid-rule', 8],
      ['rbac-invalid-rule', 9],
      ['rbac-invalid-rule', 10],
      ['rbac-invalid-rule', 10],
    ]);
    expect(index.problems[1]?.message).toContain('nonResourceURLs are only allowed in ClusterRoles');
    expect(index.role('ns', 'r')?.rules.map((r) => r.rule.resources)).toEqual([['services']]);
  });

  it('bindings to roles of the wrong kind grant nothing and say why', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: ns}
rules: [{apiGroups: [""], resources: ["pods"], verbs: ["get"]}]
${BINDING('reader', 'a', 'Role')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: ns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Group, name: reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: b}, {kind: Robot, name: r2}]
`;
    const objects = loadYamlText(text, 'b.yaml');
    const index = buildRbacIndex(objects);
    expect(index.problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.line])).toEqual([
      ['rbac-wrong-role-kind', 9],
      ['rbac-wrong-role-kind', 15],
      ['rbac-invalid-subject', 16],
    ]);
    expect(index.problems[0]?.message).toContain('a ClusterRoleBinding can only reference a ClusterRole, not "Role"');
    expect(can(objects, 'a', 'get', 'pods', 'ns')).toBe(false);
    expect(can(objects, 'b', 'get', 'pods', 'ns')).toBe(false);
    expect(index.bindings.map((b) => b.unresolved)).toEqual(['wrong-kind', 'wrong-kind']);
  });

  it('an unknown RBAC version is ignored with an error; a missing roleRef too', () => {
    const objects = [
      obj({ apiVersion: 'rbac.authorization.k8s.io/v2', kind: 'ClusterRole', metadata: { name: 'x' }, rules: [] }),
      obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'y' }, subjects: [] }),
    ];
    const index = buildRbacIndex(objects);
    expect(index.problems.map((p) => p.code)).toEqual(['rbac-unknown-version', 'rbac-invalid-binding']);
    expect(index.roles.size).toBe(0);
  });

  it('cyclic aggregation: warned, computed as the union of the cycle, no hang', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: a, labels: {agg: b}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: a}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: b, labels: {agg: a}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: b}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: leaf, labels: {agg: a}}
rules: [{apiGroups: [""], resources: ["pods"], verbs: ["get"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: leaf2, labels: {agg: b}}
rules: [{apiGroups: [""], resources: ["services"], verbs: ["get"]}]
`;
    const index = buildRbacIndex(loadYamlText(text, 'cycle.yaml'));
    expect(index.problems.filter((p) => p.code === 'rbac-aggregation-cycle')).toHaveLength(1);
    expect(index.problems[0]?.message).toContain('aggregation cycle between a, b; each role collects the rules of the others');
    expect(index.problems[0]?.message).not.toContain('depends on the order');
    const rules = (n: string) => index.clusterRole(n)?.rules.map((r) => r.rule.resources[0]).sort();
    expect(rules('a')).toEqual(['pods', 'services']);
    expect(rules('b')).toEqual(['pods', 'services']);
  });

  it('self-selecting aggregation (an empty selector matches everything): warned, itself skipped', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
aggregationRule: {clusterRoleSelectors: [{}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: one}
rules: [{apiGroups: [""], resources: ["pods"], verbs: ["get"]}]
`;
    const index = buildRbacIndex(loadYamlText(text, 'self.yaml'));
    expect(index.problems.map((p) => [p.code, p.line])).toEqual([['rbac-self-aggregation', 4]]);
    expect(index.clusterRole('everything')?.rules.map((r) => r.rule.resources)).toEqual([['pods']]);
  });

  it('invalid selectors are reported and ignored', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: bad}
aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: x, operator: Near}]}, {matchExpressions: [{key: x, operator: In}]}]}
`;
    const index = buildRbacIndex(loadYamlText(text, 'sel.yaml'));
    expect(index.problems.map((p) => p.code)).toEqual(['rbac-invalid-aggregation', 'rbac-invalid-aggregation']);
  });

  it('a long aggregation chain terminates with the leaf rules at the top', () => {
    const n = 300;
    const objects: K8sObject[] = [];
    for (let i = 0; i < n; i++) objects.push(obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `c${i}`, labels: { level: String(i) } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { level: String(i + 1) } }] } }));
    objects.push(obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'leaf', labels: { level: String(n) } }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }));
    const index = buildRbacIndex(objects);
    expect(index.clusterRole('c0')?.rules.map((r) => r.rule.resources)).toEqual([['pods']]);
  });

  it('huge rule lists are indexed and answered', () => {
    const rules = Array.from({ length: 100_000 }, (_, i) => ({ apiGroups: [''], resources: [`r${i}`], verbs: ['get'] }));
    const objects = [
      obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'huge', labels: { big: 'yes' } }, rules }),
      obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { big: 'yes' } }] } }),
      ...loadYamlText(BINDING('agg', 'u')),
    ];
    const index = buildRbacIndex(objects);
    expect(index.clusterRole('agg')?.rules.length).toBe(100_000);
    expect(index.can(impersonatedUser('u'), requestOf({ verb: 'get', resource: 'r99999', namespace: 'x' }))).toBe(true);
    expect(index.can(impersonatedUser('u'), requestOf({ verb: 'get', resource: 'r100000', namespace: 'x' }))).toBe(false);
  });

  it('objects without namespace are assumed in "default" (or the given namespace), with one warning', () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
rules: [{apiGroups: [""], resources: ["pods"], verbs: ["get"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: ServiceAccount, name: app}]
`;
    const objects = loadYamlText(text);
    const index = buildRbacIndex(objects);
    expect(index.problems.map((p) => p.code)).toEqual(['rbac-no-namespace']);
    expect(index.can(impersonatedUser('system:serviceaccount:default:app'), requestOf({ verb: 'get', resource: 'pods', namespace: 'default' }))).toBe(true);
    const argo = buildRbacIndex(objects, { defaultNamespace: 'argocd' });
    expect(argo.can(impersonatedUser('system:serviceaccount:argocd:app'), requestOf({ verb: 'get', resource: 'pods', namespace: 'argocd' }))).toBe(true);
  });
});
