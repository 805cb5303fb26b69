/**
 * The RBAC facts of the real-world corpus (../shared/corpus/*\/INDEX.md) are found by the engine:
 * can-i, who-can, the dangers of `kspect rbac risks` / the rbac-* checks, and admin equivalence.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/object.js';
import { buildRbacIndex, type RbacIndex, type RbacOptions } from './authorizer.js';
import { findDangers } from './dangers.js';
import { isAdmin } from './paths.js';
import { requestOf } from './requests.js';
import { impersonatedUser } from './subjects.js';
import { loadFolder, loadYamlFile, sharedDir } from './testutil.testutil.js';

const corpus = sharedDir('corpus');
const load = (...parts: string[]): K8sObject[] => {
  const p = join(corpus ?? '', ...parts);
  return /\.ya?ml$/.test(p) ? loadYamlFile(p) : loadFolder(p);
};
const idx = (objects: K8sObject[], options: RbacOptions = {}): RbacIndex => buildRbacIndex(objects, { defaults: 'roles', ...options });
const sa = (ns: string, name: string) => impersonatedUser(`system:serviceaccount:${ns}:${name}`);
const ask = (index: RbacIndex, user: ReturnType<typeof sa>, verb: string, resource: string, namespace?: string, name?: string): boolean =>
  index.can(user, requestOf({ verb, resource, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}) }));
/** `checkId bindingName scope` of every danger found. */
const dangers = (index: RbacIndex): string[] => findDangers(index).map((h) => `${h.danger.id} ${h.binding.record.name} ${h.scope}`);

