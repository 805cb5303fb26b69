/** PKI and certificate checks that run on manifests. Sorted by id. */
import type { AnyCheck } from '../framework/define.js';

export const pkiChecks: readonly AnyCheck[] = [];
