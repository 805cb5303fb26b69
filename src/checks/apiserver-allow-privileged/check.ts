/** apiserver-allow-privileged: privileged containers are not allowed cluster-wide. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const apiserverAllowPrivileged = defineNodeControl({
  id: 'apiserver-allow-privileged',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'info',
  title: 'privileged containers are not allowed cluster-wide',
  description: '`--allow-privileged=true` lets any pod that passes admission run privileged containers. Most clusters need it for some system pods; then Pod Security Standards must keep it away from everything else.',
  remediation: 'Keep --allow-privileged=true only if a workload needs it, and enforce Pod Security Standards.',
  evaluate: (v) => flagBool(v, 'apiserver', 'allow-privileged', false, false),
});
