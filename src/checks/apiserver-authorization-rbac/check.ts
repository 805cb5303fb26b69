/** apiserver-authorization-rbac: CIS 1.2.8 — --authorization-mode includes RBAC. */
import { defineNodeControl } from '../node-controls/define.js';
import { listHas } from '../node-controls/view.js';

export const apiserverAuthorizationRbac = defineNodeControl({
  id: 'apiserver-authorization-rbac',
  cis: '1.2.8',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: '--authorization-mode includes RBAC',
  description: 'Without the RBAC authorizer, Roles and bindings have no effect: access falls to the other authorizers (ABAC files, webhooks, AlwaysAllow), which are coarse or external.',
  remediation: 'Set --authorization-mode=Node,RBAC.',
  evaluate: (v) => listHas(v, 'apiserver', 'authorization-mode', 'RBAC'),
});
