/** netpol-policy-selects-nothing: NetworkPolicies whose podSelector matches no pod of the input. */
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { defineCheck } from '../../framework/define.js';
import { operatorPodsMaybeSelected } from './operator-pods.js';

export const netpolPolicySelectsNothing = defineCheck({
  id: 'netpol-policy-selects-nothing',
  meta: {
    title: 'NetworkPolicy selects no pod',
    description:
      'A NetworkPolicy whose podSelector matches no pod of its namespace protects nothing. It is usually a label typo or a policy left behind by a renamed workload, and the workload it was meant for stays open.',
    severity: 'low',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: { nothing: 'NetworkPolicy {{namespace}}/{{name}} selects no Pod or workload of namespace {{namespace}} in the input (podSelector {{selector}})' },
    remediation: 'Fix the podSelector to match the labels of the pod template it is meant for, or delete the policy.',
    references: { urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(engine.policies.length);
        for (const p of engine.policies) {
          if (engine.selectedBy(p).length > 0) continue;
          const made = operatorPodsMaybeSelected(ctx.inventory, p.podSelector, [p.namespace]);
          if (made.length > 0) {
            ctx.notEvaluated({
              reason: 'missing-input',
              object: p.object,
              message: `NetworkPolicy ${p.namespace}/${p.name} selects no pod of the input, but may select the pods a controller makes from ${made.map((m) => m.display).join(', ')}, which the input does not hold`,
            });
            continue;
          }
          ctx.report({ messageId: 'nothing', data: { namespace: p.namespace, name: p.name, selector: p.podSelector.text }, object: p.object, path: 'spec.podSelector' });
        }
      },
    };
  },
});
