/** audit-policy-wrong-group: Audit policy names a resource under a group that does not serve it. Reads the AuditPolicyFile objects of `kspect audit policy-check`. */
import { policyLintCheck } from '../support/audit-policy-check.js';

export const auditPolicyWrongGroup = policyLintCheck('audit-policy-wrong-group', ['wrong-group'], {
  title: "Audit policy names a resource under a group that does not serve it",
  description: "`deployments` under the core group `\"\"`, anything under `extensions` (removed in 1.22) or under a group name no API serves: the entry never matches, so those requests fall through to a later rule, usually at another level than intended.",
  severity: 'medium',
  remediation: "Put the resource under the group that serves it (the message names it), e.g. deployments under apps.",
  references: { urls: ['https://kubernetes.io/docs/reference/using-api/#api-groups'] },
});
