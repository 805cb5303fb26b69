/** RBAC checks. Sorted by id. */
import type { AnyCheck } from '../framework/define.js';

export const rbacChecks: readonly AnyCheck[] = [];
