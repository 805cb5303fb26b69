import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { podSaTokenAutomount } from './check.js';

testCheck(podSaTokenAutomount, import.meta.dirname);

it('reports deliberate automounting as information, the default at the check severity', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec:
  automountServiceAccountToken: true
  containers: [{name: c, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x}
spec:
  containers: [{name: c, image: nginx:1.27}]
`;
  const r = runCheckOn(podSaTokenAutomount, text);
  expect(r.findings.map((f) => [f.resource?.name, f.severity])).toEqual([
    ['a', 'info'],
    ['b', 'medium'],
  ]);
});
