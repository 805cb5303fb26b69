/** netpol-egress-unrestricted-token: pods holding an API token that may connect anywhere. */
import { egressUnrestricted, mountsServiceAccountToken } from '../../engines/netpol/analysis.js';
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { defineCheck } from '../../framework/define.js';

export const netpolEgressUnrestrictedToken = defineCheck({
  id: 'netpol-egress-unrestricted-token',
  meta: {
    title: 'Unrestricted egress from a pod that mounts a service-account token',
    description:
      'A pod with a mounted service-account token holds a credential for the Kubernetes API. When its egress is not restricted, whoever compromises it can use the token against the API server from the pod and send it, or anything it reads, to any host.',
    severity: 'medium',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: {
      unisolated: '{{kind}} {{namespace}}/{{name}} mounts a service-account token and no NetworkPolicy restricts its egress',
      allowAll: '{{kind}} {{namespace}}/{{name}} mounts a service-account token and NetworkPolicy {{policy}} allows it every destination on every port',
    },
    remediation: 'Restrict the workload\'s egress with a NetworkPolicy (DNS plus the destinations it needs), or set `automountServiceAccountToken: false` when it does not call the API.',
    references: { mitre: ['T1046', 'T1528'], nsa: ['Network separation and hardening: network policies'], urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(engine.endpoints.length);
        for (const e of engine.endpoints) {
          if (e.hostNetwork || !mountsServiceAccountToken(e.object, ctx.inventory)) continue;
          const u = egressUnrestricted(engine, e);
          if (!u.unrestricted) continue;
          const data = { kind: e.kind, namespace: e.namespace, name: e.name, policy: u.by ? `${u.by.namespace}/${u.by.name}` : '' };
          ctx.report({ messageId: u.by ? 'allowAll' : 'unisolated', data, object: e.object });
        }
      },
    };
  },
});
