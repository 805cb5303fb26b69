import { describe, expect, it } from 'vitest';
import type { Problem } from '../core/finding.js';
import { parseManifests } from '../sources/yaml.js';
import { annotationSuppressor, matchExemption, parseIgnore } from './suppress.js';

function obj(yaml: string) {
  const o = parseManifests(yaml, 'x.yaml', { type: 'file', uri: 'x.yaml' }).objects[0];
  if (!o) throw new Error('no object');
  return o;
}

describe('kspect.dev/ignore', () => {
  it('parses ids, reason and expiry', () => {
    expect(parseIgnore('pod-privileged, pod-host-pid — CNI needs it until=2027-01-31')).toMatchObject({ reason: 'CNI needs it', until: new Date('2027-01-31T23:59:59Z') });
    expect(parseIgnore('pod-privileged')).toMatchObject({ reason: 'no reason given' });
    expect(parseIgnore('pod-privileged -- legacy')).toMatchObject({ reason: 'legacy' });
    expect(parseIgnore(' — reason only')).toEqual({ error: 'names no check id' });
    expect(parseIgnore('x-y: r until=2027-02-30x')).toEqual({ error: 'has an invalid expiry date "2027-02-30x" (use YYYY-MM-DD)' });
  });
  it('suppresses on the object and on the pod template; expired ones are reported and stop working', () => {
    const problems: Problem[] = [];
    const s = annotationSuppressor(new Date('2026-06-01T00:00:00Z'), problems);
    const pod = obj('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    kspect.dev/ignore: "pod-privileged — ok"\nspec: {}\n');
    expect(s.suppresses(pod, 'pod-privileged')).toBe('ok');
    expect(s.suppresses(pod, 'pod-host-pid')).toBeUndefined();
    const dep = obj('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations: {kspect.dev/ignore: "*: all of it"}\n    spec: {containers: []}\n');
    expect(s.suppresses(dep, 'anything-at-all')).toBe('all of it');
    const old = obj('apiVersion: v1\nkind: Pod\nmetadata:\n  name: old\n  annotations: {kspect.dev/ignore: "pod-privileged: temp until=2026-01-01"}\nspec: {}\n');
    expect(s.suppresses(old, 'pod-privileged')).toBeUndefined();
    expect(s.suppresses(old, 'pod-privileged')).toBeUndefined();
    expect(problems.map((p) => p.code)).toEqual(['suppression-expired']);
  });
  it('exemptions match by namespace, kind, name glob and labels', () => {
    const ds = obj('apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node, namespace: kube-system, labels: {k8s-app: calico}}\nspec: {template: {spec: {containers: []}}}\n');
    const e = { checks: ['pod-privileged'], namespaces: ['kube-system'], kinds: ['DaemonSet'], names: ['calico-*'], labels: { 'k8s-app': 'calico' }, reason: 'CNI' };
    expect(matchExemption([e], ds, 'pod-privileged')).toBe(e);
    expect(matchExemption([e], ds, 'pod-host-pid')).toBeUndefined();
    expect(matchExemption([{ ...e, labels: { 'k8s-app': 'other' } }], ds, 'pod-privileged')).toBeUndefined();
    expect(matchExemption([{ ...e, namespaces: ['default'] }], ds, 'pod-privileged')).toBeUndefined();
    expect(matchExemption([{ checks: ['*'], reason: 'all' }], undefined, 'x-y')).toBeDefined();
  });
});
