/** audit-policy-pattern-never-matches: Audit policy pattern that can never match. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicyPatternNeverMatches = policyLintCheck('audit-policy-pattern-never-matches', ['pattern-never-matches'], {
  title: "Audit policy pattern that can never match",
  description: "A resource pattern the policy checker never matches (`pods*`, `Pods`, `pods/exec/x`, a subresource the group does not have), a verb no request carries (`bind`, `escalate` and `impersonate` are authorization checks, not request verbs), a namespace that is not a valid name, or a resource path listed under nonResourceURLs. The rule silently does less than it says.",
  severity: 'medium',
  remediation: "Use exact resource names, \"*\", \"*/subresource\" or \"resource/*\"; request verbs (get, list, watch, create, update, patch, delete, deletecollection); resource paths under resources.",
  references: { urls: ['https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-GroupResources'] },
});
