/** etcd-peer-client-cert-auth: CIS 2.5 — etcd peers must present certificates (--peer-client-cert-auth). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const etcdPeerClientCertAuth = defineNodeControl({
  id: 'etcd-peer-client-cert-auth',
  cis: '2.5',
  section: '2',
  component: 'etcd',
  manifests: true,
  severity: 'high',
  title: 'etcd peers must present certificates (--peer-client-cert-auth)',
  description: 'Without `--peer-client-cert-auth=true` anyone who reaches the peer port can join or talk to the etcd cluster as a member.',
  remediation: 'Set --peer-client-cert-auth=true on etcd.',
  evaluate: (v) => flagBool(v, 'etcd', 'peer-client-cert-auth', true),
});
