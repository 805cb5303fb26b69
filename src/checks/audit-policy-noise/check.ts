/** audit-policy-noise: Audit policy logs high-volume requests of system components. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicyNoise = policyLintCheck('audit-policy-noise', ['noise'], {
  title: "Audit policy logs high-volume requests of system components",
  description: "kube-proxy watching endpoints and services, kubelets reading their Node, controller leader election, health and version probes, and Event bodies are the bulk of an unfiltered audit log. Logging them costs disk and ingestion and buries the requests that matter.",
  severity: 'low',
  remediation: "Add level None rules for these requests (as the Kubernetes reference policies do) before the broader rules.",
  references: { urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
});
