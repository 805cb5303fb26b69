/** cert-weak-signature: certificates signed with SHA-1, MD5, MD4 or MD2. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

const WEAK = new Set(['SHA-1', 'MD5', 'MD4', 'MD2']);

export const certWeakSignature = definePkiCheck({
  id: 'cert-weak-signature',
  meta: {
    title: 'Weak signature algorithm',
    description:
      'SHA-1 and MD5 signatures can be forged by chosen-prefix collisions: a certificate signed with them proves nothing. Go (and so Kubernetes) refuses SHA-1 signed certificates since Go 1.18. The self-signature of a trust anchor is not relied upon and is not reported.',
    severity: 'high',
    messages: { weak: 'certificate "{{cert}}" is signed with {{algorithm}}' },
    remediation: 'Re-issue the certificate with a SHA-256 (or stronger) signature.',
    references: { urls: ['https://shattered.io/', 'https://go.dev/doc/go1.18#sha1'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'weak'>[] = [];
    for (const item of a.material.certs) {
      const h = item.cert.signature.hash;
      if (h === undefined || !WEAK.has(h)) continue;
      if (item.cert.selfSigned && item.cert.isCA && a.isAnchor(item)) continue;
      out.push({ messageId: 'weak', data: { cert: item.ref.name, algorithm: item.cert.signature.name }, ref: item.ref });
    }
    return out;
  },
});
