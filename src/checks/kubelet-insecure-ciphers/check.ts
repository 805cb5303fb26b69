/** kubelet-insecure-ciphers: the kubelet offers no insecure cipher suite. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletTls } from '../node-controls/templates.js';

export const kubeletInsecureCiphers = defineNodeControl({
  id: 'kubelet-insecure-ciphers',
  section: 'K.3',
  component: 'kubelet',
  severity: 'high',
  title: 'the kubelet offers no insecure cipher suite',
  description: 'RC4, 3DES and CBC-SHA256 suites in `tlsCipherSuites` let an attacker downgrade connections to the kubelet API.',
  remediation: 'Remove RC4, 3DES and CBC-SHA256 suites from tlsCipherSuites.',
  evaluate: kubeletTls('tls-cipher-suites'),
});
