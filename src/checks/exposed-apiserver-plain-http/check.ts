/** exposed-apiserver-plain-http: the Kubernetes API answers over plain HTTP (a kubectl proxy, or the removed insecure port). */
import { accessTo, evidenceOf } from '../../engines/probe/access.js';
import { API_READS } from '../../engines/probe/catalog.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint } from '../../engines/probe/objects.js';
import { defineCheck } from '../../framework/define.js';

export const exposedApiserverPlainHttp = defineCheck({
  id: 'exposed-apiserver-plain-http',
  meta: {
    title: 'Kubernetes API answers over plain HTTP',
    description:
      "The Kubernetes API answered over plain HTTP. Since 1.20 kube-apiserver has no insecure port, so this is a `kubectl proxy` (default port 8001) left listening — it forwards every request with the credentials of whoever started it, usually a cluster admin — or an old API server's insecure port (8080), which bypasses authentication and authorization. Either way anyone who reaches it acts with those rights, and nothing is encrypted.",
    severity: 'critical',
    category: 'exposure',
    kinds: [PROBED_ENDPOINT],
    messages: {
      open: '{{endpoint}} serves the Kubernetes API over plain HTTP ({{what}}){{reads}}',
    },
    remediation:
      'Stop the kubectl proxy (or bind it to 127.0.0.1 with the default --accept-hosts and close the port), and on clusters older than 1.20 set --insecure-port=0. Reach the API over TLS with per-user credentials.',
    references: { cis: ['1.2.19'], mitre: ['T1133', 'T1609', 'T1552.007'], urls: ['https://kubernetes.io/docs/reference/kubectl/generated/kubectl_proxy/'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service !== 'apiserver-http') return;
      const reads = API_READS.flatMap((r) => {
        const a = accessTo(v, r.path, ['k8s-list']);
        return a.verdict === 'readable' ? [{ resource: r.resource, answer: a.answer }] : [];
      });
      const version = accessTo(v, '/version', ['k8s-version']);
      const what = v.port === 8001 ? 'the kubectl proxy port' : v.port === 8080 ? 'the insecure port removed in 1.20, or a kubectl proxy' : 'a kubectl proxy or an insecure port';
      const evidence = [...(version.verdict === 'readable' ? [version.answer] : []), ...reads.map((r) => r.answer)].map(evidenceOf).join('; ');
      ctx.report({
        messageId: 'open',
        data: { endpoint: v.endpoint, what, reads: reads.length > 0 ? `; anyone can list ${reads.map((r) => r.resource).join(', ')}` : '' },
        object: obj,
        resource: probedRef(v),
        source: probedSource(v),
        path: reads[0]?.answer.path ?? '/version',
        severity: reads.length > 0 ? 'critical' : 'high',
        ...(evidence !== '' ? { evidence } : {}),
      });
    };
  },
});