describe.skipIf(corpus === undefined)('corpus RBAC facts', () => {
  it('argo-cd: the application controller holds everything; the server reads and deletes any object', () => {
    const index = idx(load('argo-cd'), { defaultNamespace: 'argocd' });
    const controller = sa('argocd', 'argocd-application-controller');
    expect(isAdmin(index, controller)).toBe(true);
    expect(ask(index, controller, 'delete', 'nodes')).toBe(true);
    expect(ask(index, controller, 'get', '/anything')).toBe(true);
    expect(dangers(index)).toContain('rbac-cluster-admin-binding argocd-application-controller cluster');
    const server = sa('argocd', 'argocd-server');
    expect(isAdmin(index, server)).toBe(false);
    expect(ask(index, server, 'get', 'secrets', 'kube-system')).toBe(true);
    expect(ask(index, server, 'delete', 'widgets.example.com', 'x')).toBe(true);
    expect(ask(index, server, 'create', 'pods', 'x')).toBe(false);
    expect(dangers(index)).toContain('rbac-secrets-read argocd-server cluster');
    expect(dangers(index)).toContain('rbac-wildcard argocd-server cluster');
    const appset = sa('argocd', 'argocd-applicationset-controller');
    expect(ask(index, appset, 'list', 'secrets')).toBe(true);
    expect(ask(index, appset, 'delete', 'secrets', 'x')).toBe(false);
    // Namespaced roles: argocd-redis reads only its own Secret.
    const redis = sa('argocd', 'argocd-redis');
    expect(ask(index, redis, 'get', 'secrets', 'argocd', 'argocd-redis')).toBe(true);
    expect(ask(index, redis, 'get', 'secrets', 'argocd', 'argocd-secret')).toBe(false);
    expect(ask(index, redis, 'create', 'secrets', 'argocd')).toBe(true);
  });

  it('kubernetes-goat: a kube-system service account bound to cluster-admin', () => {
    const index = idx(load('kubernetes-goat', 'scenarios', 'insecure-rbac', 'setup.yaml'));
    expect(isAdmin(index, sa('kube-system', 'superadmin'))).toBe(true);
    expect(dangers(index)).toEqual(['rbac-cluster-admin-binding superadmin cluster']);
    expect(index.whoCan(requestOf({ verb: 'get', resource: 'secrets', namespace: 'prod' })).map((e) => `${e.subject.namespace ?? ''}/${e.subject.name}`)).toEqual(['kube-system/superadmin']);
  });

  it('ingress-nginx: lists Secrets cluster-wide, writes its webhook configuration, no wildcard or cluster-admin', () => {
    const index = idx(load('ingress-nginx'));
    const controller = sa('ingress-nginx', 'ingress-nginx');
    expect(ask(index, controller, 'list', 'secrets')).toBe(true);
    expect(ask(index, controller, 'watch', 'secrets', 'kube-system')).toBe(true);
    expect(ask(index, controller, 'get', 'secrets', 'kube-system')).toBe(false);
    expect(ask(index, controller, 'get', 'secrets', 'ingress-nginx')).toBe(true);
    const d = dangers(index);
    expect(d).toContain('rbac-secrets-read ingress-nginx cluster');
    expect(d).toContain('rbac-secrets-create ingress-nginx-admission ingress-nginx');
    expect(d).toContain('rbac-webhook-write ingress-nginx-admission cluster');
    expect(d.filter((x) => x.startsWith('rbac-wildcard') || x.startsWith('rbac-cluster-admin'))).toEqual([]);
  });

  it('cert-manager: * on Secrets and pods cluster-wide; the cainjector writes webhooks; its view role aggregates into view', () => {
    const index = idx(load('cert-manager'));
    const cm = sa('cert-manager', 'cert-manager');
    expect(ask(index, cm, 'delete', 'secrets', 'kube-system')).toBe(true);
    expect(ask(index, cm, 'create', 'pods', 'x')).toBe(true);
    const d = dangers(index);
    expect(d).toContain('rbac-wildcard cert-manager cluster');
    expect(d).toContain('rbac-secrets-read cert-manager cluster');
    expect(d).toContain('rbac-pod-create cert-manager cluster');
    expect(d).toContain('rbac-secrets-read cert-manager-cainjector cluster');
    expect(d).toContain('rbac-webhook-write cert-manager-cainjector cluster');
    const view = index.clusterRole('view');
    expect(view?.rules.some((r) => r.from?.role === 'cert-manager-view')).toBe(true);
  });

  it('kubernetes-dashboard: Secrets only by resourceNames, so no secrets-read risk', () => {
    const index = idx(load('kubernetes-dashboard'));
    const dash = sa('kubernetes-dashboard', 'kubernetes-dashboard');
    expect(ask(index, dash, 'get', 'secrets', 'kubernetes-dashboard', 'kubernetes-dashboard-certs')).toBe(true);
    expect(ask(index, dash, 'get', 'secrets', 'kubernetes-dashboard')).toBe(false);
    expect(dangers(index).filter((x) => /secrets-read|cluster-admin|wildcard/.test(x))).toEqual([]);
  });

  it('calico: calico-node mints service-account tokens; kube-controllers wildcard only in Calico groups', () => {
    const index = idx(load('calico'));
    expect(ask(index, sa('kube-system', 'calico-node'), 'create', 'serviceaccounts/token', 'kube-system', 'calico-cni-plugin')).toBe(true);
    const d = dangers(index);
    expect(d.some((x) => x.startsWith('rbac-token-create calico-node'))).toBe(true);
    expect(d).toContain('rbac-wildcard calico-kube-controllers cluster');
    expect(ask(index, sa('kube-system', 'calico-kube-controllers'), 'get', 'secrets', 'kube-system')).toBe(false);
  });

  it('flannel: patches nodes/status, nothing else dangerous', () => {
    const index = idx(load('flannel'));
    expect(dangers(index)).toEqual(['rbac-status-patch flannel cluster']);
  });

  it('kube-prometheus: the operator has * on Secrets, kube-state-metrics lists them cluster-wide', () => {
    const index = idx(load('kube-prometheus', 'manifests'));
    expect(ask(index, sa('monitoring', 'prometheus-operator'), 'delete', 'secrets', 'default')).toBe(true);
    expect(ask(index, sa('monitoring', 'kube-state-metrics'), 'list', 'secrets')).toBe(true);
    const d = dangers(index);
    expect(d).toContain('rbac-secrets-read prometheus-operator cluster');
    expect(d).toContain('rbac-secrets-read kube-state-metrics cluster');
  });

  it('metrics-server: no Secrets, no wildcards; its reader role aggregates into view/edit/admin', () => {
    const index = idx(load('metrics-server', 'rendered', 'components.yaml'));
    expect(dangers(index).filter((x) => /secrets|wildcard|cluster-admin/.test(x))).toEqual([]);
    for (const r of ['view', 'edit', 'admin']) expect(index.clusterRole(r)?.rules.some((x) => x.from?.role === 'system:aggregated-metrics-reader')).toBe(true);
  });

  it('vulnerable-kubernetes-deployments: web apps that can create pods in every namespace', () => {
    const index = idx(load('vulnerable-kubernetes-deployments', 'examples', 'python', 'hello-fastapi-python3.9', 'deploy', 'kubernetes', 'all.yaml'));
    const who = index.whoCan(requestOf({ verb: 'create', resource: 'pods', namespace: 'kube-system' }));
    expect(who.map((e) => `${e.subject.kind} ${e.subject.namespace ?? ''} ${e.scope}`)).toEqual(['ServiceAccount hello-fastapi-python-39 cluster']);
    expect(dangers(index)).toContain('rbac-pod-create hello-fastapi-python-39 cluster');
  });

  it('simulator: attach and ephemeral containers for dmz/sre; fluentd mints tokens cluster-wide; pods/exec mazes', () => {
    const coast = idx(load('simulator', 'ansible', 'roles', 'coastline-cluster-attack', 'files', 'manifests'));
    expect(ask(coast, sa('dmz', 'sre'), 'create', 'pods/attach', 'coastline')).toBe(true);
    expect(ask(coast, sa('dmz', 'sre'), 'patch', 'pods/ephemeralcontainers', 'coastline')).toBe(true);
    expect(ask(coast, sa('dmz', 'sre'), 'create', 'pods/attach', 'dmz')).toBe(false);
    expect(findDangers(coast).some((h) => h.danger.id === 'rbac-pod-exec' && h.scope === 'coastline' && h.role.record.name === 'coastline-auth-access')).toBe(true);
    expect(findDangers(coast).some((h) => h.danger.id === 'rbac-token-create' && h.scope === 'cluster' && h.role.record.name === 'coastline-fluentd')).toBe(true);
    const seas = idx(load('simulator', 'ansible', 'roles', 'seven-seas', 'files', 'manifests'));
    expect(ask(seas, sa('arctic', 'swashbyter'), 'create', 'pods/exec', 'south-atlantic')).toBe(true);
    expect(ask(seas, sa('arctic', 'swashbyter'), 'create', 'pods/exec', 'arctic')).toBe(false);
    expect(ask(seas, sa('southern', 'terrible-disguise'), 'create', 'deployments.apps', 'south-pacific')).toBe(true);
  });

  it('kubernetes website: the cloud-controller-manager example binds cluster-admin', () => {
    const index = idx(load('kubernetes-website-examples', 'content', 'en', 'examples', 'admin', 'cloud', 'ccm-example.yaml'));
    expect(isAdmin(index, sa('kube-system', 'cloud-controller-manager'))).toBe(true);
    expect(dangers(index)).toContain('rbac-cluster-admin-binding system:cloud-controller-manager cluster');
  });
});
