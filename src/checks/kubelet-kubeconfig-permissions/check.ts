/** kubelet-kubeconfig-permissions: CIS 4.1.5 — the kubelet kubeconfig has mode 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletKubeconfig } from '../node-controls/templates.js';
import { modeAtMost } from '../node-controls/view.js';

export const kubeletKubeconfigPermissions = defineNodeControl({
  id: 'kubelet-kubeconfig-permissions',
  cis: '4.1.5',
  section: '4.1',
  component: 'files',
  severity: 'medium',
  title: 'the kubelet kubeconfig has mode 600 or stricter',
  description: 'The kubelet\'s kubeconfig holds the node\'s client credentials (`system:node:<name>`): with them anyone can read the Secrets of every pod on the node and report false node status.',
  remediation: 'chmod 600 /etc/kubernetes/kubelet.conf',
  evaluate: kubeletKubeconfig((v, p) => modeAtMost(v, p, 0o600, 'kubelet kubeconfig')),
});
