/** kubelet-config-owner: CIS 4.1.10 — the kubelet config file is owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletConfigFile } from '../node-controls/templates.js';
import { ownerIs } from '../node-controls/view.js';

export const kubeletConfigOwner = defineNodeControl({
  id: 'kubelet-config-owner',
  cis: '4.1.10',
  section: '4.1',
  component: 'files',
  severity: 'medium',
  title: 'the kubelet config file is owned by root:root',
  description: 'The owner of the kubelet config file can change the kubelet\'s security settings whatever the file\'s mode.',
  remediation: 'chown root:root /var/lib/kubelet/config.yaml',
  evaluate: kubeletConfigFile((v, p) => ownerIs(v, p, 'root', 'root', 'kubelet config')),
});
