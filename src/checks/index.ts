/**
 * The registry: every check of kspect, one explicit list per domain (registry/*.ts), sorted by id.
 * Nothing registers itself by side effect.
 */
import type { AnyCheck } from '../framework/define.js';
import { auditChecks } from './registry/audit.js';
import { clusterChecks } from './registry/cluster.js';
import { imageChecks } from './registry/images.js';
import { networkChecks } from './registry/network.js';
import { nodeChecks } from './registry/node.js';
import { pkiChecks } from './registry/pki.js';
import { probeChecks } from './registry/probe.js';
import { pssChecks } from './registry/pss.js';
import { rbacChecks } from './registry/rbac.js';
import { reliabilityChecks } from './registry/reliability.js';
import { workloadChecks } from './registry/workload.js';

export const allChecks: readonly AnyCheck[] = [...workloadChecks, ...pssChecks, ...rbacChecks, ...networkChecks, ...nodeChecks, ...pkiChecks, ...clusterChecks, ...probeChecks, ...imageChecks, ...auditChecks, ...reliabilityChecks].sort((a, b) =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);

export function findCheck(id: string): AnyCheck | undefined {
  return allChecks.find((c) => c.id === id);
}
