/** apiserver-strong-ciphers: CIS 1.2.29 — the API server only uses strong cipher suites (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { componentCiphers } from '../node-controls/templates.js';

export const apiserverStrongCiphers = defineNodeControl({
  id: 'apiserver-strong-ciphers',
  cis: '1.2.29',
  section: '1.2',
  component: 'apiserver',
  automated: false,
  severity: 'medium',
  title: 'the API server only uses strong cipher suites',
  description: 'RC4, 3DES and CBC-SHA256 cipher suites are broken or weak; a server that offers them lets an attacker downgrade connections. CIS lists this check as manual; `apiserver-insecure-ciphers` is kspect\'s automated check.',
  remediation: 'Set --tls-cipher-suites to AEAD suites only.',
  evaluate: componentCiphers('apiserver'),
});
