/** kubelet-tls-min-version: the kubelet refuses TLS below 1.2. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletTls } from '../node-controls/templates.js';

export const kubeletTlsMinVersion = defineNodeControl({
  id: 'kubelet-tls-min-version',
  section: 'K.3',
  component: 'kubelet',
  severity: 'high',
  title: 'the kubelet refuses TLS below 1.2',
  description: '`tlsMinVersion` below VersionTLS12 lets clients of the kubelet API negotiate the deprecated TLS 1.0 and 1.1.',
  remediation: 'Set tlsMinVersion: VersionTLS12.',
  evaluate: kubeletTls('tls-min-version'),
});
