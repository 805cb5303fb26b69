/** cert-unknown-critical-extension: critical extensions that verifiers do not understand. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certUnknownCriticalExtension = definePkiCheck({
  id: 'cert-unknown-critical-extension',
  meta: {
    title: 'Unknown critical extension',
    description: 'A verifier must reject a certificate with a critical extension it does not understand (RFC 5280 §4.2); Go does. Such a certificate fails in Kubernetes components.',
    severity: 'medium',
    messages: { unknown: 'certificate "{{cert}}" has critical extensions {{oids}} that verifiers do not understand' },
    remediation: 'Re-issue the certificate without the extension, or mark it non-critical.',
    references: { urls: ['https://www.rfc-editor.org/rfc/rfc5280#section-4.2'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'unknown'>[] = [];
    for (const item of a.material.certs) {
      if (item.cert.unknownCritical.length > 0) out.push({ messageId: 'unknown', data: { cert: item.ref.name, oids: item.cert.unknownCritical.join(', ') }, ref: item.ref });
    }
    return out;
  },
});
