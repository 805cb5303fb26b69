/** controller-manager-kubeconfig-permissions: CIS 1.1.17 — controller-manager kubeconfig mode is 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeconfigMode } from '../node-controls/templates.js';

export const controllerManagerKubeconfigPermissions = defineNodeControl({
  id: 'controller-manager-kubeconfig-permissions',
  cis: '1.1.17',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'controller-manager kubeconfig mode is 600 or stricter',
  description: 'The controller manager\'s kubeconfig holds the credentials of `system:kube-controller-manager`, which can read every Secret and create service-account tokens. A readable file hands them out.',
  remediation: 'chmod 600 /etc/kubernetes/controller-manager.conf',
  evaluate: kubeconfigMode('controller-manager', 0o600),
});
