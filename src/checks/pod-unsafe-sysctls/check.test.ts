import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { isNamespacedSysctl, podUnsafeSysctls, safeSysctls } from './check.js';

testCheck(podUnsafeSysctls, import.meta.dirname);

describe('safe sysctls by version', () => {
  it.each([
    ['1.26', 'net.ipv4.ip_local_reserved_ports', false],
    ['1.27', 'net.ipv4.ip_local_reserved_ports', true],
    ['1.28', 'net.ipv4.tcp_keepalive_time', false],
    ['1.29', 'net.ipv4.tcp_keepalive_time', true],
    ['1.31', 'net.ipv4.tcp_rmem', false],
    ['1.32', 'net.ipv4.tcp_wmem', true],
    ['1.36', 'net.ipv4.tcp_notsent_lowat', false],
    ['1.37', 'net.ipv4.tcp_slow_start_after_idle', true],
    [undefined, 'net.ipv4.tcp_notsent_lowat', true],
    ['1.0', 'kernel.shm_rmid_forced', true],
  ])('at %s, %s safe: %s', (version, name, safe) => {
    expect(safeSysctls(version).has(name)).toBe(safe);
  });
  it('has 14 names at the newest version', () => {
    expect(safeSysctls(undefined).size).toBe(14);
  });
  it.each([
    ['kernel.sem', true],
    ['kernel.shmmax', true],
    ['kernel.msgmax', true],
    ['fs.mqueue.msg_max', true],
    ['net.core.somaxconn', true],
    ['vm.swappiness', false],
    ['kernel.panic', false],
    ['fs.file-max', false],
  ])('%s namespaced: %s', (name, namespaced) => {
    expect(isNamespacedSysctl(name)).toBe(namespaced);
  });
});

describe('pod-unsafe-sysctls severities', () => {
  it('grades namespaced unsafe sysctls above node-wide ones the kubelet refuses', () => {
    const r = runCheckOn(
      podUnsafeSysctls,
      `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  securityContext:
    sysctls:
      - {name: net.core.somaxconn, value: "1024"}
      - {name: vm.max_map_count, value: "262144"}
  containers: [{name: a, image: x}]
`,
    );
    expect(r.findings.map((f) => f.severity)).toEqual(['medium', 'low']);
  });
});
