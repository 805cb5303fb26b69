/** audit-policy-refused: kube-apiserver refuses to start with this audit policy. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLoadCheck } from '../support/audit-policy-check.js';

export const auditPolicyRefused = policyLoadCheck('audit-policy-refused', 'error', 'all', {
  title: "kube-apiserver refuses to start with this audit policy",
  description: "The audit policy file is one kube-apiserver of the target version refuses: wrong apiVersion (only audit.k8s.io/v1 loads since 1.24), no rules, an invalid level or stage, a bad non-resource URL pattern, nonResourceURLs mixed with resources or namespaces, resourceNames without resources, an invalid group name (`*` only from 1.36) or a value of the wrong type. The server does not start, and a control plane that cannot start is an outage.",
  severity: 'high',
  remediation: "Fix the file as the message says; check it with `kspect audit policy-check --k8s-version <your version>` before rolling it out.",
  references: { cis: ['1.2.16', '3.2.1'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'] },
});
