/** admin-kubeconfig-permissions: CIS 1.1.13 — admin.conf and super-admin.conf have mode 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { adminConfsMode } from '../node-controls/templates.js';

export const adminKubeconfigPermissions = defineNodeControl({
  id: 'admin-kubeconfig-permissions',
  cis: '1.1.13',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'admin.conf and super-admin.conf have mode 600 or stricter',
  description: '`admin.conf` holds a client certificate of the `kubeadm:cluster-admins` group and `super-admin.conf` one of `system:masters`: cluster-admin that RBAC cannot take away. Anyone who can read either file owns the cluster.',
  remediation: 'chmod 600 /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf',
  evaluate: adminConfsMode(0o600),
});
