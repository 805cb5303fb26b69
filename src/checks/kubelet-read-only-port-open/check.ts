/** kubelet-read-only-port-open: the unauthenticated kubelet read-only port is closed. */
import { parseGoInt } from '../../engines/node/flags.js';
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletCheck } from '../node-controls/view.js';

export const kubeletReadOnlyPortOpen = defineNodeControl({
  id: 'kubelet-read-only-port-open',
  section: 'K.3',
  component: 'kubelet',
  severity: 'high',
  title: 'the unauthenticated kubelet read-only port is closed',
  description: 'The kubelet\'s read-only port (10255 unless `readOnlyPort: 0`) serves pod specs, environment variables and node metrics to anyone who can reach the node, with no authentication at all.',
  remediation: 'Set readOnlyPort: 0.',
  evaluate: (v) => kubeletCheck(v, 'read-only-port', (s) => (s.value === undefined ? true : parseGoInt(s.value) === 0), 'port 10255 serves pod specs and node data without authentication'),
});
