/** kubelet-tls-cert: CIS 4.2.9 — the kubelet serves TLS with its own certificate (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletCheck } from '../node-controls/view.js';

export const kubeletTlsCert = defineNodeControl({
  id: 'kubelet-tls-cert',
  cis: '4.2.9',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'medium',
  title: 'the kubelet serves TLS with its own certificate',
  description: 'Without `tlsCertFile` and `tlsPrivateKeyFile` (or `serverTLSBootstrap`) the kubelet serves a self-signed certificate the API server cannot verify. CIS lists this check as manual.',
  remediation: 'Set tlsCertFile and tlsPrivateKeyFile, or serverTLSBootstrap: true.',
  evaluate: (v) => kubeletCheck(v, 'tls-cert-file', (s) => s.value !== undefined, 'the kubelet uses a self-signed or serverTLSBootstrap certificate'),
});
