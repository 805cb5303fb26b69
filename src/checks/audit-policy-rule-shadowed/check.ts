/** audit-policy-rule-shadowed: Audit policy rule never takes effect. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicyRuleShadowed = policyLintCheck('audit-policy-rule-shadowed', ['rule-shadowed'], {
  title: "Audit policy rule never takes effect",
  description: "The first rule that matches a request decides its level. This rule matches nothing that an earlier rule does not already match, so it never decides anything: usually the author meant it to apply (a higher level for some resource) and put it after a broader rule.",
  severity: 'medium',
  remediation: "Move the rule before the rules that shadow it, or remove it.",
  references: { urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
});
