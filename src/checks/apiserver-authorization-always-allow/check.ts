/** apiserver-authorization-always-allow: CIS 1.2.6 — --authorization-mode does not include AlwaysAllow. */
import { defineNodeControl } from '../node-controls/define.js';
import { listLacks } from '../node-controls/view.js';

export const apiserverAuthorizationAlwaysAllow = defineNodeControl({
  id: 'apiserver-authorization-always-allow',
  cis: '1.2.6',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'critical',
  title: '--authorization-mode does not include AlwaysAllow',
  description: 'The AlwaysAllow authorizer allows every request of every authenticated user (and, with anonymous auth, of everyone). Any position in `--authorization-mode` is fatal: authorizers are asked in order and the first that allows wins.',
  remediation: 'Set --authorization-mode=Node,RBAC.',
  evaluate: (v) => listLacks(v, 'apiserver', 'authorization-mode', 'AlwaysAllow', false, 'every authenticated request is authorized'),
});
