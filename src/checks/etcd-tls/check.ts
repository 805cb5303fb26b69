/** etcd-tls: CIS 2.1 — etcd serves clients over TLS (--cert-file, --key-file). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const etcdTls = defineNodeControl({
  id: 'etcd-tls',
  cis: '2.1',
  section: '2',
  component: 'etcd',
  manifests: true,
  severity: 'high',
  title: 'etcd serves clients over TLS (--cert-file, --key-file)',
  description: 'Without `--cert-file` and `--key-file` etcd serves its clients over plain HTTP: every object, Secrets included, crosses the network in clear.',
  remediation: 'Set --cert-file and --key-file on etcd.',
  evaluate: (v) => flagsSet(v, 'etcd', 'cert-file', 'key-file'),
});
