/** pod-host-port: container ports published on the node's own network interfaces. */
import { getArray, getBool, getNumber, getString, isObject } from '../../model/object.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podHostPort = defineCheck({
  id: 'pod-host-port',
  meta: {
    title: 'Host port published',
    description:
      'A `hostPort` publishes a container port on the node itself, outside Services and NetworkPolicies: anything that can reach the node can reach the container, the port is taken on every node the pod lands on, and a pod can squat a port other node services expect.',
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      hostPort: 'container "{{container}}" publishes port {{containerPort}}/{{protocol}} on host port {{hostPort}}{{hostIP}} of its node',
    },
    remediation: 'Remove `hostPort` and expose the workload through a Service (ClusterIP behind an Ingress or Gateway, or NodePort/LoadBalancer when it must be reachable from outside).',
    references: {
      pss: ['hostPorts'],
      cis: ['5.2.12'],
      nsa: ['Network separation and hardening'],
      mitre: ['T1133', 'T1611'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/overview/#services'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // With hostNetwork every container port is a host port already: pod-host-network reports that.
      if (!view || getBool(view.spec, 'hostNetwork') === true) return;
      for (const c of containersOf(view)) {
        getArray(c.container, 'ports').forEach((port, i) => {
          if (!isObject(port)) return;
          const hostPort = getNumber(port, 'hostPort');
          if (hostPort === undefined || hostPort === 0) return;
          const hostIP = getString(port, 'hostIP');
          ctx.report({
            messageId: 'hostPort',
            object: obj,
            container: c.name,
            path: joinPath(c.path, 'ports', i, 'hostPort'),
            data: {
              container: c.name,
              containerPort: getNumber(port, 'containerPort') ?? '?',
              protocol: getString(port, 'protocol') ?? 'TCP',
              hostPort,
              hostIP: hostIP !== undefined && hostIP !== '' && hostIP !== '0.0.0.0' ? ` (address ${hostIP})` : '',
            },
          });
        });
      }
    };
  },
});
