/** etcd-auto-tls: CIS 2.3 — etcd does not use self-signed certificates (--auto-tls). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const etcdAutoTls = defineNodeControl({
  id: 'etcd-auto-tls',
  cis: '2.3',
  section: '2',
  component: 'etcd',
  manifests: true,
  severity: 'high',
  title: 'etcd does not use self-signed certificates (--auto-tls)',
  description: '`--auto-tls` makes etcd generate a self-signed certificate that clients cannot verify.',
  remediation: 'Remove --auto-tls or set it to false.',
  evaluate: (v) => flagBool(v, 'etcd', 'auto-tls', false, false),
});
