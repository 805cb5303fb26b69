import { describe, expect, it } from 'vitest';
import { toK8sObject, type K8sObject } from '../model/object.js';
import { dropOwned, selectResources, type ApiResource } from './cluster.js';

const res = (group: string, resource: string, kind: string, verbs = ['get', 'list']): ApiResource => ({ group, version: 'v1', resource, kind, namespaced: true, verbs });

describe('selectResources', () => {
  it('lists every listable kind once, core first, and skips bookkeeping kinds', () => {
    const all = [res('', 'events', 'Event'), res('events.k8s.io', 'events', 'Event'), res('', 'pods', 'Pod'), res('metrics.k8s.io', 'pods', 'PodMetrics'), res('', 'bindings', 'Binding', ['create']), res('apps', 'deployments', 'Deployment')];
    expect(selectResources(all, undefined).map((r) => `${r.group}/${r.resource}`)).toEqual(['/pods', 'apps/deployments', 'metrics.k8s.io/pods']);
    expect(selectResources(all, new Set(['Event'])).map((r) => `${r.group}/${r.resource}`)).toEqual(['/events']);
  });
});

describe('dropOwned', () => {
  const obj = (kind: string, name: string, uid: string, owner?: string): K8sObject =>
    toK8sObject({ apiVersion: 'v1', kind, metadata: { name, uid, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: owner, controller: true }] } : {}) } }, undefined) as K8sObject;
  it('drops objects whose controller is in the scan, keeps orphans and non-controller owners', () => {
    const objects = [obj('Deployment', 'd', 'u1'), obj('ReplicaSet', 'rs', 'u2', 'u1'), obj('Pod', 'p', 'u3', 'u2'), obj('Pod', 'orphan', 'u4', 'gone')];
    expect(dropOwned(objects).map((o) => o.metadata.name)).toEqual(['d', 'orphan']);
  });
});
