/** audit-policy-no-catch-all: Audit policy has requests no rule matches. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicyNoCatchAll = policyLintCheck('audit-policy-no-catch-all', ['no-catch-all'], {
  title: "Audit policy has requests no rule matches",
  description: "A request no rule matches is logged at level None: it leaves no trace. Without a final catch-all rule, new resources, CRDs and non-resource URLs the policy does not name go unaudited.",
  severity: 'medium',
  remediation: "End the policy with a catch-all rule, e.g. `- level: Metadata`.",
  references: { cis: ['3.2.2'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
});
