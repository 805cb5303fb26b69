/** kubelet-client-ca-permissions: CIS 4.1.7 — the kubelet client CA file has mode 644 or stricter (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletClientCa } from '../node-controls/templates.js';
import { modeAtMost } from '../node-controls/view.js';

export const kubeletClientCaPermissions = defineNodeControl({
  id: 'kubelet-client-ca-permissions',
  cis: '4.1.7',
  section: '4.1',
  component: 'files',
  automated: false,
  severity: 'medium',
  title: 'the kubelet client CA file has mode 644 or stricter',
  description: 'The kubelet trusts every client certificate signed by its client CA file; whoever can replace the file can make the kubelet trust their own CA. CIS lists this check as manual.',
  remediation: 'chmod 644 the kubelet --client-ca-file',
  evaluate: kubeletClientCa((v, p) => modeAtMost(v, p, 0o644, 'kubelet client CA')),
});
