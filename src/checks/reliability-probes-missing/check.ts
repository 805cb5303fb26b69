/** reliability-probes-missing: long-running containers without a readiness or liveness probe. */
import { getObject } from '../../model/object.js';
import { containersOf } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

/** Kinds whose pods serve (Jobs and bare Pods run to completion or are one-offs). */
export const SERVING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];

export const reliabilityProbesMissing = defineCheck({
  id: 'reliability-probes-missing',
  meta: {
    title: 'Container without readiness or liveness probe',
    description:
      'Without a readiness probe a container receives Service traffic as soon as it starts, before it can answer, and keeps receiving it when it stops answering. Without a liveness probe a hung process is never restarted. Both make rollouts and failures visible to users.',
    severity: 'low',
    category: 'reliability',
    kinds: SERVING_KINDS,
    messages: { missing: 'container "{{container}}" has no {{probe}}' },
    remediation: 'Add a `readinessProbe` that checks the container can serve, and a `livenessProbe` that detects a hung process (not the same endpoint as readiness, and not one that depends on other services).',
    references: { urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        if (c.kind !== 'containers') continue;
        for (const probe of ['readinessProbe', 'livenessProbe'] as const)
          if (getObject(c.container, probe) === undefined) ctx.report({ messageId: 'missing', object: obj, container: c.name, path: `${c.path}.${probe}`, data: { container: c.name, probe } });
      }
    };
  },
});
