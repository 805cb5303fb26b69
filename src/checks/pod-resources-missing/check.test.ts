import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { podResourcesMissing } from './check.js';

testCheck(podResourcesMissing, import.meta.dirname);

it('names exactly the missing fields and rates a missing memory limit higher', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  containers:
    - name: none
      image: nginx:1.27
    - name: cpu-limit-only
      image: nginx:1.27
      resources: {limits: {memory: 256Mi}}
`;
  const r = runCheckOn(podResourcesMissing, text);
  expect(r.findings.map((f) => [f.resource?.container, f.severity, f.evidence])).toEqual([
    ['none', 'medium', 'missing: requests.cpu, requests.memory, limits.cpu, limits.memory'],
    ['cpu-limit-only', 'low', 'missing: requests.cpu, limits.cpu'],
  ]);
});
