/** scheduler-kubeconfig-owner: CIS 1.1.16 — scheduler kubeconfig is owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeconfigOwner } from '../node-controls/templates.js';

export const schedulerKubeconfigOwner = defineNodeControl({
  id: 'scheduler-kubeconfig-owner',
  cis: '1.1.16',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'scheduler kubeconfig is owned by root:root',
  description: 'The owner of the scheduler\'s kubeconfig can read its credentials whatever the file\'s mode.',
  remediation: 'chown root:root /etc/kubernetes/scheduler.conf',
  evaluate: kubeconfigOwner('scheduler', 'root', 'root'),
});
