/** apiserver-kubelet-certificate-authority: CIS 1.2.5 — the API server verifies kubelet serving certificates. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverKubeletCertificateAuthority = defineNodeControl({
  id: 'apiserver-kubelet-certificate-authority',
  cis: '1.2.5',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the API server verifies kubelet serving certificates',
  description: 'Without `--kubelet-certificate-authority` the API server does not verify the certificate a kubelet presents, so anyone who can intercept or spoof a node\'s address receives the API server\'s exec and log traffic — credentials included.',
  remediation: 'Set --kubelet-certificate-authority to the CA that signs kubelet serving certificates.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'kubelet-certificate-authority'),
});
