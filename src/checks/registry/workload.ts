/** Workload checks beyond the Pod Security Standards. Sorted by id. */
import type { AnyCheck } from '../framework/define.js';
import { podDefaultServiceAccount } from '../pod-default-service-account/check.js';
import { podEnvLiteralSecret } from '../pod-env-literal-secret/check.js';
import { podEnvSecretRef } from '../pod-env-secret-ref/check.js';
import { podPrivileged } from '../pod-privileged/check.js';
import { podSaTokenAutomount } from '../pod-sa-token-automount/check.js';
import { secretSaTokenLongLived } from '../secret-sa-token-long-lived/check.js';

export const workloadChecks: readonly AnyCheck[] = [
  podDefaultServiceAccount,
  podEnvLiteralSecret,
  podEnvSecretRef,
  podPrivileged,
  podSaTokenAutomount,
  secretSaTokenLongLived,
];
