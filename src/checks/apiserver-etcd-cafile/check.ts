/** apiserver-etcd-cafile: CIS 1.2.26 — the API server verifies etcd (--etcd-cafile). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverEtcdCafile = defineNodeControl({
  id: 'apiserver-etcd-cafile',
  cis: '1.2.26',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the API server verifies etcd (--etcd-cafile)',
  description: 'Without `--etcd-cafile` the API server does not verify etcd\'s certificate: whoever can intercept the connection can serve it a forged cluster state or read everything it writes.',
  remediation: 'Set --etcd-cafile.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'etcd-cafile'),
});
