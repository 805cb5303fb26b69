/** controller-manager-manifest-owner: CIS 1.1.4 — kube-controller-manager manifest is owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { manifestOwner } from '../node-controls/templates.js';

export const controllerManagerManifestOwner = defineNodeControl({
  id: 'controller-manager-manifest-owner',
  cis: '1.1.4',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'kube-controller-manager manifest is owned by root:root',
  description: 'The owner of `/etc/kubernetes/manifests/kube-controller-manager.yaml` can change its mode and contents, and so the command line of the controller manager. A manifest owned by another user lets that user (or a process running as it) reconfigure the control plane.',
  remediation: 'chown root:root /etc/kubernetes/manifests/kube-controller-manager.yaml',
  evaluate: manifestOwner('controller-manager', 'root', 'root'),
});
