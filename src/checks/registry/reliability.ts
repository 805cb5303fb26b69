/** Reliability checks (off by default): what kube-score and Polaris users expect beside security. Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { reliabilityDanglingReference } from '../reliability-dangling-reference/check.js';
import { reliabilityEnvDuplicate } from '../reliability-env-duplicate/check.js';
import { reliabilityEphemeralStorage } from '../reliability-ephemeral-storage/check.js';
import { reliabilityJobTtl } from '../reliability-job-ttl/check.js';
import { reliabilityProbePort } from '../reliability-probe-port/check.js';
import { reliabilityProbesMissing } from '../reliability-probes-missing/check.js';
import { reliabilityReplicas } from '../reliability-replicas/check.js';
import { reliabilitySelectorMismatch } from '../reliability-selector-mismatch/check.js';
import { reliabilityServiceAccountMissing } from '../reliability-service-account-missing/check.js';

export const reliabilityChecks: readonly AnyCheck[] = [
  reliabilityDanglingReference,
  reliabilityEnvDuplicate,
  reliabilityEphemeralStorage,
  reliabilityJobTtl,
  reliabilityProbePort,
  reliabilityProbesMissing,
  reliabilityReplicas,
  reliabilitySelectorMismatch,
  reliabilityServiceAccountMissing,
];
