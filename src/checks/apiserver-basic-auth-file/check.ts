/** apiserver-basic-auth-file: no static password file (--basic-auth-file). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagUnset } from '../node-controls/view.js';

export const apiserverBasicAuthFile = defineNodeControl({
  id: 'apiserver-basic-auth-file',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'critical',
  title: 'no static password file (--basic-auth-file)',
  description: '`--basic-auth-file` authenticated users by passwords in a plaintext CSV; it was removed in Kubernetes 1.19, so a manifest that still has it is either ancient or broken.',
  remediation: 'Remove --basic-auth-file.',
  evaluate: (v) => flagUnset(v, 'apiserver', 'basic-auth-file', 'static passwords in a plaintext file (removed in Kubernetes 1.19: the API server no longer starts)'),
});
