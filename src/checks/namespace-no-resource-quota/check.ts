/** namespace-no-resource-quota: Namespaces in the input with no ResourceQuota in the input. */
import { getObject } from '../../model/object.js';
import { SYSTEM_NAMESPACES } from '../../model/namespaces.js';
import { defineCheck } from '../../framework/define.js';

export const namespaceNoResourceQuota = defineCheck({
  id: 'namespace-no-resource-quota',
  meta: {
    title: 'Namespace without a ResourceQuota',
    description:
      'A ResourceQuota caps what one namespace may consume in total — CPU, memory, storage, number of pods, Services, LoadBalancers, Secrets. Without one, a single team, a runaway controller or an attacker with create rights in the namespace can exhaust the cluster for everyone.',
    severity: 'low',
    category: 'namespace',
    reads: ['ResourceQuota', 'Namespace'],
    kinds: [],
    messages: { missing: 'namespace "{{namespace}}" has no ResourceQuota in the input' },
    remediation: 'Add a ResourceQuota to the namespace with `spec.hard` limits for requests/limits of cpu and memory, pods and other object counts.',
    references: {
      nsa: ['Pod security: resource policies (LimitRange, ResourceQuota)'],
      mitre: ['T1499'],
      urls: ['https://kubernetes.io/docs/concepts/policy/resource-quotas/'],
    },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const covered = new Set<string>();
        for (const q of ctx.inventory.ofKind('ResourceQuota')) {
          const hard = getObject(getObject(q.raw, 'spec'), 'hard');
          if (q.metadata.namespace !== undefined && hard && Object.keys(hard).length > 0) covered.add(q.metadata.namespace);
        }
        for (const [name, ns] of ctx.inventory.namespaces) {
          if (SYSTEM_NAMESPACES.has(name)) continue;
          ctx.judged();
          if (covered.has(name)) continue;
          ctx.report({ messageId: 'missing', data: { namespace: name }, object: ns, path: 'metadata.name' });
        }
      },
    };
  },
});
