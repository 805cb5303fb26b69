/** etcd-data-dir-permissions: CIS 1.1.11 — etcd data directory mode is 700 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { dataDirMode } from '../node-controls/templates.js';

export const etcdDataDirPermissions = defineNodeControl({
  id: 'etcd-data-dir-permissions',
  cis: '1.1.11',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'etcd data directory mode is 700 or stricter',
  description: 'The etcd data directory holds the whole cluster state: every Secret (in plaintext unless encryption at rest is configured), every token, every object. Read access to it is read access to the cluster; write access is control of it.',
  remediation: 'chmod 700 the etcd data directory (--data-dir, default /var/lib/etcd)',
  evaluate: dataDirMode(0o700),
});
