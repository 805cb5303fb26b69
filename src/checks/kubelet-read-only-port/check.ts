/** kubelet-read-only-port: CIS 4.2.4 — the kubelet read-only port is disabled (manual). */
import { parseGoInt } from '../../engines/node/flags.js';
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletCheck } from '../node-controls/view.js';

export const kubeletReadOnlyPort = defineNodeControl({
  id: 'kubelet-read-only-port',
  cis: '4.2.4',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'high',
  title: 'the kubelet read-only port is disabled',
  description: 'The read-only port (10255) serves pod specs, environment and node metrics without any authentication. CIS lists this check as manual; `kubelet-read-only-port-open` is kspect\'s automated check.',
  remediation: 'Set readOnlyPort: 0.',
  evaluate: (v) => kubeletCheck(v, 'read-only-port', (s) => (s.value === undefined ? true : parseGoInt(s.value) === 0), 'the unauthenticated read-only API is open'),
});
