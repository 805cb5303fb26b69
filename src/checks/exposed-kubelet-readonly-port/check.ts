/** exposed-kubelet-readonly-port: the kubelet's unauthenticated read-only port (10255) answers. */
import { accessTo, evidenceOf } from '../../engines/probe/access.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint } from '../../engines/probe/objects.js';
import { defineCheck } from '../../framework/define.js';

export const exposedKubeletReadonlyPort = defineCheck({
  id: 'exposed-kubelet-readonly-port',
  meta: {
    title: 'kubelet read-only port is open',
    description:
      "The kubelet's read-only port (readOnlyPort, 10255 by convention) answers over plain HTTP with no authentication at all: every pod spec on the node — environment variables, often with credentials, images, volumes, service accounts — and node metrics, to anyone who reaches it.",
    severity: 'high',
    category: 'exposure',
    kinds: [PROBED_ENDPOINT],
    messages: { open: '{{endpoint}}: the kubelet read-only port serves {{what}} without authentication' },
    remediation: 'Set readOnlyPort: 0 in the kubelet configuration (--read-only-port=0), the default since Kubernetes 1.10 in the config file.',
    references: { cis: ['4.2.4'], mitre: ['T1613', 'T1552.007'], urls: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service !== 'kubelet-readonly') return;
      const pods = accessTo(v, '/pods', ['k8s-list']);
      const healthz = accessTo(v, '/healthz', ['healthz-ok']);
      const metrics = accessTo(v, '/metrics', ['metrics']);
      const readable = [pods, metrics, healthz].flatMap((a) => (a.verdict === 'readable' ? [a.answer] : []));
      const first = readable[0];
      if (!first) return;
      ctx.report({
        messageId: 'open',
        data: { endpoint: v.endpoint, what: pods.verdict === 'readable' ? 'the pod specs of the node' : readable.map((a) => a.path).join(', ') },
        object: obj,
        resource: probedRef(v),
        source: probedSource(v),
        path: first.path,
        evidence: readable.map(evidenceOf).join('; '),
      });
    };
  },
});
