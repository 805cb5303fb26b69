/** rbac-status-patch: Patching services/status sets a LoadBalancer's ingress IP, which kube-proxy then routes (CVE-2020-8554: intercept traffic to any IP); patching nodes/status can change a node's reported addresses and conditions. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacStatusPatch = dangerCheck('rbac-status-patch', {
  description:
    "Patching services/status sets a LoadBalancer's ingress IP, which kube-proxy then routes (CVE-2020-8554: intercept traffic to any IP); patching nodes/status can change a node's reported addresses and conditions.",
  remediation: "Grant status updates of services and nodes only to the controllers that own them (cloud controller manager, kubelet).",
  references: {mitre: ['T1098.006'], urls: ["https://github.com/kubernetes/kubernetes/issues/97076"]},
});
