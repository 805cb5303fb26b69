import { describe, expect, it } from 'vitest';
import { podHostPid } from '../checks/pod-host-pid/check.js';
import { podRunAsRoot } from '../checks/pod-run-as-root/check.js';
import { quoteList } from './field-findings.js';
import { runCheckOn } from '../checks/support/tester.js';

describe('field findings', () => {
  it('quotes lists of names', () => {
    expect(quoteList(['a', 'b'])).toBe('"a", "b"');
  });
  it('reports a pod-level field once, without a container, naming the containers that inherit it', () => {
    const r = runCheckOn(
      podRunAsRoot,
      `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  securityContext: {runAsUser: 0}
  initContainers: [{name: i, image: x}]
  containers: [{name: a, image: x}, {name: b, image: x, securityContext: {runAsUser: 7}}]
`,
    );
    expect(r.findings.map((f) => [f.path, f.resource?.container, f.message])).toEqual([
      ['spec.securityContext.runAsUser', undefined, 'pod-level runAsUser 0 makes containers "i", "a" run as root'],
    ]);
  });
  it('records a workload without a pod spec as not evaluated, never as passed', () => {
    const r = runCheckOn(podHostPid, `apiVersion: apps/v1
kind: Deployment
metadata: {name: broken, namespace: shop}
spec:
  replicas: 2
`);
    expect(r.findings).toEqual([]);
    expect(r.notEvaluated.map((n) => [n.checkId, n.reason, n.message])).toEqual([
      ['pod-host-pid', 'missing-input', 'Deployment shop/broken has no pod spec at spec.template.spec: its pods could not be checked'],
    ]);
  });
});
