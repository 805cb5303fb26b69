import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { podSelinuxCustom } from './check.js';

testCheck(podSelinuxCustom, import.meta.dirname);

describe('pod-selinux-custom severities', () => {
  const pod = (type: string) => `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  containers:
    - {name: a, image: x, securityContext: {seLinuxOptions: {type: ${type}}}}
`;
  it.each([
    ['spc_t', ['high']],
    ['unconfined_t', ['high']],
    ['my_unconfined_t', ['high']],
    ['httpd_t', ['medium']],
    ['container_t', []],
    ['container_engine_t', []],
    ['container_kvm_t', []],
    ['container_init_t', []],
  ])('type %s', (type, severities) => {
    expect(runCheckOn(podSelinuxCustom, pod(type)).findings.map((f) => f.severity)).toEqual(severities);
  });
});
