/** exposed-kubelet-api: the kubelet API (10250) serves anonymous requests. */
import { accessTo, evidenceOf } from '../../engines/probe/access.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint } from '../../engines/probe/objects.js';
import { defineCheck } from '../../framework/define.js';

export const exposedKubeletApi = defineCheck({
  id: 'exposed-kubelet-api',
  meta: {
    title: 'kubelet API answers anonymous requests',
    description:
      'The kubelet served a request without credentials: anonymous authentication is on and authorization allows it (authorization.mode AlwaysAllow, or RBAC granting nodes/proxy to system:anonymous). A readable /pods means the whole API is open — exec, attach, run and port-forward into every container on the node. A readable /configz or /metrics discloses the node configuration and its workloads.',
    severity: 'critical',
    category: 'exposure',
    kinds: [PROBED_ENDPOINT],
    messages: {
      pods: '{{endpoint}}: the kubelet lists its pods to anonymous clients, so exec, attach and run into every container on the node are open too',
      info: '{{endpoint}}: the kubelet serves {{path}} to anonymous clients',
    },
    remediation:
      'In the kubelet configuration set authentication.anonymous.enabled: false, authentication.webhook.enabled: true and authorization.mode: Webhook (--anonymous-auth=false --authorization-mode=Webhook), and do not grant nodes/proxy, nodes/metrics or nodes/configz to system:anonymous or system:unauthenticated.',
    references: { cis: ['4.2.1', '4.2.2'], mitre: ['T1609', 'T1613', 'T1552.007'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service !== 'kubelet') return;
      const base = { object: obj, resource: probedRef(v), source: probedSource(v) };
      const pods = accessTo(v, '/pods', ['k8s-list']);
      if (pods.verdict === 'readable') ctx.report({ ...base, messageId: 'pods', data: { endpoint: v.endpoint }, path: '/pods', evidence: evidenceOf(pods.answer) });
      for (const [path, shapes] of [['/configz', ['configz', 'json']], ['/metrics', ['metrics']]] as const) {
        const a = accessTo(v, path, shapes);
        if (a.verdict === 'readable') ctx.report({ ...base, messageId: 'info', data: { endpoint: v.endpoint, path }, path, severity: 'medium', evidence: evidenceOf(a.answer) });
      }
    };
  },
});
