/**
 * The Kubernetes default policy (../shared/conformance/rbac-bootstrap, upstream testdata) with the
 * aggregation computed: the facts Kubernetes documents for its default roles hold.
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRbacIndex, bootstrapPolicyObjects } from './authorizer.js';
import { requestOf } from './requests.js';
import { uncoveredRules } from './rules.js';
import { impersonatedUser } from './subjects.js';
import { loadYamlFile, sharedDir } from './testutil.testutil.js';

const dir = sharedDir('conformance/rbac-bootstrap');
const FILES = ['cluster-roles.yaml', 'cluster-role-bindings.LEGACY-c60df899.yaml', 'controller-roles.yaml', 'controller-role-bindings.yaml', 'namespace-roles.yaml', 'namespace-role-bindings.yaml'];

describe.skipIf(dir === undefined)('bootstrap policy (upstream testdata)', () => {
  const objects = FILES.flatMap((f) => loadYamlFile(join(dir ?? '', f)));
  const index = buildRbacIndex(objects);
  const can = (user: string, groups: string[], verb: string, resource: string, namespace?: string, name?: string): boolean =>
    index.can(impersonatedUser(user, groups), requestOf({ verb, resource, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}) }));
  /** A user bound to a ClusterRole by a RoleBinding in namespace ns (as a namespace owner would be). */
  const withRole = (role: string, ns = 'team') => {
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `u-${role}`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'u' }] };
    const idx = buildRbacIndex([...objects, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: binding.metadata.name, namespace: ns, labels: {}, annotations: {} }, raw: binding, origin: { source: { type: 'file', uri: 'test' }, locate: () => undefined } }]);
    return (verb: string, resource: string, namespace = ns, name?: string): boolean => idx.can(impersonatedUser('u'), requestOf({ verb, resource, namespace, ...(name !== undefined ? { name } : {}) }));
  };
  const view = withRole('view');
  const edit = withRole('edit');
  const admin = withRole('admin');

  it('the input is read without errors', () => {
    expect(index.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(index.roles.size).toBe(72 + 7);
  });
  it('admin, edit and view ship without rules and get them from aggregation', () => {
    for (const n of ['admin', 'edit', 'view']) expect(index.clusterRole(n)?.record.rules).toEqual([]);
    expect(index.clusterRole('view')?.rules.length).toBeGreaterThan(5);
    expect(index.clusterRole('edit')?.rules.length).toBeGreaterThan(index.clusterRole('view')?.rules.length ?? 0);
    expect(index.clusterRole('admin')?.rules.length).toBeGreaterThan(index.clusterRole('edit')?.rules.length ?? 0);
  });
  it('admin covers edit, edit covers view, not the other way round', () => {
    const rules = (n: string) => index.clusterRole(n)?.rules.map((r) => r.rule) ?? [];
    expect(uncoveredRules(rules('admin'), rules('edit'))).toEqual([]);
    expect(uncoveredRules(rules('edit'), rules('view'))).toEqual([]);
    expect(uncoveredRules(rules('view'), rules('edit')).length).toBeGreaterThan(0);
    expect(uncoveredRules(rules('edit'), rules('admin')).length).toBeGreaterThan(0);
  });
  it('view: reads most objects, not Secrets, roles or bindings, and cannot exec', () => {
    expect(view('get', 'pods')).toBe(true);
    expect(view('list', 'configmaps')).toBe(true);
    expect(view('get', 'deployments.apps')).toBe(true);
    expect(view('get', 'pods/log')).toBe(true);
    expect(view('list', 'events')).toBe(true);
    expect(view('get', 'secrets')).toBe(false);
    expect(view('list', 'secrets')).toBe(false);
    expect(view('get', 'roles.rbac.authorization.k8s.io')).toBe(false);
    expect(view('get', 'rolebindings.rbac.authorization.k8s.io')).toBe(false);
    expect(view('create', 'pods/exec')).toBe(false);
    expect(view('create', 'pods')).toBe(false);
    expect(view('get', 'pods', 'other')).toBe(false);
  });
  it('edit: writes workloads, reads Secrets, execs, impersonates service accounts; no roles or bindings', () => {
    expect(edit('create', 'pods')).toBe(true);
    expect(edit('create', 'pods/exec')).toBe(true);
    expect(edit('create', 'pods/attach')).toBe(true);
    expect(edit('create', 'pods/portforward')).toBe(true);
    expect(edit('get', 'secrets')).toBe(true);
    expect(edit('create', 'secrets')).toBe(true);
    expect(edit('create', 'deployments.apps')).toBe(true);
    expect(edit('patch', 'deployments.apps/scale')).toBe(true);
    expect(edit('create', 'pods/eviction')).toBe(true);
    expect(edit('impersonate', 'serviceaccounts')).toBe(true);
    expect(edit('create', 'roles.rbac.authorization.k8s.io')).toBe(false);
    expect(edit('create', 'rolebindings.rbac.authorization.k8s.io')).toBe(false);
    expect(edit('get', 'roles.rbac.authorization.k8s.io')).toBe(false);
    expect(edit('update', 'resourcequotas')).toBe(false);
    expect(edit('create', 'secrets', 'other')).toBe(false);
  });
  it('admin: manages roles and bindings in its namespace, not quotas nor the namespace itself', () => {
    expect(admin('create', 'rolebindings.rbac.authorization.k8s.io')).toBe(true);
    expect(admin('create', 'roles.rbac.authorization.k8s.io')).toBe(true);
    expect(admin('create', 'localsubjectaccessreviews.authorization.k8s.io')).toBe(true);
    expect(admin('get', 'resourcequotas')).toBe(true);
    expect(admin('update', 'resourcequotas')).toBe(false);
    expect(admin('update', 'namespaces', '', 'team')).toBe(false);
    expect(admin('delete', 'namespaces', '', 'team')).toBe(false);
    expect(admin('create', 'rolebindings.rbac.authorization.k8s.io', 'other')).toBe(false);
  });
  it('cluster-admin is granted to system:masters and allows everything', () => {
    expect(can('anyone', ['system:masters'], 'delete', 'nodes')).toBe(true);
    const crb = index.bindings.find((b) => b.record.name === 'cluster-admin');
    expect(crb?.record.subjects.map((s) => `${s.kind}:${s.name}`)).toEqual(['Group:system:masters']);
    expect(index.clusterRole('cluster-admin')?.rules.map((r) => r.rule.verbs)).toEqual([['*'], ['*']]);
  });
  it('system:basic-user: every authenticated user can review its own access', () => {
    expect(can('jane', [], 'create', 'selfsubjectaccessreviews.authorization.k8s.io')).toBe(true);
    expect(can('jane', [], 'create', 'selfsubjectrulesreviews.authorization.k8s.io')).toBe(true);
    expect(can('system:anonymous', [], 'create', 'selfsubjectaccessreviews.authorization.k8s.io')).toBe(false);
    expect(can('jane', [], 'create', 'subjectaccessreviews.authorization.k8s.io')).toBe(false);
  });
  it('unauthenticated clients get /healthz, /livez, /readyz and /version, and nothing else', () => {
    for (const p of ['/healthz', '/livez', '/readyz', '/version', '/version/']) expect(can('system:anonymous', [], 'get', p)).toBe(true);
    expect(can('system:anonymous', [], 'get', '/api')).toBe(false);
    expect(can('system:anonymous', [], 'get', '/metrics')).toBe(false);
    expect(can('system:anonymous', [], 'list', 'pods')).toBe(false);
    expect(can('system:anonymous', [], 'post', '/healthz')).toBe(false);
  });
  it('system:discovery: authenticated users read API discovery, not metrics', () => {
    expect(can('jane', [], 'get', '/api')).toBe(true);
    expect(can('jane', [], 'get', '/apis/apps/v1')).toBe(true);
    expect(can('jane', [], 'get', '/openapi/v3')).toBe(true);
    expect(can('jane', [], 'get', '/metrics')).toBe(false);
    expect(can('jane', [], 'list', 'namespaces')).toBe(false);
    expect(can('jane', [], 'get', 'pods', 'default')).toBe(false);
  });
  it('components: scheduler binds pods, kube-proxy watches services, controller-manager reads everything', () => {
    expect(can('system:kube-scheduler', [], 'create', 'pods/binding', 'default')).toBe(true);
    expect(can('system:kube-scheduler', [], 'create', 'bindings', 'default')).toBe(true);
    expect(can('system:kube-proxy', [], 'list', 'services')).toBe(true);
    expect(can('system:kube-proxy', [], 'watch', 'endpointslices.discovery.k8s.io')).toBe(true);
    expect(can('system:kube-proxy', [], 'get', 'secrets', 'default')).toBe(false);
    expect(can('system:kube-controller-manager', [], 'list', 'secrets')).toBe(true);
    expect(can('system:kube-controller-manager', [], 'create', 'serviceaccounts/token', 'kube-system')).toBe(true);
  });
  it('extension-apiserver-authentication-reader: one named ConfigMap in kube-system', () => {
    expect(can('system:kube-scheduler', [], 'get', 'configmaps', 'kube-system', 'extension-apiserver-authentication')).toBe(true);
    expect(can('system:kube-scheduler', [], 'get', 'configmaps', 'kube-system', 'other')).toBe(false);
  });
  it('bootstrap tokens: the bootstrap signer updates cluster-info in kube-public', () => {
    expect(index.whoCan(requestOf({ verb: 'update', resource: 'configmaps', namespace: 'kube-public', name: 'cluster-info' })).some((e) => e.subject.name === 'bootstrap-signer')).toBe(true);
  });
  it('controllers: namespace and garbage collectors delete anything, the aggregator escalates ClusterRoles', () => {
    const ns = 'system:serviceaccount:kube-system:namespace-controller';
    expect(can(ns, [], 'delete', 'secrets', 'team')).toBe(true);
    expect(can(ns, [], 'deletecollection', 'widgets.example.com', 'team')).toBe(true);
    expect(can('system:serviceaccount:kube-system:generic-garbage-collector', [], 'delete', 'deployments.apps', 'team')).toBe(true);
    expect(can('system:serviceaccount:kube-system:clusterrole-aggregation-controller', [], 'escalate', 'clusterroles.rbac.authorization.k8s.io')).toBe(true);
    expect(can('system:serviceaccount:kube-system:certificate-controller', [], 'approve', 'signers.certificates.k8s.io', undefined, 'kubernetes.io/kube-apiserver-client-kubelet')).toBe(true);
    expect(can('system:serviceaccount:kube-system:certificate-controller', [], 'approve', 'signers.certificates.k8s.io', undefined, 'kubernetes.io/kube-apiserver-client')).toBe(false);
    expect(can('system:serviceaccount:kube-system:certificate-controller', [], 'sign', 'signers.certificates.k8s.io', undefined, 'kubernetes.io/kube-apiserver-client')).toBe(true);
    expect(can('system:serviceaccount:team:namespace-controller', [], 'delete', 'secrets', 'team')).toBe(false);
  });
  it('system:node is bound to nobody (the Node authorizer handles kubelets)', () => {
    expect(index.bindings.find((b) => b.record.name === 'system:node')?.record.subjects).toEqual([]);
    expect(can('system:node:n1', ['system:nodes'], 'get', 'secrets', 'default')).toBe(false);
  });
  it('kspect’s copy: system:monitoring reads /metrics, service accounts read OIDC discovery', () => {
    const full = buildRbacIndex([], { defaults: 'all' });
    expect(full.can(impersonatedUser('prom', ['system:monitoring']), requestOf({ verb: 'get', resource: '/metrics' }))).toBe(true);
    expect(full.can(impersonatedUser('system:serviceaccount:a:b'), requestOf({ verb: 'get', resource: '/.well-known/openid-configuration' }))).toBe(true);
    expect(full.can(impersonatedUser('jane'), requestOf({ verb: 'get', resource: '/.well-known/openid-configuration' }))).toBe(false);
  });
});

