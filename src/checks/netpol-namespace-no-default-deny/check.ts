/** netpol-namespace-no-default-deny: namespaces whose pods are not isolated for ingress by default. */
import { defaultDenyPolicies } from '../../engines/netpol/analysis.js';
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { defineCheck } from '../../framework/define.js';
import { reportPerNamespace } from './shared.js';

export const netpolNamespaceNoDefaultDeny = defineCheck({
  id: 'netpol-namespace-no-default-deny',
  meta: {
    title: 'Namespace without a default-deny ingress policy',
    description:
      'By default every pod accepts connections from every other pod of the cluster. A namespace becomes safe by default only when a NetworkPolicy with an empty podSelector isolates all of its pods for ingress; then each allowed flow must be written down, and a new workload starts closed instead of open.',
    severity: 'medium',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: { missing: 'namespace {{namespace}} runs {{workloads}} but has no default-deny ingress NetworkPolicy (podSelector: {} with policyTypes Ingress)' },
    remediation: 'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` (no ingress rules) to the namespace, then allow the flows each workload needs.',
    references: { cis: ['5.3.2'], nsa: ['Network separation and hardening: network policies'], mitre: ['T1046'], urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        reportPerNamespace(ctx, engine, (ns) => defaultDenyPolicies(engine, ns, 'Ingress').length === 0, 'missing');
      },
    };
  },
});
