/** cni-file-owner: CIS 1.1.10 — CNI configuration files are owned by root:root (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { cniFiles } from '../node-controls/templates.js';
import { ownerIs } from '../node-controls/view.js';

export const cniFileOwner = defineNodeControl({
  id: 'cni-file-owner',
  cis: '1.1.10',
  section: '1.1',
  component: 'files',
  automated: false,
  severity: 'medium',
  title: 'CNI configuration files are owned by root:root',
  description: 'Whoever owns the CNI configuration can change how pods are connected to the network. CIS lists this check as manual because the folder depends on the network plugin.',
  remediation: 'chown root:root the files of the CNI configuration folder (/etc/cni/net.d)',
  evaluate: cniFiles((v, p) => ownerIs(v, p, 'root', 'root', 'CNI configuration file')),
});
