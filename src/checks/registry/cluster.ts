/** Checks that need a live cluster or etcd. Sorted by id. */
import type { AnyCheck } from '../framework/define.js';

export const clusterChecks: readonly AnyCheck[] = [];
