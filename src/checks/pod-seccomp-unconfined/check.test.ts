import { describe, expect, it } from 'vitest';
import { runCheckOn, TEST_SETTINGS, testCheck } from '../support/tester.js';
import { legacyAnnotationsApply, podSeccompUnconfined } from './check.js';

testCheck(podSeccompUnconfined, import.meta.dirname);

describe('pod-seccomp-unconfined', () => {
  it('applies the legacy annotations only before v1.27', () => {
    expect(legacyAnnotationsApply({ ...TEST_SETTINGS, k8sVersion: '1.26' })).toBe(true);
    expect(legacyAnnotationsApply({ ...TEST_SETTINGS, k8sVersion: '1.27' })).toBe(false);
    expect(legacyAnnotationsApply(TEST_SETTINGS)).toBe(false);
  });
  it('reports Unconfined at medium and a missing profile at low', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  containers:
    - {name: a, image: x, securityContext: {seccompProfile: {type: Unconfined}}}
    - {name: b, image: x}
`;
    const r = runCheckOn(podSeccompUnconfined, text);
    expect(r.findings.map((f) => `${f.resource?.container ?? ''} ${f.severity}`).sort()).toEqual(['a medium', 'b low']);
  });
});
