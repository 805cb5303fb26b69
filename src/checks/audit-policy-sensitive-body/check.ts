/** audit-policy-sensitive-body: Audit policy logs secret-bearing request or response bodies. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicySensitiveBody = policyLintCheck('audit-policy-sensitive-body', ['sensitive-body'], {
  title: "Audit policy logs secret-bearing request or response bodies",
  description: "Secrets, ConfigMaps, TokenReviews (at Request or above) or TokenRequests (at RequestResponse) are logged with their bodies: the Secret data, the bearer token under review or the issued token end up in the audit log, readable by everyone who reads the log and its backups. Judged on the evaluated policy: every class of request that can reach these resources is checked.",
  severity: 'high',
  remediation: "Add a level Metadata rule for secrets, configmaps, serviceaccounts/token and tokenreviews before the rules that log bodies.",
  references: { cis: ['3.2.2'], nsa: ['Audit logging'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
});
