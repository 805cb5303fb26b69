/** kubelet-anonymous-auth: CIS 4.2.1 — anonymous requests to the kubelet are disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { boolOf, kubeletCheck } from '../node-controls/view.js';

export const kubeletAnonymousAuth = defineNodeControl({
  id: 'kubelet-anonymous-auth',
  cis: '4.2.1',
  section: '4.2',
  component: 'kubelet',
  severity: 'critical',
  title: 'anonymous requests to the kubelet are disabled',
  description: 'With anonymous authentication on, requests without credentials reach the kubelet API on port 10250 as `system:anonymous`; with authorization left at AlwaysAllow that is remote code execution in every pod of the node (`/exec`, `/run`).',
  remediation: 'Set authentication.anonymous.enabled: false in the kubelet config (or --anonymous-auth=false).',
  evaluate: (v) => kubeletCheck(v, 'anonymous-auth', (s) => { const b = boolOf(s); return b === undefined ? 'unparseable' : !b; }, 'must be false'),
});
