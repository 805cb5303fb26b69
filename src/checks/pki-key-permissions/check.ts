/** pki-key-permissions: private key files readable by group or others. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const pkiKeyPermissions = definePkiCheck({
  id: 'pki-key-permissions',
  meta: {
    title: 'Private key file readable by others',
    description: 'A private key file readable by its group or by everyone can be copied by any local user or compromised process, who can then impersonate the component or, for a CA key, mint any identity. Applies to files read by `kspect pki check`.',
    severity: 'high',
    messages: { mode: 'private key file "{{key}}" has mode {{mode}}: readable beyond its owner' },
    remediation: 'chmod 600 the key file (kubeadm writes keys with mode 600).',
    references: { cis: ['1.1.21'] },
    recommended: true,
  },
  manifests: false,
  evaluate(a) {
    const out: PkiOutcome<'mode'>[] = [];
    for (const k of a.material.keys) {
      if (k.mode === undefined || (k.mode & 0o077) === 0) continue;
      out.push({ messageId: 'mode', data: { key: k.ref.name, mode: `0${(k.mode & 0o777).toString(8)}` }, ref: k.ref });
    }
    return out;
  },
});
