/** scheduler-manifest-permissions: CIS 1.1.5 — kube-scheduler manifest mode is 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { manifestMode } from '../node-controls/templates.js';

export const schedulerManifestPermissions = defineNodeControl({
  id: 'scheduler-manifest-permissions',
  cis: '1.1.5',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'kube-scheduler manifest mode is 600 or stricter',
  description: 'The kubelet runs the scheduler from its static pod manifest `/etc/kubernetes/manifests/kube-scheduler.yaml`, command line and all. Anyone who can write the file can change those flags (turn off authentication, add an admission webhook, mount the node\'s disk) and the kubelet restarts the component with them; anyone who can read it learns every file path and setting. Only root should be able to touch it.',
  remediation: 'chmod 600 /etc/kubernetes/manifests/kube-scheduler.yaml',
  evaluate: manifestMode('scheduler', 0o600),
});
