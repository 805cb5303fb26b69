/** netpol-peer-any-address: ipBlock peers of 0.0.0.0/0 or ::/0, and empty (allow-all) rules: every address there is. */
import { admitsEverything } from '../../engines/netpol/analysis.js';
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

export const netpolPeerAnyAddress = defineCheck({
  id: 'netpol-peer-any-address',
  meta: {
    title: 'NetworkPolicy rule admits any address',
    description:
      'An ipBlock of 0.0.0.0/0 (or ::/0) admits every address of the internet, and, depending on the network plugin, every pod and node of the cluster too. For ingress it exposes the pods to anything that can route to them; for egress it allows exfiltration to any host.',
    severity: 'medium',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: {
      ingress: 'NetworkPolicy {{namespace}}/{{name}} admits connections from any address ({{cidr}}{{except}})',
      egress: 'NetworkPolicy {{namespace}}/{{name}} lets its pods connect to any address ({{cidr}}{{except}})',
      ingressAll: 'NetworkPolicy {{namespace}}/{{name}} admits connections from any address and any pod on every port (rule {{rule}} is empty: `{}`)',
      egressAll: 'NetworkPolicy {{namespace}}/{{name}} lets its pods connect to any address and any pod on every port (rule {{rule}} is empty: `{}`)',
    },
    remediation: 'Name the address ranges that need access (a load balancer, a partner network, an API endpoint) instead of 0.0.0.0/0, and except private and link-local ranges where a wide block is really needed.',
    references: { nsa: ['Network separation and hardening: network policies'], mitre: ['T1046', 'T1190'], urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(engine.policies.length);
        for (const p of engine.policies)
          for (const rule of [...p.ingress, ...p.egress]) {
            if (admitsEverything(rule)) {
              // `ingress: [{}]` / `egress: [{}]`: every address (0.0.0.0/0 and ::/0) and every pod, on every port.
              ctx.report({
                messageId: rule.direction === 'Ingress' ? 'ingressAll' : 'egressAll',
                data: { namespace: p.namespace, name: p.name, rule: rule.path },
                object: p.object,
                path: rule.path,
                ...(rule.direction === 'Egress' ? { severity: 'low' as const } : {}),
              });
              continue;
            }
            for (const peer of rule.peers) {
              if (peer.type !== 'ipBlock' || peer.cidr.prefix !== 0) continue;
              ctx.report({
                messageId: rule.direction === 'Ingress' ? 'ingress' : 'egress',
                data: { namespace: p.namespace, name: p.name, cidr: peer.cidr.text, except: peer.except.length > 0 ? ` except ${peer.except.map((e) => e.text).join(', ')}` : '' },
                object: p.object,
                path: joinPath(peer.path, 'ipBlock', 'cidr'),
                ...(rule.direction === 'Egress' ? { severity: 'low' as const } : {}),
              });
            }
          }
      },
    };
  },
});
