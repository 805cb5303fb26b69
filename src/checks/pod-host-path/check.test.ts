import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { classifyHostPath, hostPathSeverity, podHostPath } from './check.js';

testCheck(podHostPath, import.meta.dirname);

describe('classifyHostPath', () => {
  it.each([
    ['/', 'socket'],
    ['/var/run/docker.sock', 'socket'],
    ['/run/docker.sock', 'socket'],
    ['/var/run//containerd/containerd.sock', 'socket'],
    ['/run/containerd', 'socket'],
    ['/var/run/', 'socket'],
    ['/run', 'socket'],
    ['/run/crio/crio.sock', 'socket'],
    ['/var/snap/microk8s/common/run/containerd.sock', 'socket'],
    ['/run/k3s/containerd/containerd.sock', 'socket'],
    ['/etc', 'sensitive'],
    ['/etc/', 'sensitive'],
    ['/etc/kubernetes/pki', 'sensitive'],
    ['/./etc//kubernetes/', 'sensitive'],
    ['/srv/../etc', 'sensitive'],
    ['/proc', 'sensitive'],
    ['/proc/sys/kernel', 'sensitive'],
    ['/sys/fs/cgroup', 'sensitive'],
    ['/root/.ssh', 'sensitive'],
    ['/home', 'sensitive'],
    ['/var/log/pods', 'sensitive'],
    ['/var/lib/kubelet', 'sensitive'],
    ['/var/lib/etcd/member', 'sensitive'],
    ['/var/lib', 'sensitive'],
    ['/var', 'sensitive'],
    ['/boot', 'sensitive'],
    ['/dev/sda', 'sensitive'],
    ['/usr/local/bin', 'sensitive'],
    ['/lib/modules', 'sensitive'],
    ['/opt/cni/bin', 'sensitive'],
    ['/opt', 'sensitive'],
    ['/data', 'other'],
    ['/srv/backups', 'other'],
    ['/var/lib/app-data', 'other'],
    ['/var/logs', 'other'],
    ['/etcd-backup', 'other'],
    ['/run/xtables.lock', 'other'],
    ['/tmp', 'other'],
    ['\\\\.\\pipe\\docker_engine', 'socket'],
    ['\\\\.\\pipe\\containerd-containerd', 'socket'],
    ['C:\\', 'sensitive'],
    ['C:\\Windows\\System32', 'sensitive'],
    ['c:/var/lib/kubelet', 'sensitive'],
    ['C:\\k', 'sensitive'],
    ['C:\\data', 'other'],
  ])('%s is %s', (path, kind) => {
    expect(classifyHostPath(path).kind).toBe(kind);
  });
});

describe('hostPathSeverity', () => {
  it.each([
    ['socket', 'writable', 'critical'],
    ['socket', 'read-only', 'critical'],
    ['socket', 'none', 'high'],
    ['sensitive', 'writable', 'critical'],
    ['sensitive', 'read-only', 'high'],
    ['sensitive', 'none', 'high'],
    ['other', 'writable', 'medium'],
    ['other', 'read-only', 'low'],
    ['other', 'none', 'low'],
  ] as const)('%s mounted %s is %s', (kind, access, severity) => {
    expect(hostPathSeverity(kind, access)).toBe(severity);
  });
});

describe('pod-host-path findings', () => {
  const pod = (path: string, mount: string) => `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  containers:
    - name: a
      image: x
      volumeMounts: [${mount}]
  volumes:
    - name: h
      hostPath: {path: "${path}"}
`;
  it('grades writable sensitive mounts above read-only ones', () => {
    expect(runCheckOn(podHostPath, pod('/etc', '{name: h, mountPath: /h}')).findings[0]?.severity).toBe('critical');
    expect(runCheckOn(podHostPath, pod('/etc', '{name: h, mountPath: /h, readOnly: true}')).findings[0]?.severity).toBe('high');
    expect(runCheckOn(podHostPath, pod('/data', '{name: h, mountPath: /h}')).findings[0]?.severity).toBe('medium');
    expect(runCheckOn(podHostPath, pod('/data', '{name: h, mountPath: /h, readOnly: true}')).findings[0]?.severity).toBe('low');
  });
  it('names the writers in the message', () => {
    const f = runCheckOn(podHostPath, pod('/var/lib/kubelet', '{name: h, mountPath: /h}')).findings[0];
    expect(f?.message).toContain('writable by container "a"');
    expect(f?.resource?.container).toBeUndefined();
  });
});
