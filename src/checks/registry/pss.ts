/** Pod Security Standards checks. Sorted by id. */
import type { AnyCheck } from '../framework/define.js';

export const pssChecks: readonly AnyCheck[] = [];
