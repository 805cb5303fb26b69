/** controller-manager-manifest-permissions: CIS 1.1.3 — kube-controller-manager manifest mode is 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { manifestMode } from '../node-controls/templates.js';

export const controllerManagerManifestPermissions = defineNodeControl({
  id: 'controller-manager-manifest-permissions',
  cis: '1.1.3',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'kube-controller-manager manifest mode is 600 or stricter',
  description: 'The kubelet runs the controller manager from its static pod manifest `/etc/kubernetes/manifests/kube-controller-manager.yaml`, command line and all. Anyone who can write the file can change those flags (turn off authentication, add an admission webhook, mount the node\'s disk) and the kubelet restarts the component with them; anyone who can read it learns every file path and setting. Only root should be able to touch it.',
  remediation: 'chmod 600 /etc/kubernetes/manifests/kube-controller-manager.yaml',
  evaluate: manifestMode('controller-manager', 0o600),
});
