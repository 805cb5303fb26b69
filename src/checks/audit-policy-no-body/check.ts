/** audit-policy-no-body: Audit policy logs RBAC changes or pod creation without the request body. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicyNoBody = policyLintCheck('audit-policy-no-body', ['critical-no-body'], {
  title: "Audit policy logs RBAC changes or pod creation without the request body",
  description: "At level Metadata the log says that a ClusterRoleBinding or a Pod was created, not what it grants or runs: whether the pod is privileged or mounts the host, which role is bound to whom. Detections such as Falco's \"Create Privileged Pod\" and \"Attach to cluster-admin Role\" read the body and stay blind.",
  severity: 'low',
  remediation: "Log RBAC writes (rbac.authorization.k8s.io) and pod creation at level Request.",
  references: { mitre: ['T1610', 'T1098.006'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'] },
});
