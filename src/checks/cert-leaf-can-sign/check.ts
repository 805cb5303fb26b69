/** cert-leaf-can-sign: non-CA certificates with the keyCertSign or cRLSign key usage. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certLeafCanSign = definePkiCheck({
  id: 'cert-leaf-can-sign',
  meta: {
    title: 'Leaf certificate that can sign',
    description:
      'A certificate that is not a CA but carries the keyCertSign or cRLSign key usage is mis-issued: lax verifiers have accepted such certificates as issuers, and it shows the issuing process does not control usages.',
    severity: 'high',
    messages: { sign: 'certificate "{{cert}}" is not a CA but has the key usage {{usage}}' },
    remediation: 'Re-issue the certificate with the usages of its role only (digitalSignature, keyEncipherment for RSA).',
    references: { urls: ['https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'sign'>[] = [];
    for (const item of a.material.certs) {
      const ku = item.cert.keyUsage;
      if (item.cert.isCA || !ku) continue;
      const sign = ku.filter((u) => u === 'keyCertSign' || u === 'cRLSign');
      if (sign.length > 0) out.push({ messageId: 'sign', data: { cert: item.ref.name, usage: sign.join(' and ') }, ref: item.ref });
    }
    return out;
  },
});
