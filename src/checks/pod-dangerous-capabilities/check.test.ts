import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { podDangerousCapabilities } from './check.js';

testCheck(podDangerousCapabilities, import.meta.dirname);

describe('pod-dangerous-capabilities severities', () => {
  const pod = (spec: string, add: string, mounts = '[]') => `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  ${spec}
  containers:
    - name: a
      image: x
      securityContext: {capabilities: {add: [${add}]}}
      volumeMounts: ${mounts}
  volumes:
    - {name: h, hostPath: {path: /data}}
`;
  const severity = (text: string) => runCheckOn(podDangerousCapabilities, text).findings.map((f) => f.severity);
  it.each([
    ['hostPID: false', 'SYS_MODULE', '[]', 'critical'],
    ['hostPID: false', 'ALL', '[]', 'critical'],
    ['hostPID: false', 'SYS_ADMIN', '[]', 'high'],
    ['hostPID: false', 'SYS_ADMIN', '[{name: h, mountPath: /h, readOnly: true}]', 'critical'],
    ['hostPID: false', 'SYS_PTRACE', '[]', 'medium'],
    ['hostPID: true', 'SYS_PTRACE', '[]', 'critical'],
    ['hostPID: false', 'DAC_READ_SEARCH', '[]', 'high'],
    ['hostPID: false', 'DAC_READ_SEARCH', '[{name: h, mountPath: /h}]', 'critical'],
    ['hostNetwork: false', 'NET_ADMIN', '[]', 'medium'],
    ['hostNetwork: true', 'NET_ADMIN', '[]', 'high'],
    ['hostNetwork: true', 'NET_RAW', '[]', 'high'],
    ['hostNetwork: false', 'cap_bpf', '[]', 'high'],
    ['hostNetwork: false', 'SYS_TIME', '[]', 'medium'],
    ['hostNetwork: false', 'SYS_NICE', '[]', 'low'],
  ])('%s, add %s, mounts %s: %s', (spec, add, mounts, expected) => {
    expect(severity(pod(spec, add, mounts))).toEqual([expected]);
  });
  it('reports a capability named twice once', () => {
    expect(severity(pod('hostPID: false', 'SYS_ADMIN, CAP_SYS_ADMIN, sys_admin'))).toEqual(['high']);
  });
  it('says why in the message', () => {
    const f = runCheckOn(podDangerousCapabilities, pod('hostPID: true', 'SYS_PTRACE')).findings[0];
    expect(f?.message).toBe('container "a" adds SYS_PTRACE with hostPID: it can attach to and inject code into every process of the node');
  });
});
