/** audit-policy-unlogged: Audit policy does not log exec, attach, port-forward, RBAC changes or pod creation. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicyUnlogged = policyLintCheck('audit-policy-unlogged', ['critical-unlogged'], {
  title: "Audit policy does not log exec, attach, port-forward, RBAC changes or pod creation",
  description: "pods/exec, pods/attach and pods/portforward (a shell or tunnel into a container), changes to Roles, ClusterRoles and their bindings, and pod creation are the requests an investigation needs first. Here some of them, for some users, are logged at level None.",
  severity: 'medium',
  remediation: "Log pods/exec, pods/attach and pods/portforward at least at Metadata, RBAC changes and pod creation at Request, for every user.",
  references: { cis: ['3.2.2'], mitre: ['T1609', 'T1098.006'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'] },
});
