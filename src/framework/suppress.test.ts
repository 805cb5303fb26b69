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
  it('suppresses on the object and on the pod template, saying where it was written; expired ones are reported and stop working', () => {
    const problems: Problem[] = [];
    const s = annotationSuppressor(new Date('2026-06-01T00:00:00Z'), problems);
    const pod = obj('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    kspect.dev/ignore: "pod-privileged — ok"\nspec: {}\n');
    expect(s.suppresses(pod, 'pod-privileged')).toEqual({ reason: 'ok', annotation: { object: 'Pod p', file: 'x.yaml', line: 6, column: 5 } });
    expect(s.suppresses(pod, 'pod-host-pid')).toBeUndefined();
    const dep = obj('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations: {kspect.dev/ignore: "pod-host-pid: all of it"}\n    spec: {containers: []}\n');
    expect(s.suppresses(dep, 'pod-host-pid')).toMatchObject({ reason: 'all of it', annotation: { object: 'Deployment d', line: 7 } });
    const old = obj('apiVersion: v1\nkind: Pod\nmetadata:\n  name: old\n  annotations: {kspect.dev/ignore: "pod-privileged: temp until=2026-01-01"}\nspec: {}\n');
    expect(s.suppresses(old, 'pod-privileged')).toBeUndefined();
    expect(s.suppresses(old, 'pod-privileged')).toBeUndefined();
    // Asked again after another object: its annotation is still read once (one problem), its answers the same.
    expect(s.suppresses(pod, 'pod-privileged')).toMatchObject({ reason: 'ok' });
    expect(s.suppresses(old, 'pod-privileged')).toBeUndefined();
    expect(s.suppresses(dep, 'pod-host-pid')).toMatchObject({ reason: 'all of it' });
    expect(s.suppresses(pod, 'pod-host-pid')).toBeUndefined();
    expect(problems.map((p) => p.code)).toEqual(['suppression-expired']);
  });
  it('only listed check ids suppress: "*" and unknown ids are reported and suppress nothing', () => {
    const problems: Problem[] = [];
    const s = annotationSuppressor(new Date('2026-06-01T00:00:00Z'), problems, { knownChecks: new Set(['pod-privileged', 'pod-host-pid']) });
    const star = obj('apiVersion: v1\nkind: Pod\nmetadata:\n  name: star\n  namespace: a\n  annotations: {kspect.dev/ignore: "*: everything"}\nspec: {}\n');
    expect(s.suppresses(star, 'pod-privileged')).toBeUndefined();
    const typo = obj('apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\n  annotations: {kspect.dev/ignore: "pod-privilegd,pod-host-pid: x"}\nspec: {}\n');
    expect(s.suppresses(typo, 'pod-privileged')).toBeUndefined();
    expect(s.suppresses(typo, 'pod-host-pid')).toMatchObject({ reason: 'x' });
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['suppression-unknown-check', 'Pod a/star: annotation kspect.dev/ignore names "*", which is not a check id: name each check to suppress; "*" suppresses nothing'],
      ['suppression-unknown-check', 'Pod typo: annotation kspect.dev/ignore names an unknown check "pod-privilegd"; it suppresses nothing'],
    ]);
  });
  it('the policy owner can turn annotation suppression off, or restrict it to checks and namespaces', () => {
    const pod = (ns: string) => obj(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ${ns}\n  annotations: {kspect.dev/ignore: "pod-privileged,pod-host-pid: mine"}\nspec: {}\n`);
    const off: Problem[] = [];
    expect(annotationSuppressor(new Date(), off, { policy: { enabled: false } }).suppresses(pod('a'), 'pod-privileged')).toBeUndefined();
    expect(off.map((p) => p.code)).toEqual(['suppression-not-allowed']);
    const some: Problem[] = [];
    const s = annotationSuppressor(new Date(), some, { policy: { enabled: true, checks: ['pod-host-pid'], namespaces: ['legacy-*'] } });
    expect(s.suppresses(pod('legacy-1'), 'pod-host-pid')).toMatchObject({ reason: 'mine' });
    const p1 = pod('legacy-1');
    expect(s.suppresses(p1, 'pod-privileged')).toBeUndefined();
    expect(s.suppresses(p1, 'pod-privileged')).toBeUndefined();
    expect(s.suppresses(pod('prod'), 'pod-host-pid')).toBeUndefined();
    expect(some.map((p) => p.message)).toEqual([
      'Pod legacy-1/p: annotation kspect.dev/ignore may not suppress pod-privileged: the configuration allows it only for pod-host-pid; its findings are reported',
      'Pod prod/p: annotation kspect.dev/ignore is ignored: the configuration allows annotation suppression only in the namespaces legacy-*',
    ]);
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
