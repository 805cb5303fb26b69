/** kubelet-authorization-mode: CIS 4.2.2 — kubelet authorization is not AlwaysAllow. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletCheck } from '../node-controls/view.js';

export const kubeletAuthorizationMode = defineNodeControl({
  id: 'kubelet-authorization-mode',
  cis: '4.2.2',
  section: '4.2',
  component: 'kubelet',
  severity: 'critical',
  title: 'kubelet authorization is not AlwaysAllow',
  description: 'With authorization mode AlwaysAllow the kubelet lets every authenticated (or anonymous) caller exec into pods, read logs and port-forward. Webhook mode asks the API server, which applies RBAC.',
  remediation: 'Set authorization.mode: Webhook in the kubelet config.',
  evaluate: (v) => kubeletCheck(v, 'authorization-mode', (s) => s.value !== undefined && !s.value.split(',').map((x) => x.trim()).includes('AlwaysAllow'), 'every request to the kubelet API is allowed'),
});
