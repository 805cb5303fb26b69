/** namespace-no-limit-range: Namespaces in the input with no LimitRange in the input. */
import { getArray, getObject } from '../../model/object.js';
import { SYSTEM_NAMESPACES } from '../../model/namespaces.js';
import { defineCheck } from '../../framework/define.js';

export const namespaceNoLimitRange = defineCheck({
  id: 'namespace-no-limit-range',
  meta: {
    title: 'Namespace without a LimitRange',
    description:
      'A LimitRange gives every container of a namespace default requests and limits and bounds what one container may ask for. Without one, every container that forgets its resources runs unbounded, and a ResourceQuota on cpu or memory rejects such pods outright.',
    severity: 'low',
    category: 'namespace',
    reads: ['LimitRange', 'Namespace'],
    kinds: [],
    messages: { missing: 'namespace "{{namespace}}" has no LimitRange in the input' },
    remediation: 'Add a LimitRange with a `type: Container` item giving `default` and `defaultRequest` for cpu and memory (and `max` to cap them).',
    references: {
      nsa: ['Pod security: resource policies (LimitRange, ResourceQuota)'],
      mitre: ['T1499'],
      urls: ['https://kubernetes.io/docs/concepts/policy/limit-range/'],
    },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const covered = new Set<string>();
        for (const lr of ctx.inventory.ofKind('LimitRange')) {
          if (lr.metadata.namespace !== undefined && getArray(getObject(lr.raw, 'spec'), 'limits').length > 0) covered.add(lr.metadata.namespace);
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
