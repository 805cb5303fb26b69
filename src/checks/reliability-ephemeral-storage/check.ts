/** reliability-ephemeral-storage: containers without an ephemeral-storage limit can fill the node's disk. */
import { getObject } from '../../model/object.js';
import { containersOf } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';
import { SERVING_KINDS } from '../reliability-probes-missing/check.js';

export const reliabilityEphemeralStorage = defineCheck({
  id: 'reliability-ephemeral-storage',
  meta: {
    title: 'Container without an ephemeral-storage limit',
    description:
      'Container logs, the writable layer and emptyDir volumes live on the node\'s disk. A container without an ephemeral-storage limit can fill it, and the kubelet then evicts pods of the node by disk pressure — its neighbours included.',
    severity: 'low',
    category: 'reliability',
    reads: ['LimitRange'],
    kinds: [...SERVING_KINDS, 'Job', 'CronJob', 'Pod'],
    messages: { missing: 'container "{{container}}" sets no ephemeral-storage {{what}}' },
    remediation: 'Set `resources.requests.ephemeral-storage` and `resources.limits.ephemeral-storage`, or give the namespace a LimitRange with defaults.',
    references: { urls: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      const ns = obj.metadata.namespace ?? 'default';
      // A LimitRange of the namespace that defaults the limit covers every container.
      const defaulted = ctx.inventory.ofKind('LimitRange').some((l) => (l.metadata.namespace ?? 'default') === ns && JSON.stringify(getObject(l.raw, 'spec') ?? {}).includes('"ephemeral-storage"'));
      if (defaulted) return;
      for (const c of containersOf(view)) {
        if (c.kind === 'ephemeralContainers') continue;
        const res = getObject(c.container, 'resources');
        const limit = getObject(res, 'limits')?.['ephemeral-storage'];
        const request = getObject(res, 'requests')?.['ephemeral-storage'];
        if (limit !== undefined) continue;
        ctx.report({ messageId: 'missing', object: obj, container: c.name, path: `${c.path}.resources.limits`, data: { container: c.name, what: request !== undefined ? 'limit (only a request)' : 'request or limit' } });
      }
    };
  },
});
