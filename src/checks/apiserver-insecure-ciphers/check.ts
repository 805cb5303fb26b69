/** apiserver-insecure-ciphers: the API server offers no insecure cipher suite. */
import { defineNodeControl } from '../node-controls/define.js';
import { componentCiphers } from '../node-controls/templates.js';

export const apiserverInsecureCiphers = defineNodeControl({
  id: 'apiserver-insecure-ciphers',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the API server offers no insecure cipher suite',
  description: 'RC4, 3DES and CBC-SHA256 suites (Go\'s `tls.InsecureCipherSuites`) are broken or weak; offering any of them lets an attacker downgrade connections to the API server.',
  remediation: 'Remove RC4, 3DES and CBC-SHA256 suites from --tls-cipher-suites.',
  evaluate: componentCiphers('apiserver'),
});
