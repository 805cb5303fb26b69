/** etcd-manifest-owner: CIS 1.1.8 — etcd manifest is owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { manifestOwner } from '../node-controls/templates.js';

export const etcdManifestOwner = defineNodeControl({
  id: 'etcd-manifest-owner',
  cis: '1.1.8',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'etcd manifest is owned by root:root',
  description: 'The owner of `/etc/kubernetes/manifests/etcd.yaml` can change its mode and contents, and so the command line of etcd. A manifest owned by another user lets that user (or a process running as it) reconfigure the control plane.',
  remediation: 'chown root:root /etc/kubernetes/manifests/etcd.yaml',
  evaluate: manifestOwner('etcd', 'root', 'root'),
});
