/** netpol-egress-metadata: egress rules that let pods reach the cloud metadata endpoint. */
import { admitsEverything, egressRuleAdmitsAddress } from '../../engines/netpol/analysis.js';
import { netpolEngineFactory, type NetworkPolicy } from '../../engines/netpol/index.js';
import { defineCheck } from '../../framework/define.js';

/** Instance metadata services: AWS, GCP, Azure, OpenStack… on IPv4, and AWS on IPv6. They serve on TCP 80. */
const METADATA = ['169.254.169.254', 'fd00:ec2::254'];

export const netpolEgressMetadata = defineCheck({
  id: 'netpol-egress-metadata',
  meta: {
    title: 'Egress rule allows the cloud metadata endpoint',
    description:
      'The instance metadata service (169.254.169.254) hands out the node\'s cloud credentials to anyone who asks from the node\'s network. An egress rule that admits it (no destination restriction, or an ipBlock containing it without an except) lets any selected pod steal those credentials.',
    severity: 'high',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: {
      open: 'NetworkPolicy {{namespace}}/{{name}} egress rule {{rule}} lets its pods reach the cloud metadata endpoint {{address}} on TCP/80',
      allowAll:
        'NetworkPolicy {{namespace}}/{{name}}{{others}} allow{{s}} all egress (an empty rule `{}`), the cloud metadata endpoint 169.254.169.254 included — no narrower than having no egress policy',
    },
    remediation: 'Restrict the rule\'s destinations, or add `except: [169.254.169.254/32]` (or 169.254.0.0/16) to the ipBlock that contains it.',
    references: { mitre: ['T1046', 'T1552'], nsa: ['Network separation and hardening: network policies'], urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(engine.endpoints.length + engine.policies.length);
        // Policies that allow all egress say nothing about the metadata endpoint in particular: one finding per
        // namespace, as low as having no egress policy, instead of one high finding per policy of an install.
        const allowAll = new Map<string, { policy: NetworkPolicy; rule: string }[]>();
        for (const p of engine.policies) {
          if (!p.types.has('Egress')) continue;
          const open = p.egress.find(admitsEverything);
          if (open) {
            const list = allowAll.get(p.namespace) ?? [];
            list.push({ policy: p, rule: open.path });
            allowAll.set(p.namespace, list);
            continue;
          }
          for (const rule of p.egress) {
            const address = METADATA.find((a) => egressRuleAdmitsAddress(rule, a, 80));
            if (address === undefined) continue;
            ctx.report({ messageId: 'open', data: { namespace: p.namespace, name: p.name, rule: rule.path, address }, object: p.object, path: rule.path });
          }
        }
        for (const [namespace, list] of allowAll) {
          const sorted = [...list].sort((a, b) => (a.policy.name < b.policy.name ? -1 : a.policy.name > b.policy.name ? 1 : 0));
          const first = sorted[0];
          if (!first) continue;
          const rest = sorted.slice(1).map((x) => x.policy.name);
          const others = rest.length === 0 ? '' : rest.length <= 3 ? ` and ${rest.join(', ')}` : ` and ${rest.length} other policies of the namespace (${rest.slice(0, 3).join(', ')}, …)`;
          ctx.report({ messageId: 'allowAll', data: { namespace, name: first.policy.name, others, s: rest.length === 0 ? 's' : '' }, object: first.policy.object, path: first.rule, severity: 'low' });
        }
      },
    };
  },
});
