/** kubelet-config-permissions: CIS 4.1.9 — the kubelet config file has mode 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletConfigFile } from '../node-controls/templates.js';
import { modeAtMost } from '../node-controls/view.js';

export const kubeletConfigPermissions = defineNodeControl({
  id: 'kubelet-config-permissions',
  cis: '4.1.9',
  section: '4.1',
  component: 'files',
  severity: 'medium',
  title: 'the kubelet config file has mode 600 or stricter',
  description: 'The kubelet config file decides authentication, authorization and the read-only port. Whoever can write it can turn them off at the next kubelet restart.',
  remediation: 'chmod 600 /var/lib/kubelet/config.yaml',
  evaluate: kubeletConfigFile((v, p) => modeAtMost(v, p, 0o600, 'kubelet config')),
});
