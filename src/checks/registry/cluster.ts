/** Checks that need a live cluster or etcd. Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { etcdAtRestSummary } from '../etcd-at-rest-summary/check.js';
import { etcdClientCertAuthDisabled } from '../etcd-client-cert-auth-disabled/check.js';
import { etcdClientPlaintext } from '../etcd-client-plaintext/check.js';
import { etcdMetricsUnauthenticated } from '../etcd-metrics-unauthenticated/check.js';
import { etcdResourcePlaintext } from '../etcd-resource-plaintext/check.js';
import { etcdSecretPlaintext } from '../etcd-secret-plaintext/check.js';
import { etcdValueStaleKey } from '../etcd-value-stale-key/check.js';
import { etcdValueUndecryptable } from '../etcd-value-undecryptable/check.js';
import { etcdValueUnknownKey } from '../etcd-value-unknown-key/check.js';

/** The checks `kspect etcd check` runs over what it read from etcd. */
export const etcdChecks: readonly AnyCheck[] = [
  etcdAtRestSummary,
  etcdClientCertAuthDisabled,
  etcdClientPlaintext,
  etcdMetricsUnauthenticated,
  etcdResourcePlaintext,
  etcdSecretPlaintext,
  etcdValueStaleKey,
  etcdValueUndecryptable,
  etcdValueUnknownKey,
];

export const clusterChecks: readonly AnyCheck[] = [...etcdChecks];
