import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { pssBaseline } from './check.js';

testCheck(pssBaseline, import.meta.dirname);

describe('pss-baseline findings', () => {
  const yaml = `
apiVersion: v1
kind: Namespace
metadata:
  name: ops
  labels: {pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/enforce-version: v1.33}
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: ops}
spec:
  hostNetwork: true
  hostIPC: true
  containers:
    - name: tool
      image: busybox:1.36
      livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}
`;

  it('names the control, the forbidden values and the policy, and references the control', () => {
    const report = runCheckOn(pssBaseline, yaml, 'ops.yaml');
    expect(report.findings).toHaveLength(1); // probe hosts are forbidden only from v1.34
    const f = report.findings[0];
    expect(f?.message).toBe('hostNamespaces (Host Namespaces): hostNetwork=true, hostIPC=true (allowed: false or unset); denied by PodSecurity "baseline:v1.33" (from the labels of namespace "ops")');
    expect(f?.references.pss).toEqual(['hostNamespaces']);
    expect(f?.evidence).toBe('fields: spec.hostNetwork, spec.hostIPC');
    expect(f?.location).toEqual({ file: 'ops.yaml', line: 12, column: 3 });
  });

  it('reports fields of the wrong type as not evaluated', () => {
    const report = runCheckOn(pssBaseline, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: "yes"\n  containers: [{name: a, image: x}]\n');
    expect(report.findings).toEqual([]);
    expect(report.notEvaluated.map((n) => [n.checkId, n.reason])).toEqual([['pss-baseline', 'unsupported']]);
    expect(report.notEvaluated[0]?.message).toContain('spec.hostPID: expected a boolean');
  });
});
