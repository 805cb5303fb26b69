/** etcd-peer-auto-tls: CIS 2.6 — etcd peers do not use self-signed certificates (--peer-auto-tls). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const etcdPeerAutoTls = defineNodeControl({
  id: 'etcd-peer-auto-tls',
  cis: '2.6',
  section: '2',
  component: 'etcd',
  manifests: true,
  severity: 'high',
  title: 'etcd peers do not use self-signed certificates (--peer-auto-tls)',
  description: '`--peer-auto-tls` makes etcd generate self-signed peer certificates that members cannot verify.',
  remediation: 'Remove --peer-auto-tls or set it to false.',
  evaluate: (v) => flagBool(v, 'etcd', 'peer-auto-tls', false, false),
});
