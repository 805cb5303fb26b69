/** cni-file-permissions: CIS 1.1.9 — CNI configuration files have mode 600 or stricter (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { cniFiles } from '../node-controls/templates.js';
import { modeAtMost } from '../node-controls/view.js';

export const cniFilePermissions = defineNodeControl({
  id: 'cni-file-permissions',
  cis: '1.1.9',
  section: '1.1',
  component: 'files',
  automated: false,
  severity: 'medium',
  title: 'CNI configuration files have mode 600 or stricter',
  description: 'The CNI configuration in `/etc/cni/net.d` decides how every pod is wired to the network; a writable file lets a local user re-route or sniff pod traffic. CIS lists this check as manual because the folder depends on the network plugin.',
  remediation: 'chmod 600 the files of the CNI configuration folder (/etc/cni/net.d)',
  evaluate: cniFiles((v, p) => modeAtMost(v, p, 0o600, 'CNI configuration file')),
});
