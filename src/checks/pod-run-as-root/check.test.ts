import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { podRunAsRoot } from './check.js';

testCheck(podRunAsRoot, import.meta.dirname);

describe('pod-run-as-root severities and messages', () => {
  const pod = (sc: string, csc = '{}') => `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  securityContext: ${sc}
  containers:
    - {name: a, image: x, securityContext: ${csc}}
    - {name: b, image: x}
`;
  it('explicit root is medium, an unknown user low, the root group low', () => {
    const r = runCheckOn(podRunAsRoot, pod('{runAsGroup: 0}', '{runAsUser: 0}'));
    const bySeverity = r.findings.map((f) => `${f.severity} ${f.path ?? ''} ${f.resource?.container ?? '-'}`).sort();
    expect(bySeverity).toEqual([
      'low spec.containers[1] b',
      'low spec.securityContext.runAsGroup -',
      'medium spec.containers[0].securityContext.runAsUser a',
    ]);
  });
  it('names every container that inherits a pod-level field, once', () => {
    const r = runCheckOn(podRunAsRoot, pod('{runAsUser: 0}'));
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.message).toBe('pod-level runAsUser 0 makes containers "a", "b" run as root');
  });
});
