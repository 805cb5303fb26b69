/** scheduler-kubeconfig-permissions: CIS 1.1.15 — scheduler kubeconfig mode is 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeconfigMode } from '../node-controls/templates.js';

export const schedulerKubeconfigPermissions = defineNodeControl({
  id: 'scheduler-kubeconfig-permissions',
  cis: '1.1.15',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'scheduler kubeconfig mode is 600 or stricter',
  description: 'The scheduler\'s kubeconfig holds the credentials of `system:kube-scheduler`, which can bind any pod to any node and read much of the cluster. A readable file hands them out.',
  remediation: 'chmod 600 /etc/kubernetes/scheduler.conf',
  evaluate: kubeconfigMode('scheduler', 0o600),
});
