/** Control-plane and node (CIS) checks that run on manifests. Sorted by id. */
import type { AnyCheck } from '../framework/define.js';

export const nodeChecks: readonly AnyCheck[] = [];
