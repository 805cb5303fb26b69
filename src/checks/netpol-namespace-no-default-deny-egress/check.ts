/** netpol-namespace-no-default-deny-egress: namespaces whose pods may connect anywhere by default. */
import { defaultDenyPolicies } from '../../engines/netpol/analysis.js';
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { defineCheck } from '../../framework/define.js';
import { reportPerNamespace } from '../netpol-namespace-no-default-deny/shared.js';

export const netpolNamespaceNoDefaultDenyEgress = defineCheck({
  id: 'netpol-namespace-no-default-deny-egress',
  meta: {
    title: 'Namespace without a default-deny egress policy',
    description:
      'Without egress isolation a compromised pod can connect to every service of the cluster, to the cloud metadata endpoint and to the internet, to move laterally or to exfiltrate data. A NetworkPolicy with an empty podSelector and policyTypes Egress makes the namespace closed by default in that direction.',
    severity: 'low',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: { missing: 'namespace {{namespace}} runs {{workloads}} but has no default-deny egress NetworkPolicy (podSelector: {} with policyTypes Egress)' },
    remediation: 'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Egress]`, allowing DNS to kube-dns and the destinations each workload needs.',
    references: { nsa: ['Network separation and hardening: network policies'], mitre: ['T1046', 'T1552'], urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        reportPerNamespace(ctx, engine, (ns) => defaultDenyPolicies(engine, ns, 'Egress').length === 0, 'missing');
      },
    };
  },
});
