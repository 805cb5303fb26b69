/** audit-policy-request-received: Audit policy does not omit the RequestReceived stage. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicyRequestReceived = policyLintCheck('audit-policy-request-received', ['request-received'], {
  title: "Audit policy does not omit the RequestReceived stage",
  description: "Every logged request is written at RequestReceived and again at ResponseComplete. The first event carries nothing the second does not, and doubles the volume of the log.",
  severity: 'low',
  remediation: "Set `omitStages: [RequestReceived]` at the policy level.",
  references: { urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
});
