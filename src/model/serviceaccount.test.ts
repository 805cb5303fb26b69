import { describe, expect, it } from 'vitest';
import { buildInventory } from './inventory.js';
import { toK8sObject, type K8sObject } from './object.js';
import { podSpecOf } from './podspec.js';
import { automountOf, boundServiceAccounts, serviceAccountOf, tokenPathShadowed } from './serviceaccount.js';

const pod = (spec: Record<string, unknown>): K8sObject => {
  const o = toK8sObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec }, undefined);
  if (!o) throw new Error('not an object');
  return o;
};
const view = (spec: Record<string, unknown>) => {
  const v = podSpecOf(pod(spec));
  if (!v) throw new Error('no pod spec');
  return v;
};
const sa = (automount?: boolean): K8sObject => {
  const o = toK8sObject({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'x' }, ...(automount !== undefined ? { automountServiceAccountToken: automount } : {}) }, undefined);
  if (!o) throw new Error('not an object');
  return o;
};

describe('serviceAccountOf', () => {
  it.each([
    [{}, 'default', 'default'],
    [{ serviceAccountName: '' }, 'default', 'default'],
    [{ serviceAccountName: 'api' }, 'api', 'serviceAccountName'],
    [{ serviceAccount: 'old' }, 'old', 'serviceAccount'],
    [{ serviceAccountName: 'new', serviceAccount: 'old' }, 'new', 'serviceAccountName'],
    [{ serviceAccountName: '', serviceAccount: 'old' }, 'old', 'serviceAccount'],
  ])('%j runs as %s (from %s)', (spec, name, from) => {
    expect(serviceAccountOf(view(spec))).toMatchObject({ name, from });
  });
});

describe('automountOf: the pod wins over the ServiceAccount, which wins over the default', () => {
  it.each([
    [undefined, undefined, true, 'default'],
    [undefined, false, false, 'serviceaccount'],
    [undefined, true, true, 'serviceaccount'],
    [true, false, true, 'pod'],
    [false, true, false, 'pod'],
    [false, undefined, false, 'pod'],
  ])('pod %s, ServiceAccount %s → %s (by %s)', (podValue, saValue, value, by) => {
    const spec = podValue !== undefined ? { automountServiceAccountToken: podValue } : {};
    expect(automountOf(view(spec), saValue !== undefined ? sa(saValue) : sa())).toMatchObject({ value, by });
  });
});

describe('tokenPathShadowed', () => {
  const mount = (mountPath: string) => ({ name: 'c', image: 'x', volumeMounts: [{ name: 'v', mountPath }] });
  const P = '/var/run/secrets/kubernetes.io/serviceaccount';
  it.each([
    [{ containers: [mount(P)] }, true],
    [{ containers: [mount(P)], initContainers: [mount(P)] }, true],
    [{ containers: [mount(P)], initContainers: [{ name: 'i', image: 'x' }] }, false],
    [{ containers: [mount(`${P}/`)] }, false],
    [{ containers: [mount(P)], ephemeralContainers: [{ name: 'e', image: 'x' }] }, true],
    [{ containers: [] }, false],
  ])('%j → %s', (spec, want) => {
    expect(tokenPathShadowed(view(spec))).toBe(want);
  });
});

describe('boundServiceAccounts', () => {
  it('defaults a RoleBinding subject namespace to the binding namespace', () => {
    const objs = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'ops' }, subjects: [{ kind: 'ServiceAccount', name: 'a' }, { kind: 'User', name: 'u' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'c' }, subjects: [{ kind: 'ServiceAccount', name: 'b', namespace: 'kube-system' }] },
    ].map((raw) => toK8sObject(raw, undefined)).filter((o): o is K8sObject => o !== undefined);
    expect([...boundServiceAccounts(buildInventory(objs))].sort()).toEqual(['kube-system/b', 'ops/a']);
  });
});
