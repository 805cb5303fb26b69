/** kubelet-service-permissions: CIS 4.1.1 — kubelet service files have mode 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletServiceFiles } from '../node-controls/templates.js';
import { modeAtMost } from '../node-controls/view.js';

export const kubeletServicePermissions = defineNodeControl({
  id: 'kubelet-service-permissions',
  cis: '4.1.1',
  section: '4.1',
  component: 'files',
  severity: 'medium',
  title: 'kubelet service files have mode 600 or stricter',
  description: 'The kubelet\'s systemd unit and drop-ins (kubeadm\'s `10-kubeadm.conf`) define its command line. Whoever can write them can restart the kubelet with anonymous access, no authorization or another config file.',
  remediation: 'chmod 600 /etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
  evaluate: kubeletServiceFiles((v, p) => modeAtMost(v, p, 0o600, 'kubelet service file')),
});
