/**
 * rbac-nodes-subresources: the kubelet's fine-grained subresources (nodes/pods, nodes/configz, …), which the kubelet
 * authorizes before nodes/proxy since Kubernetes 1.35.
 */
import { probeCheck } from '../rbac-probe-check.js';

export const rbacNodesSubresources = probeCheck({
  id: 'rbac-nodes-subresources',
  title: 'Can read pods or configuration from the kubelet API',
  what: 'read the pod specs (env values included) or the configuration of every node from the kubelet API (nodes/pods, nodes/configz)',
  description:
    'Since Kubernetes 1.35 the kubelet authorizes `/pods` and `/configz` against the subresources nodes/pods and nodes/configz first, and only then nodes/proxy. A subject that holds them reads, from each node, the full specs of the pods running there — literal environment values included — and the kubelet configuration, without the API server\'s per-namespace authorization or audit.',
  severity: { cluster: 'medium', namespace: 'medium' },
  probes: [
    { verbs: ['get', 'list'], group: '', resource: 'nodes/pods', clusterScoped: true },
    { verbs: ['get'], group: '', resource: 'nodes/configz', clusterScoped: true },
  ],
  sinceMinor: 35,
  remediation: 'Grant nodes/pods and nodes/configz only to node agents that need them; monitoring needs nodes/metrics and nodes/stats, which are not reported.',
  references: { mitre: ['T1613', 'T1552.007'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization'] },
});
