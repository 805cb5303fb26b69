/**
 * rbac-nodes-subresources: the kubelet's fine-grained subresources (nodes/pods, nodes/configz, …), which the kubelet
 * authorizes before nodes/proxy since Kubernetes 1.35.
 */
import { dangerCheck } from '../rbac-danger.js';

// What it probes, its title and severities are its entry in the RBAC engine's danger catalogue (engines/rbac/dangers.ts).
export const rbacNodesSubresources = dangerCheck('rbac-nodes-subresources', {
  description:
    'Since Kubernetes 1.35 the kubelet authorizes `/pods` and `/configz` against the subresources nodes/pods and nodes/configz first, and only then nodes/proxy. A subject that holds them reads, from each node, the full specs of the pods running there — literal environment values included — and the kubelet configuration, without the API server\'s per-namespace authorization or audit.',
  remediation: 'Grant nodes/pods and nodes/configz only to node agents that need them; monitoring needs nodes/metrics and nodes/stats, which are not reported.',
  references: { mitre: ['T1613', 'T1552.007'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization'] },
});
