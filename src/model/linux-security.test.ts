import { describe, expect, it } from 'vitest';
import { isAllCapabilities, isSameOrUnder, isWindowsPath, normalizeCapability, normalizeHostPath, normalizeSysctlName } from './linux-security.js';

describe('normalizeCapability', () => {
  it.each([
    ['SYS_ADMIN', 'SYS_ADMIN'],
    ['sys_admin', 'SYS_ADMIN'],
    ['CAP_SYS_ADMIN', 'SYS_ADMIN'],
    ['cap_net_raw', 'NET_RAW'],
    [' NET_ADMIN ', 'NET_ADMIN'],
    ['ALL', 'ALL'],
  ])('%s → %s', (raw, name) => { expect(normalizeCapability(raw)).toBe(name); });
  it('recognises ALL in any case but not with a CAP_ prefix', () => {
    expect(isAllCapabilities('all')).toBe(true);
    expect(isAllCapabilities('All')).toBe(true);
    expect(isAllCapabilities('CAP_ALL')).toBe(false);
  });
});

describe('normalizeHostPath', () => {
  it.each([
    ['/', '/'],
    ['//', '/'],
    ['/etc/', '/etc'],
    ['//etc/./kubernetes//', '/etc/kubernetes'],
    ['/srv/../etc', '/etc'],
    ['/../..', '/'],
    ['/var/run/docker.sock', '/run/docker.sock'],
    ['/var/run', '/run'],
    ['/var/running', '/var/running'],
    ['C:\\Windows\\', 'c:\\windows'],
    ['c:/var/lib/kubelet', 'c:\\var\\lib\\kubelet'],
    ['\\\\.\\pipe\\docker_engine', '\\\\.\\pipe\\docker_engine'],
  ])('%s → %s', (raw, normal) => { expect(normalizeHostPath(raw)).toBe(normal); });
  it('tells Windows paths apart', () => {
    expect(isWindowsPath('C:\\data')).toBe(true);
    expect(isWindowsPath('\\\\.\\pipe\\x')).toBe(true);
    expect(isWindowsPath('/c:/data')).toBe(false);
  });
  it('compares folders by segment', () => {
    expect(isSameOrUnder('/var/log/pods', '/var/log')).toBe(true);
    expect(isSameOrUnder('/var/logs', '/var/log')).toBe(false);
    expect(isSameOrUnder('/anything', '/')).toBe(true);
  });
});

describe('normalizeSysctlName', () => {
  it.each([
    ['kernel.shm_rmid_forced', 'kernel.shm_rmid_forced'],
    ['kernel/shm_rmid_forced', 'kernel.shm_rmid_forced'],
    ['net/ipv4/conf/eno2.100/rp_filter', 'net.ipv4.conf.eno2/100.rp_filter'],
    ['net.ipv4.conf.eno2/100.rp_filter', 'net.ipv4.conf.eno2/100.rp_filter'],
    ['othersysctl', 'othersysctl'],
  ])('%s → %s', (raw, name) => { expect(normalizeSysctlName(raw)).toBe(name); });
});
