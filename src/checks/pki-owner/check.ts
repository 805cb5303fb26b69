/** pki-owner: CIS 1.1.19 — the PKI folder and its files are owned by root:root. */
import { defineNodeControl } from '../node-controls/define.js';
import { pkiEntriesOwner } from '../node-controls/templates.js';

export const pkiOwner = defineNodeControl({
  id: 'pki-owner',
  cis: '1.1.19',
  section: '1.1',
  component: 'files',
  severity: 'medium',
  title: 'the PKI folder and its files are owned by root:root',
  description: '`/etc/kubernetes/pki` holds the cluster CA keys, the service-account signing key and every component\'s key. Whoever owns an entry can read or replace it, and with the CA key mint any identity.',
  remediation: 'chown -R root:root /etc/kubernetes/pki/',
  evaluate: pkiEntriesOwner('root', 'root'),
});
