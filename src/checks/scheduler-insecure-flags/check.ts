/** scheduler-insecure-flags: a static pod manifest of scheduler that fails the flag controls of kspect node (CIS and beyond). */
import { componentFlagsCheck } from '../node-controls/scan.js';

export const schedulerInsecureFlags = componentFlagsCheck('scheduler-insecure-flags', 'scheduler');
