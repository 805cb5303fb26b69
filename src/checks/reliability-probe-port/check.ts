/** reliability-probe-port: probes that name a container port the container does not declare. */
import { getArray, getObject, getString } from '../../model/object.js';
import { containersOf } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';
import { SERVING_KINDS } from '../reliability-probes-missing/check.js';

export const reliabilityProbePort = defineCheck({
  id: 'reliability-probe-port',
  meta: {
    title: 'Probe names an undeclared port',
    description:
      'A probe whose `port` is a name resolves against the container\'s declared ports. A name the container does not declare never resolves: the probe fails every time, so the container is never ready (readiness, startup) or is restarted forever (liveness).',
    severity: 'medium',
    category: 'reliability',
    kinds: [...SERVING_KINDS, 'Pod', 'Job', 'CronJob'],
    messages: { undeclared: 'container "{{container}}" {{probe}} uses port "{{port}}", which the container does not declare: the probe always fails' },
    remediation: 'Declare the named port in `ports` (with `name:`), or use the port number.',
    references: { urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        const names = new Set(getArray(c.container, 'ports').map((p) => getString(p, 'name')).filter((n): n is string => n !== undefined));
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
          const p = getObject(c.container, probe);
          for (const handler of ['httpGet', 'tcpSocket'] as const) {
            const port = getString(getObject(p, handler), 'port');
            if (port === undefined || /^\d+$/.test(port) || names.has(port)) continue;
            ctx.report({ messageId: 'undeclared', object: obj, container: c.name, path: `${c.path}.${probe}.${handler}.port`, data: { container: c.name, probe, port } });
          }
        }
      }
    };
  },
});
