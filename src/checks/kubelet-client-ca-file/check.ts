/** kubelet-client-ca-file: CIS 4.2.3 — the kubelet verifies client certificates (clientCAFile). */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletCheck } from '../node-controls/view.js';

export const kubeletClientCaFile = defineNodeControl({
  id: 'kubelet-client-ca-file',
  cis: '4.2.3',
  section: '4.2',
  component: 'kubelet',
  severity: 'high',
  title: 'the kubelet verifies client certificates (clientCAFile)',
  description: 'Without a client CA the kubelet cannot authenticate the API server\'s client certificate (or any other), leaving anonymous or token access as the only ways in.',
  remediation: 'Set authentication.x509.clientCAFile in the kubelet config.',
  evaluate: (v) => kubeletCheck(v, 'client-ca-file', (s) => s.value !== undefined && s.value !== '', 'not set'),
});
