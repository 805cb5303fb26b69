/** etcd-peer-trusted-ca: etcd verifies peers against a CA. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const etcdPeerTrustedCa = defineNodeControl({
  id: 'etcd-peer-trusted-ca',
  section: 'K.2',
  component: 'etcd',
  manifests: true,
  severity: 'high',
  title: 'etcd verifies peers against a CA',
  description: 'Without `--peer-trusted-ca-file` etcd cannot verify the certificates its peers present, so peer client-certificate authentication means nothing.',
  remediation: 'Set --peer-trusted-ca-file.',
  evaluate: (v) => flagsSet(v, 'etcd', 'peer-trusted-ca-file'),
});
