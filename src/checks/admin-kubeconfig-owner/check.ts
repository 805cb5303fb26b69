/** admin-kubeconfig-owner: CIS 1.1.14 — admin.conf and super-admin.conf are owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { adminConfsOwner } from '../node-controls/templates.js';

export const adminKubeconfigOwner = defineNodeControl({
  id: 'admin-kubeconfig-owner',
  cis: '1.1.14',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'admin.conf and super-admin.conf are owned by root:root',
  description: 'The owner of an admin kubeconfig can read its cluster-admin credentials whatever its mode. Only root should own them.',
  remediation: 'chown root:root /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf',
  evaluate: adminConfsOwner('root', 'root'),
});
