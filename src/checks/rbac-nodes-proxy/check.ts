/** rbac-nodes-proxy: nodes/proxy gives direct access to the kubelet API of every node: running commands in any pod there (exec through the kubelet bypasses API-server admission and audit), reading logs and pod specs. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacNodesProxy = dangerCheck('rbac-nodes-proxy', {
  description:
    "nodes/proxy gives direct access to the kubelet API of every node: running commands in any pod there (exec through the kubelet bypasses API-server admission and audit), reading logs and pod specs.",
  remediation: "Grant nodes/proxy to nobody but the API server and monitoring agents that truly need it; prefer nodes/metrics and nodes/stats for monitoring.",
  references: {cis: ["5.1.10"], mitre: ["T1609"], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes"]},
});
