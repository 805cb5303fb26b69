/** apiserver-insecure-flags: a static pod manifest of apiserver that fails the flag controls of kspect node (CIS and beyond). */
import { componentFlagsCheck } from '../node-controls/scan.js';

export const apiserverInsecureFlags = componentFlagsCheck('apiserver-insecure-flags', 'apiserver');
