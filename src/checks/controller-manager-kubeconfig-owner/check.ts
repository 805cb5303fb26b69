/** controller-manager-kubeconfig-owner: CIS 1.1.18 — controller-manager kubeconfig is owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeconfigOwner } from '../node-controls/templates.js';

export const controllerManagerKubeconfigOwner = defineNodeControl({
  id: 'controller-manager-kubeconfig-owner',
  cis: '1.1.18',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'controller-manager kubeconfig is owned by root:root',
  description: 'The owner of the controller manager\'s kubeconfig can read its credentials whatever the file\'s mode.',
  remediation: 'chown root:root /etc/kubernetes/controller-manager.conf',
  evaluate: kubeconfigOwner('controller-manager', 'root', 'root'),
});
