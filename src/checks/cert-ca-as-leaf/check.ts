/** cert-ca-as-leaf: CA certificates used where a leaf belongs. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certCaAsLeaf = definePkiCheck({
  id: 'cert-ca-as-leaf',
  meta: {
    title: 'CA certificate used as a leaf',
    description:
      'A certificate with basicConstraints CA:TRUE served by an endpoint, presented as a client certificate or stored as tls.crt can sign other certificates: its private key, which sits on a server, is a CA key. Whoever steals it can mint any identity the CA is trusted for.',
    severity: 'high',
    messages: { ca: 'certificate "{{cert}}" ({{subject}}) is a CA (CA:TRUE) but is used as a {{role}} certificate' },
    remediation: 'Issue a dedicated leaf certificate (CA:FALSE) from the CA and keep the CA key offline or on the control plane only.',
    references: {},
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'ca'>[] = [];
    for (const item of a.material.certs) {
      if (item.slot !== 'leaf' || !item.cert.isCA) continue;
      out.push({ messageId: 'ca', data: { cert: item.ref.name, subject: item.cert.subject.text, role: item.role === 'unknown' || item.role === 'ca' ? 'leaf' : item.role }, ref: item.ref });
    }
    return out;
  },
});
