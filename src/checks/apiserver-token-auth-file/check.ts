/** apiserver-token-auth-file: CIS 1.2.2 — no static token file (--token-auth-file). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagUnset } from '../node-controls/view.js';

export const apiserverTokenAuthFile = defineNodeControl({
  id: 'apiserver-token-auth-file',
  cis: '1.2.2',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'no static token file (--token-auth-file)',
  description: '`--token-auth-file` authenticates bearer tokens listed in a plaintext CSV on the control-plane node. The tokens never expire, cannot be rotated without restarting the API server, and anyone who reads the file holds them.',
  remediation: 'Remove --token-auth-file; use client certificates, OIDC or webhook token authentication.',
  evaluate: (v) => flagUnset(v, 'apiserver', 'token-auth-file', 'static bearer tokens in a plaintext file, never rotated'),
});
