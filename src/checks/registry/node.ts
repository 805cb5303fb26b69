/** Control-plane and node (CIS) checks that run on manifests. Sorted by id. */
import { apiserverInsecureFlags } from '../apiserver-insecure-flags/check.js';
import { controllerManagerInsecureFlags } from '../controller-manager-insecure-flags/check.js';
import { etcdInsecureFlags } from '../etcd-insecure-flags/check.js';
import type { AnyCheck } from '../../framework/define.js';
import { schedulerInsecureFlags } from '../scheduler-insecure-flags/check.js';

export const nodeChecks: readonly AnyCheck[] = [apiserverInsecureFlags, controllerManagerInsecureFlags, etcdInsecureFlags, schedulerInsecureFlags];
