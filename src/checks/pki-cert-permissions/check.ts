/** pki-cert-permissions: CIS 1.1.20 — PKI certificates have mode 644 or stricter (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { pkiMode } from '../node-controls/templates.js';

export const pkiCertPermissions = defineNodeControl({
  id: 'pki-cert-permissions',
  cis: '1.1.20',
  section: '1.1',
  component: 'files',
  automated: false,
  severity: 'medium',
  title: 'PKI certificates have mode 644 or stricter',
  description: 'Certificates are public, but a writable certificate can be swapped for one of an attacker\'s CA. CIS lists this check as manual.',
  remediation: 'chmod 644 /etc/kubernetes/pki/*.crt',
  evaluate: pkiMode('.crt', 0o644, 'certificate'),
});