/** The pinned release's testdata in the Go module cache (test/testbed/build.sh downloads the module), if there. */
function pinnedTestdata(): { dir: string; version: string } | undefined {
  const gomod = readFileSync(join(import.meta.dirname, '..', '..', '..', 'test', 'testbed', 'go.mod'), 'utf8');
  const version = /^\s*k8s\.io\/kubernetes (v\d+\.\d+\.\d+)$/m.exec(gomod)?.[1];
  let cache = process.env.GOMODCACHE;
  if (cache === undefined || cache === '') {
    try {
      cache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      cache = join(homedir(), 'go', 'pkg', 'mod');
    }
  }
  if (version === undefined) return undefined;
  const dir = join(cache, 'k8s.io', `kubernetes@${version}`, 'plugin', 'pkg', 'auth', 'authorizer', 'rbac', 'bootstrappolicy', 'testdata');
  return existsSync(join(dir, 'cluster-role-bindings.yaml')) ? { dir, version } : undefined;
}

const pinned = pinnedTestdata();
describe.skipIf(pinned === undefined)('kspect’s copy of the bootstrap policy (data/rbac-bootstrap.json)', () => {
  it('is the upstream testdata of the Kubernetes release the testbed pins, object for object', () => {
    const files = ['cluster-roles.yaml', 'cluster-role-bindings.yaml', 'controller-roles.yaml', 'controller-role-bindings.yaml', 'namespace-roles.yaml', 'namespace-role-bindings.yaml'];
    const upstream = files.flatMap((f) => loadYamlFile(join(pinned?.dir ?? '', f)));
    const ours = bootstrapPolicyObjects();
    const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const strip = (raw: unknown) => JSON.parse(JSON.stringify(raw, (k, v: unknown) => (k === 'creationTimestamp' ? undefined : v))) as unknown;
    expect(ours.map(key)).toEqual(upstream.map(key));
    const theirs = new Map(upstream.map((o) => [key(o), o.raw]));
    for (const o of ours) expect(strip(o.raw), key(o)).toEqual(strip(theirs.get(key(o))));
    const json = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'data', 'rbac-bootstrap.json'), 'utf8')) as { objects: unknown[]; license: string; attribution: string; kubernetesVersion: string };
    expect([json.objects.length, json.license, json.kubernetesVersion]).toEqual([ours.length, 'Apache-2.0', pinned?.version]);
    expect(json.attribution).toMatch(/Kubernetes Authors/);
  });
});
