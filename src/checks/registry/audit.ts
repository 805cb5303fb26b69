/** Checks of `kspect audit`: the audit policy (policy-check), Falco alerts on audit logs (analyze) and detection coverage. Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { auditCoverageBlind } from '../audit-coverage-blind/check.js';
import { auditCoverageDegraded } from '../audit-coverage-degraded/check.js';
import { auditFalcoAlertInternal } from '../audit-falco-alert-internal/check.js';
import { auditFalcoAlert } from '../audit-falco-alert/check.js';
import { auditPolicyFieldIgnored } from '../audit-policy-field-ignored/check.js';
import { auditPolicyNoBody } from '../audit-policy-no-body/check.js';
import { auditPolicyNoCatchAll } from '../audit-policy-no-catch-all/check.js';
import { auditPolicyNoise } from '../audit-policy-noise/check.js';
import { auditPolicyPatternNeverMatches } from '../audit-policy-pattern-never-matches/check.js';
import { auditPolicyRefused } from '../audit-policy-refused/check.js';
import { auditPolicyRequestReceived } from '../audit-policy-request-received/check.js';
import { auditPolicyRuleShadowed } from '../audit-policy-rule-shadowed/check.js';
import { auditPolicySensitiveBody } from '../audit-policy-sensitive-body/check.js';
import { auditPolicyUnlogged } from '../audit-policy-unlogged/check.js';
import { auditPolicyWrongGroup } from '../audit-policy-wrong-group/check.js';

/** The checks `kspect audit policy-check` runs over AuditPolicyFile objects. */
export const auditPolicyChecks: readonly AnyCheck[] = [
  auditPolicyFieldIgnored,
  auditPolicyNoBody,
  auditPolicyNoCatchAll,
  auditPolicyNoise,
  auditPolicyPatternNeverMatches,
  auditPolicyRefused,
  auditPolicyRequestReceived,
  auditPolicyRuleShadowed,
  auditPolicySensitiveBody,
  auditPolicyUnlogged,
  auditPolicyWrongGroup,
];

/** The checks `kspect audit analyze` runs over the FalcoAlert objects of an audit log. */
export const auditLogChecks: readonly AnyCheck[] = [auditFalcoAlert, auditFalcoAlertInternal];

/** The checks `kspect audit coverage` runs over the FalcoRuleCoverage objects of a policy. */
export const auditCoverageChecks: readonly AnyCheck[] = [auditCoverageBlind, auditCoverageDegraded];

export const auditChecks: readonly AnyCheck[] = [...auditPolicyChecks, ...auditLogChecks, ...auditCoverageChecks];
