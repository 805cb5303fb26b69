/** netpol-ingress-unisolated: workloads that any pod of the cluster can connect to. */
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { defineCheck } from '../../framework/define.js';

export const netpolIngressUnisolated = defineCheck({
  id: 'netpol-ingress-unisolated',
  meta: {
    title: 'Workload not isolated for ingress',
    description:
      'A pod that no NetworkPolicy selects for ingress accepts connections from every pod of every namespace, and from outside the cluster wherever routing allows. One compromised pod anywhere can then reach it.',
    severity: 'medium',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: { unisolated: '{{kind}} {{namespace}}/{{name}} is selected by no ingress NetworkPolicy: every pod of the cluster can connect to it' },
    remediation: 'Select the workload with a NetworkPolicy of type Ingress (a namespace default-deny does it for every pod) and allow only the sources it serves.',
    references: { cis: ['5.3.2'], nsa: ['Network separation and hardening: network policies'], mitre: ['T1046'], urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(engine.endpoints.length);
        for (const o of engine.foreign)
          ctx.notEvaluated({ reason: 'unsupported', object: o, message: `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name} is not evaluated: isolation is judged from networking.k8s.io/v1 NetworkPolicies only` });
        for (const e of engine.endpoints) {
          if (engine.selecting(e).ingress.length > 0) continue;
          if (e.hostNetwork) {
            ctx.notEvaluated({ reason: 'unsupported', object: e.object, message: `${e.kind} ${e.namespace}/${e.name} uses hostNetwork: whether NetworkPolicies apply to it is up to the network plugin` });
            continue;
          }
          ctx.report({ messageId: 'unisolated', data: { kind: e.kind, namespace: e.namespace, name: e.name }, object: e.object });
        }
      },
    };
  },
});
