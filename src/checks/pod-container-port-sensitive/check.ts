/**
 * pod-container-port-sensitive: containers that declare a privileged port (below 1024, which needs root or
 * NET_BIND_SERVICE to bind) or the SSH port (a remote shell into the pod).
 */
import { getArray, getNumber, getString } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

const SSH_PORT = 22;

export const podContainerPortSensitive = defineCheck({
  id: 'pod-container-port-sensitive',
  meta: {
    title: 'Container port is SSH or privileged',
    description:
      'A container that listens on the SSH port runs a remote shell: a second way in beside the API, with its own credentials, outside Kubernetes\' authentication and audit. A container port below 1024 needs root or the NET_BIND_SERVICE capability to bind, so the image cannot run as the unprivileged user the restricted profile asks for.',
    severity: 'low',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      ssh: 'container "{{container}}" exposes the SSH port {{port}}/{{protocol}}: a remote shell beside the Kubernetes API',
      privileged: 'container "{{container}}" listens on privileged port {{port}}/{{protocol}} (below 1024: needs root or NET_BIND_SERVICE)',
    },
    remediation: 'Do not run SSH servers in containers: use `kubectl exec` or ephemeral debug containers, which the API authorizes and audits. Listen on ports of 1024 and above (a Service can still publish port 80 or 443).',
    references: {
      mitre: ['T1133'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      for (const c of containersOf(view))
        getArray(c.container, 'ports').forEach((p, i) => {
          const port = getNumber(p, 'containerPort');
          if (port === undefined || !Number.isInteger(port) || port < 1) return;
          const protocol = getString(p, 'protocol') ?? 'TCP';
          const path = joinPath(c.path, 'ports', i, 'containerPort');
          if (port === SSH_PORT && protocol === 'TCP') ctx.report({ messageId: 'ssh', object: obj, container: c.name, path, severity: 'medium', data: { container: c.name, port, protocol } });
          else if (port < 1024) ctx.report({ messageId: 'privileged', object: obj, container: c.name, path, data: { container: c.name, port, protocol } });
        });
    };
  },
});
