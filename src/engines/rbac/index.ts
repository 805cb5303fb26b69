/**
 * The RBAC engine: Kubernetes' RBAC authorizer, aggregation, escalation prevention, dangerous
 * permissions and escalation paths — pure, built once per run from the inventory.
 */
import type { EngineFactory } from '../../framework/define.js';
import { buildRbacIndex, type RbacIndex } from './authorizer.js';

export * from './authorizer.js';
export * from './rules.js';
export * from './subjects.js';
export * from './dangers.js';
export * from './paths.js';
export { ProbeSet, type RoleGrants, type RuleGrant } from './probes.js';
export * from './requests.js';
export { selectorMatches, type BindingRecord, type RoleRecord, type SubjectRecord, type LabelSelector } from './objects.js';

/**
 * The index used by `kspect scan`'s rbac checks. Default ClusterRoles that the input references but
 * does not contain (`edit`, `view`, `admin`, `cluster-admin`, `system:…`) are taken from the Kubernetes
 * bootstrap policy, since every cluster has them.
 */
export const rbacEngine: EngineFactory<RbacIndex> = {
  id: 'rbac',
  reads: ['*'],
  build: (inventory, settings) => buildRbacIndex(inventory.objects, { defaults: 'roles', ...(settings.k8sVersion !== undefined ? { k8sVersion: settings.k8sVersion } : {}) }),
};
