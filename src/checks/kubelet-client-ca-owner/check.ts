/** kubelet-client-ca-owner: CIS 4.1.8 — the kubelet client CA file is owned by root:root (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletClientCa } from '../node-controls/templates.js';
import { ownerIs } from '../node-controls/view.js';

export const kubeletClientCaOwner = defineNodeControl({
  id: 'kubelet-client-ca-owner',
  cis: '4.1.8',
  section: '4.1',
  component: 'files',
  automated: false,
  severity: 'medium',
  title: 'the kubelet client CA file is owned by root:root',
  description: 'The owner of the kubelet\'s client CA file can replace it. CIS lists this check as manual.',
  remediation: 'chown root:root the kubelet --client-ca-file',
  evaluate: kubeletClientCa((v, p) => ownerIs(v, p, 'root', 'root', 'kubelet client CA')),
});
