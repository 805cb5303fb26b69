/** apiserver-manifest-owner: CIS 1.1.2 — kube-apiserver manifest is owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { manifestOwner } from '../node-controls/templates.js';

export const apiserverManifestOwner = defineNodeControl({
  id: 'apiserver-manifest-owner',
  cis: '1.1.2',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'kube-apiserver manifest is owned by root:root',
  description: 'The owner of `/etc/kubernetes/manifests/kube-apiserver.yaml` can change its mode and contents, and so the command line of the API server. A manifest owned by another user lets that user (or a process running as it) reconfigure the control plane.',
  remediation: 'chown root:root /etc/kubernetes/manifests/kube-apiserver.yaml',
  evaluate: manifestOwner('apiserver', 'root', 'root'),
});
