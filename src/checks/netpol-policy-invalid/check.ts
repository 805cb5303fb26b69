/** netpol-policy-invalid: NetworkPolicies the API server would reject. */
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { defineCheck } from '../../framework/define.js';

export const netpolPolicyInvalid = defineCheck({
  id: 'netpol-policy-invalid',
  meta: {
    title: 'Invalid NetworkPolicy',
    description:
      'The API server rejects a NetworkPolicy with an empty peer, an ipBlock mixed with selectors, an except outside its cidr, an endPort below its port, a named port with an endPort, an unknown protocol or a malformed selector. Applying the manifest fails, so the isolation it was meant to give never exists. kspect leaves such policies out of reachability.',
    severity: 'high',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: { invalid: 'NetworkPolicy {{namespace}}/{{name}} is invalid: {{message}}' },
    remediation: 'Fix the field the message names; `kubectl apply --dry-run=server` shows the API server\'s verdict.',
    references: { urls: ['https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(ctx.inventory.ofKind('NetworkPolicy').length);
        for (const i of engine.issues) {
          ctx.report({ messageId: 'invalid', data: { namespace: i.object.metadata.namespace ?? 'default', name: i.object.metadata.name, message: i.message }, object: i.object, path: i.path });
        }
      },
    };
  },
});
