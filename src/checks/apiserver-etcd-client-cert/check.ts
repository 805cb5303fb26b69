/** apiserver-etcd-client-cert: CIS 1.2.23 — the API server authenticates to etcd with a client certificate. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverEtcdClientCert = defineNodeControl({
  id: 'apiserver-etcd-client-cert',
  cis: '1.2.23',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the API server authenticates to etcd with a client certificate',
  description: 'etcd holds the whole cluster. If the API server reaches it without `--etcd-certfile` and `--etcd-keyfile`, etcd must accept clients without certificates — and then anyone who reaches etcd\'s port reads and writes everything.',
  remediation: 'Set --etcd-certfile and --etcd-keyfile.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'etcd-certfile', 'etcd-keyfile'),
});
