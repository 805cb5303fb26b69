/** scheduler-manifest-owner: CIS 1.1.6 — kube-scheduler manifest is owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { manifestOwner } from '../node-controls/templates.js';

export const schedulerManifestOwner = defineNodeControl({
  id: 'scheduler-manifest-owner',
  cis: '1.1.6',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'kube-scheduler manifest is owned by root:root',
  description: 'The owner of `/etc/kubernetes/manifests/kube-scheduler.yaml` can change its mode and contents, and so the command line of the scheduler. A manifest owned by another user lets that user (or a process running as it) reconfigure the control plane.',
  remediation: 'chown root:root /etc/kubernetes/manifests/kube-scheduler.yaml',
  evaluate: manifestOwner('scheduler', 'root', 'root'),
});
