/** kubelet-service-owner: CIS 4.1.2 — kubelet service files are owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletServiceFiles } from '../node-controls/templates.js';
import { ownerIs } from '../node-controls/view.js';

export const kubeletServiceOwner = defineNodeControl({
  id: 'kubelet-service-owner',
  cis: '4.1.2',
  section: '4.1',
  component: 'files',
  severity: 'medium',
  title: 'kubelet service files are owned by root:root',
  description: 'The owner of a kubelet unit file can change the kubelet\'s command line whatever the file\'s mode.',
  remediation: 'chown root:root /etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
  evaluate: kubeletServiceFiles((v, p) => ownerIs(v, p, 'root', 'root', 'kubelet service file')),
});
