/** audit-policy-field-ignored: kube-apiserver ignores part of the audit policy. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLoadCheck } from '../support/audit-policy-check.js';

export const auditPolicyFieldIgnored = policyLoadCheck('audit-policy-field-ignored', 'warning', 'all', {
  title: "kube-apiserver ignores part of the audit policy",
  description: "An unknown field (a typo such as `omitStage:`), a key written twice, or a second YAML document: kube-apiserver decodes strictly, then falls back to lenient decoding and silently ignores these. The policy loads, but the setting the author meant has no effect (with `omitStage`, RequestReceived is not omitted).",
  severity: 'medium',
  remediation: "Remove or correct the field as the message says (unknown fields are case-sensitive).",
  references: { urls: ['https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/'] },
});
