/** apiserver-tls-min-version: the API server refuses TLS below 1.2. */
import { defineNodeControl } from '../node-controls/define.js';
import { componentTlsMinVersion } from '../node-controls/templates.js';

export const apiserverTlsMinVersion = defineNodeControl({
  id: 'apiserver-tls-min-version',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the API server refuses TLS below 1.2',
  description: 'TLS 1.0 and 1.1 are deprecated (RFC 8996) and open to downgrade attacks. `--tls-min-version` below VersionTLS12 lets clients negotiate them.',
  remediation: 'Set --tls-min-version=VersionTLS12 or VersionTLS13.',
  evaluate: componentTlsMinVersion('apiserver'),
});
