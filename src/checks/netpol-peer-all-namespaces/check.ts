/** netpol-peer-all-namespaces: rules that admit pods of every namespace (`namespaceSelector: {}`). */
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { isEmptySelector } from '../../engines/netpol/selector.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

export const netpolPeerAllNamespaces = defineCheck({
  id: 'netpol-peer-all-namespaces',
  meta: {
    title: 'NetworkPolicy rule admits every namespace',
    description:
      'A peer with an empty namespaceSelector (`namespaceSelector: {}`) matches pods of every namespace of the cluster, present and future, including namespaces of other tenants. Combined with a podSelector it still trusts labels anyone who can create pods anywhere can set.',
    severity: 'medium',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: {
      ingress: 'NetworkPolicy {{namespace}}/{{name}} admits {{pods}} from every namespace',
      egress: 'NetworkPolicy {{namespace}}/{{name}} lets its pods reach {{pods}} in every namespace',
    },
    remediation: 'Name the namespaces the traffic comes from (or goes to), e.g. `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}`.',
    references: { nsa: ['Network separation and hardening: network policies'], mitre: ['T1046'], urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(engine.policies.length);
        for (const p of engine.policies)
          for (const rule of [...p.ingress, ...p.egress])
            for (const peer of rule.peers) {
              if (peer.type !== 'selector' || !peer.namespaceSelector || !isEmptySelector(peer.namespaceSelector)) continue;
              const pods = peer.podSelector && !isEmptySelector(peer.podSelector) ? `pods ${peer.podSelector.text}` : 'all pods';
              ctx.report({
                messageId: rule.direction === 'Ingress' ? 'ingress' : 'egress',
                data: { namespace: p.namespace, name: p.name, pods },
                object: p.object,
                path: joinPath(peer.path, 'namespaceSelector'),
                ...(rule.direction === 'Egress' ? { severity: 'low' as const } : {}),
              });
            }
      },
    };
  },
});
