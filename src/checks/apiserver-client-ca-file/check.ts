/** apiserver-client-ca-file: CIS 1.2.25 — client certificate authentication is configured (--client-ca-file). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverClientCaFile = defineNodeControl({
  id: 'apiserver-client-ca-file',
  cis: '1.2.25',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'client certificate authentication is configured (--client-ca-file)',
  description: '`--client-ca-file` is the CA that signs client certificates: kubelets, the controller manager, the scheduler and admins authenticate with them. Without it none of those identities can be verified.',
  remediation: 'Set --client-ca-file.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'client-ca-file'),
});
