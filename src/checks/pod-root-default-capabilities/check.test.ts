import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { podRootDefaultCapabilities } from './check.js';

testCheck(podRootDefaultCapabilities, import.meta.dirname);

it('names the capabilities kept', () => {
  const r = runCheckOn(
    podRootDefaultCapabilities,
    `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  securityContext: {runAsUser: 0}
  containers: [{name: a, image: x, securityContext: {capabilities: {drop: [SETUID, SETGID, CHOWN, KILL]}}}]
`,
  );
  expect(r.findings[0]?.message).toContain('keeps DAC_OVERRIDE, FOWNER of the runtime');
});
