/** etcd-peer-tls: CIS 2.4 — etcd peers use TLS (--peer-cert-file, --peer-key-file). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const etcdPeerTls = defineNodeControl({
  id: 'etcd-peer-tls',
  cis: '2.4',
  section: '2',
  component: 'etcd',
  manifests: true,
  severity: 'high',
  title: 'etcd peers use TLS (--peer-cert-file, --peer-key-file)',
  description: 'Without `--peer-cert-file` and `--peer-key-file` etcd members replicate the cluster state to each other in clear.',
  remediation: 'Set --peer-cert-file and --peer-key-file on etcd.',
  evaluate: (v) => flagsSet(v, 'etcd', 'peer-cert-file', 'peer-key-file'),
});
