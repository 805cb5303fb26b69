/**
 * How many CPUs this process may use: the affinity count (`os.availableParallelism()`), capped by a cgroup v2 CPU
 * quota (`/sys/fs/cgroup/cpu.max`, a container's CPU limit). Node 20 does not read the quota, so a Pod limited to one
 * CPU on a 64-core node would otherwise start 64 threads or processes. Read once per process.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

let cached: number | undefined;

/** The CPUs this process may use (at least 1). */
export function usableCpus(): number {
  if (cached !== undefined) return cached;
  let text: string | undefined;
  try {
    text = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
  } catch {
    // No cgroup v2 quota to read.
  }
  return (cached = cpuQuotaCap(text, availableParallelism()));
}

/** `cpu.max` ("max 100000" or "150000 100000": quota and period in µs) capping `cpus`; at least 1. */
export function cpuQuotaCap(cpuMax: string | undefined, cpus: number): number {
  const [quota, period = '100000'] = (cpuMax ?? '').trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period);
  if (quota === undefined || quota === 'max' || !(q > 0) || !(p > 0)) return Math.max(1, cpus);
  return Math.max(1, Math.min(cpus, Math.ceil(q / p)));
}
