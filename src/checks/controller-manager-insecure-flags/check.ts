/** controller-manager-insecure-flags: a static pod manifest of controller-manager that fails the flag controls of kspect node (CIS and beyond). */
import { componentFlagsCheck } from '../node-controls/scan.js';

export const controllerManagerInsecureFlags = componentFlagsCheck('controller-manager-insecure-flags', 'controller-manager');
