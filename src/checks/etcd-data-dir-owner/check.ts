/** etcd-data-dir-owner: CIS 1.1.12 — etcd data directory is owned by etcd:etcd. */
import { defineNodeControl } from '../node-controls/define.js';
import { dataDirOwner } from '../node-controls/templates.js';

export const etcdDataDirOwner = defineNodeControl({
  id: 'etcd-data-dir-owner',
  cis: '1.1.12',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'etcd data directory is owned by etcd:etcd',
  description: 'etcd should run as its own unprivileged user that alone owns its data directory, so that no other account on the node can read or rewrite the cluster\'s state.',
  remediation: 'chown etcd:etcd the etcd data directory (--data-dir, default /var/lib/etcd)',
  evaluate: dataDirOwner('etcd', 'etcd'),
});
