/** apiserver-tls-cert: CIS 1.2.24 — the API server serves TLS with its own certificate. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverTlsCert = defineNodeControl({
  id: 'apiserver-tls-cert',
  cis: '1.2.24',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the API server serves TLS with its own certificate',
  description: 'Without `--tls-cert-file` and `--tls-private-key-file` the API server generates a self-signed certificate that clients cannot verify, inviting them to skip verification.',
  remediation: 'Set --tls-cert-file and --tls-private-key-file.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'tls-cert-file', 'tls-private-key-file'),
});
