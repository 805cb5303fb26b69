/** pki-key-file-permissions: CIS 1.1.21 — PKI keys have mode 600 (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { pkiMode } from '../node-controls/templates.js';

export const pkiKeyFilePermissions = defineNodeControl({
  id: 'pki-key-file-permissions',
  cis: '1.1.21',
  section: '1.1',
  component: 'files',
  automated: false,
  severity: 'medium',
  title: 'PKI keys have mode 600',
  description: 'A private key readable beyond root lets any local user impersonate the component it belongs to, or with the CA key mint any identity. CIS lists this check as manual; `pki-private-key-permissions` is kspect\'s automated check of the same files. (Its id is not `pki-key-permissions`: that id is the `kspect pki check` check of key files.)',
  remediation: 'chmod 600 /etc/kubernetes/pki/*.key',
  evaluate: pkiMode('.key', 0o600, 'private key'),
});
