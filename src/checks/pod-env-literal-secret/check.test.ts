import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { podEnvLiteralSecret } from './check.js';

testCheck(podEnvLiteralSecret, import.meta.dirname);

it('never prints the value and rates shapes above names', () => {
  const aws = 'AKIAZZZZPLANTED00001';
  const pw = 'pl4nted-Passw0rd-xyz';
  const text = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  containers:
    - name: c
      image: nginx:1.27
      env:
        - {name: AWS_ACCESS_KEY_ID, value: ${aws}}
        - {name: DB_PASSWORD, value: ${pw}}
`;
  const r = runCheckOn(podEnvLiteralSecret, text);
  expect(r.findings.map((f) => [f.path, f.severity])).toEqual([
    ['spec.containers[0].env[0].value', 'high'],
    ['spec.containers[0].env[1].value', 'medium'],
  ]);
  const out = JSON.stringify(r);
  expect(out).not.toContain(aws);
  expect(out).not.toContain(pw);
});
