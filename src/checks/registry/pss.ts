/** Pod Security Standards checks. Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { pssBaseline } from '../pss-baseline/check.js';
import { pssRestricted } from '../pss-restricted/check.js';

export const pssChecks: readonly AnyCheck[] = [pssBaseline, pssRestricted];
