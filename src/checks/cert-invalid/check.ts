/** cert-invalid: certificate or key data in manifests that cannot be read. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certInvalid = definePkiCheck({
  id: 'cert-invalid',
  meta: {
    title: 'Unreadable certificate or key data',
    description:
      'A TLS Secret, kubeconfig or CertificateSigningRequest whose certificate or key data is not valid base64, PEM or DER breaks whatever uses it. In `kspect pki check` the same defects of files are input problems (exit code 2).',
    severity: 'medium',
    messages: { invalid: '{{what}}' },
    remediation: 'Replace the data with a valid PEM certificate or key (base64-encoded in `data`).',
    references: {},
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'invalid'>[] = [];
    if (a.scope !== 'local') return out;
    for (const p of a.material.problems) {
      if (p.ref) out.push({ messageId: 'invalid', data: { what: p.message.startsWith(p.ref.name) ? p.message : `${p.ref.name}: ${p.message}` }, ref: p.ref });
    }
    return out;
  },
});
