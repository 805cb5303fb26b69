/** Workload checks beyond the Pod Security Standards. Sorted by id. */
import type { AnyCheck } from '../framework/define.js';
import { podPrivileged } from '../pod-privileged/check.js';

export const workloadChecks: readonly AnyCheck[] = [podPrivileged];
