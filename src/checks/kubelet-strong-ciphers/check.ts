/** kubelet-strong-ciphers: CIS 4.2.12 — the kubelet only uses strong cipher suites (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletTls } from '../node-controls/templates.js';

export const kubeletStrongCiphers = defineNodeControl({
  id: 'kubelet-strong-ciphers',
  cis: '4.2.12',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'medium',
  title: 'the kubelet only uses strong cipher suites',
  description: 'RC4, 3DES and CBC-SHA256 cipher suites are broken or weak. CIS lists this check as manual; `kubelet-insecure-ciphers` is kspect\'s automated check.',
  remediation: 'Set tlsCipherSuites to AEAD suites only.',
  evaluate: kubeletTls('tls-cipher-suites'),
});
