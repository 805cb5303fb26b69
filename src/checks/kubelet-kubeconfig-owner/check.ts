/** kubelet-kubeconfig-owner: CIS 4.1.6 — the kubelet kubeconfig is owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletKubeconfig } from '../node-controls/templates.js';
import { ownerIs } from '../node-controls/view.js';

export const kubeletKubeconfigOwner = defineNodeControl({
  id: 'kubelet-kubeconfig-owner',
  cis: '4.1.6',
  section: '4.1',
  component: 'files',
  severity: 'medium',
  title: 'the kubelet kubeconfig is owned by root:root',
  description: 'The owner of the kubelet\'s kubeconfig can read the node\'s credentials whatever the file\'s mode.',
  remediation: 'chown root:root /etc/kubernetes/kubelet.conf',
  evaluate: kubeletKubeconfig((v, p) => ownerIs(v, p, 'root', 'root', 'kubelet kubeconfig')),
});
