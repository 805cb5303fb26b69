/** netpol-named-port-undeclared: named ports in rules that no pod the rule applies to declares. */
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import type { Endpoint } from '../../engines/netpol/endpoints.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

export const netpolNamedPortUndeclared = defineCheck({
  id: 'netpol-named-port-undeclared',
  meta: {
    title: 'NetworkPolicy names a port no pod declares',
    description:
      'A named port in a NetworkPolicy resolves against the container ports of the destination pod, with the same protocol. When no pod the rule applies to declares that name, the port matches nothing and the rule allows nothing: the flow it was written for is silently blocked.',
    severity: 'medium',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: {
      ingress: 'NetworkPolicy {{namespace}}/{{name}}: no pod it selects declares a {{protocol}} container port named "{{port}}"',
      egress: 'NetworkPolicy {{namespace}}/{{name}}: no destination pod of rule {{rule}} declares a {{protocol}} container port named "{{port}}"',
      external: 'NetworkPolicy {{namespace}}/{{name}}: rule {{rule}} only admits ipBlocks, where the named port "{{port}}" never matches',
    },
    remediation: 'Use the name the container declares in `ports[].name` (with the same protocol), or the port number.',
    references: { urls: ['https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/#NetworkPolicySpec'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(engine.policies.length);
        const declares = (eps: readonly Endpoint[], name: string, protocol: string): boolean => eps.some((e) => (e.namedPorts.get(`${name}/${protocol}`) ?? []).length > 0);
        for (const p of engine.policies) {
          const selected = engine.selectedBy(p);
          for (const rule of [...p.ingress, ...p.egress]) {
            rule.ports.forEach((port, k) => {
              if (typeof port.port !== 'string') return;
              const data = { namespace: p.namespace, name: p.name, port: port.port, protocol: port.protocol, rule: rule.path };
              const path = joinPath(rule.path, 'ports', k, 'port');
              if (rule.direction === 'Ingress') {
                // A policy that selects nothing is netpol-policy-selects-nothing's finding.
                if (selected.length > 0 && !declares(selected, port.port, port.protocol)) ctx.report({ messageId: 'ingress', data, object: p.object, path });
                return;
              }
              if (rule.peers.length > 0 && rule.peers.every((x) => x.type === 'ipBlock')) {
                ctx.report({ messageId: 'external', data, object: p.object, path });
                return;
              }
              const targets = rule.peers.length === 0 ? engine.endpoints : rule.peers.flatMap((_, i) => engine.matchedByPeer(rule, i).map((m) => m.endpoint));
              if (targets.length > 0 && !declares(targets, port.port, port.protocol)) ctx.report({ messageId: 'egress', data, object: p.object, path });
            });
          }
        }
      },
    };
  },
});
