/** pod-host-network: pods that use the host's network namespace. */
import { getBool } from '../../model/object.js';
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podHostNetwork = defineCheck({
  id: 'pod-host-network',
  meta: {
    title: 'Host network namespace shared',
    description:
      "With `hostNetwork: true` the pod uses the node's network stack: it can bind any node port, reach services listening on the node's loopback (kubelet read-only port, etcd, node-local agents and metadata endpoints), sniff traffic of the node's interfaces with NET_RAW, and NetworkPolicies no longer isolate it.",
    severity: 'high',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: { hostNetwork: "pod uses the host network namespace (hostNetwork: true): it reaches the node's loopback services and bypasses NetworkPolicies" },
    remediation: 'Remove `hostNetwork: true`; expose the workload through a Service. Network plugins and node agents that need it belong in a separately controlled namespace with an exemption.',
    references: {
      pss: ['hostNamespaces'],
      cis: ['5.2.5'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (view && getBool(view.spec, 'hostNetwork') === true) {
        ctx.report({ messageId: 'hostNetwork', object: obj, path: joinPath(view.path, 'hostNetwork') });
      }
    };
  },
});
