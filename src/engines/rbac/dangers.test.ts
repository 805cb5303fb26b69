/** Dangerous permissions by binding, and escalation paths to cluster-admin. */
import { describe, expect, it } from 'vitest';
import { buildRbacIndex } from './authorizer.js';
import { findDangers } from './dangers.js';
import { escalationPaths, isAdmin } from './paths.js';
import { impersonatedUser } from './subjects.js';
import { loadYamlText } from './testutil.testutil.js';

function cluster(text: string, k8sVersion?: string) {
  return buildRbacIndex(loadYamlText(text), { defaults: 'roles', ...(k8sVersion !== undefined ? { k8sVersion } : {}) });
}
const role = (name: string, rules: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${name}}
rules: ${rules}
`;
const crb = (name: string, roleName: string, subject: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${roleName}}
subjects: [${subject}]
`;
const rb = (ns: string, name: string, roleName: string, subject: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}, namespace: ${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${roleName}}
subjects: [${subject}]
`;
const SA = (ns: string, n: string) => `{kind: ServiceAccount, name: ${n}, namespace: ${ns}}`;
const USER = (n: string) => `{apiGroup: rbac.authorization.k8s.io, kind: User, name: ${n}}`;

describe('dangers', () => {
  it('cluster-scoped dangers need a ClusterRoleBinding', () => {
    const idx = cluster(role('proxy', '[{apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"]}]') + crb('c', 'proxy', USER('a')) + rb('ns', 'r', 'proxy', USER('b')));
    expect(findDangers(idx).map((h) => `${h.danger.id} ${h.binding.record.name} ${h.scope}`)).toEqual(['rbac-nodes-proxy c cluster']);
  });
  it('exec needs create from 1.35, get sufficed before', () => {
    const text = role('getexec', '[{apiGroups: [""], resources: ["pods/exec"], verbs: ["get"]}]') + crb('c', 'getexec', USER('a'));
    expect(findDangers(cluster(text)).map((h) => h.danger.id)).toEqual([]);
    expect(findDangers(cluster(text, '1.34')).map((h) => h.danger.id)).toEqual(['rbac-pod-exec']);
  });
  it('CSR approval counts only with approve on a client-certificate signer', () => {
    const approval = role('approval', '[{apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update"]}]');
    const signer = role('signer', '[{apiGroups: ["certificates.k8s.io"], resources: ["signers"], resourceNames: ["kubernetes.io/*"], verbs: ["approve"]}]');
    expect(findDangers(cluster(approval + crb('c', 'approval', USER('a')))).map((h) => h.danger.id)).toEqual([]);
    expect(findDangers(cluster(approval + signer + crb('c', 'approval', USER('a')) + crb('d', 'signer', USER('a')))).map((h) => h.danger.id)).toEqual(['rbac-csr-approve']);
  });
  it('full access is one cluster-admin danger, not twenty', () => {
    const idx = cluster(crb('c', 'cluster-admin', SA('ci', 'bot')) + rb('ns', 'r', 'cluster-admin', USER('x')));
    expect(findDangers(idx).map((h) => `${h.danger.id} ${h.severity}`)).toEqual(['rbac-cluster-admin-binding critical', 'rbac-cluster-admin-binding high']);
  });
  it('a namespace RoleBinding can grant update on its own namespace', () => {
    const idx = cluster(role('ns-edit', '[{apiGroups: [""], resources: ["namespaces"], verbs: ["patch"]}]') + rb('team', 'r', 'ns-edit', USER('x')));
    expect(findDangers(idx).map((h) => `${h.danger.id} ${h.scope}`)).toEqual(['rbac-namespace-update team']);
  });
});

describe('escalation paths', () => {
  const text = [
    role('pod-maker', '[{apiGroups: [""], resources: ["pods"], verbs: ["create"]}]'),
    role('token-maker', '[{apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"], resourceNames: ["deployer"]}]'),
    role('impersonator', '[{apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"]}]'),
    role('binder', '[{apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind"]}, {apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterrolebindings"], verbs: ["create"]}]'),
    role('reader', '[{apiGroups: [""], resources: ["pods"], verbs: ["get"]}]'),
    rb('dev', 'devs-pods', 'pod-maker', USER('dana')),
    rb('ci', 'tokens', 'token-maker', SA('dev', 'builder')),
    crb('deployer-binder', 'binder', SA('ci', 'deployer')),
    crb('proxy', 'impersonator', USER('auth-proxy')),
    crb('admins', 'cluster-admin', USER('root')),
    crb('readers', 'reader', USER('rita')),
    '---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder, namespace: dev}\n',
  ].join('');
  const idx = cluster(text);
  const { paths, graph } = escalationPaths(idx);
  const byFrom = new Map(paths.map((p) => [`${p.from.kind}:${p.from.namespace ?? ''}/${p.from.name}`, p.steps]));

  it('knows who is already cluster-admin', () => {
    expect(graph.admins.map((s) => s.name)).toEqual(['root']);
    expect(isAdmin(idx, impersonatedUser('root'))).toBe(true);
    expect(isAdmin(idx, impersonatedUser('x', ['system:masters']))).toBe(true);
  });
  it('pod creation → service account → token → bind cluster-admin', () => {
    const steps = byFrom.get('User:/dana');
    expect(steps?.map((s) => s.kind)).toEqual(['create-pod', 'create-pod', 'create-token', 'bind']);
    expect(steps?.map((s) => s.to)).toEqual(['ns:dev', 'ServiceAccount:dev/builder', 'ServiceAccount:ci/deployer', 'cluster-admin']);
    expect(steps?.[0]?.grant?.binding.display).toBe('RoleBinding dev/devs-pods');
    expect(steps?.[3]?.grant?.rule.index).toBe(0);
  });
  it('impersonating groups (with users) is a takeover through system:masters', () => {
    expect(byFrom.get('User:/auth-proxy')?.map((s) => [s.kind, s.to])).toEqual([['impersonate', 'cluster-admin']]);
  });
  it('no path for a reader', () => {
    expect(byFrom.has('User:/rita')).toBe(false);
    expect(byFrom.has('User:/root')).toBe(false);
  });
  it('paths from one subject, or to another target', () => {
    expect(escalationPaths(idx, { from: { kind: 'User', name: 'dana' } }).paths.map((p) => p.from.name)).toEqual(['dana']);
    const toBuilder = escalationPaths(idx, { target: { kind: 'ServiceAccount', namespace: 'dev', name: 'builder' } }).paths;
    expect(toBuilder.find((p) => p.from.name === 'dana')?.steps.map((s) => s.kind)).toEqual(['create-pod', 'create-pod']);
  });
});
