/**
 * The registry: every check of kspect, one explicit list per domain, sorted by id.
 * Nothing registers itself by side effect.
 */
import type { AnyCheck } from './framework/define.js';
import { workloadChecks } from './registry/workload.js';

export const allChecks: readonly AnyCheck[] = [...workloadChecks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function findCheck(id: string): AnyCheck | undefined {
  return allChecks.find((c) => c.id === id);
}
