/** pki-private-key-permissions: private keys under the PKI folder have mode 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { pkiMode } from '../node-controls/templates.js';

export const pkiPrivateKeyPermissions = defineNodeControl({
  id: 'pki-private-key-permissions',
  section: 'K.4',
  component: 'files',
  severity: 'high',
  title: 'private keys under the PKI folder have mode 600 or stricter',
  description: 'A private key readable by group or others lets any local user impersonate its component, or with `ca.key` mint any cluster identity. This is the automated version of the manual CIS 1.1.21.',
  remediation: 'chmod 600 /etc/kubernetes/pki/*.key /etc/kubernetes/pki/etcd/*.key',
  evaluate: pkiMode('.key', 0o600, 'private key'),
});
