/** etcd-insecure-flags: a static pod manifest of etcd that fails the flag controls of kspect node (CIS and beyond). */
import { componentFlagsCheck } from '../node-controls/scan.js';

export const etcdInsecureFlags = componentFlagsCheck('etcd-insecure-flags', 'etcd');
