import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cpuQuotaCap, usableCpus } from './cpus.js';

describe('usableCpus', () => {
  it('is the affinity count capped by this machine’s cgroup v2 CPU quota, at least 1', () => {
    let quota: string | undefined;
    try {
      quota = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
    } catch {
      quota = undefined;
    }
    const cpus = usableCpus();
    expect(cpus).toBe(cpuQuotaCap(quota, availableParallelism()));
    expect(cpus).toBeGreaterThanOrEqual(1);
    expect(cpus).toBeLessThanOrEqual(availableParallelism());
    expect(usableCpus()).toBe(cpus);
  });

  it('caps by the quota, rounding up, and ignores what it cannot read', () => {
    expect(cpuQuotaCap('250000 100000', 16)).toBe(3);
    expect(cpuQuotaCap('max', 16)).toBe(16);
    expect(cpuQuotaCap('0 100000', 16)).toBe(16);
    expect(cpuQuotaCap('', 0)).toBe(1);
  });
});
