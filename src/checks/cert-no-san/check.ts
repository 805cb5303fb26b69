/** cert-no-san: serving certificates without a subjectAltName. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certNoSan = definePkiCheck({
  id: 'cert-no-san',
  meta: {
    title: 'Serving certificate without SANs',
    description:
      'Since Go 1.15, Kubernetes components ignore the Common Name when matching a host name: a serving certificate without subjectAltName entries matches no host at all. Client certificates need none and are not reported.',
    severity: 'medium',
    messages: { none: 'certificate "{{cert}}" ({{subject}}) has no subjectAltName: it matches no host name' },
    remediation: 'Re-issue the certificate with DNS and IP SANs for every name it serves: `kspect pki issue --role server --san DNS:name --san IP:addr ...`.',
    references: { urls: ['https://go.dev/doc/go1.15#commonname'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'none'>[] = [];
    for (const item of a.material.certs) {
      const c = item.cert;
      if (c.isCA || item.role === 'ca' || item.role === 'client') continue;
      const eku = c.extKeyUsage;
      const serving = item.role === 'server' || item.role === 'peer' || (eku !== undefined && eku.includes('serverAuth'));
      if (!serving) continue;
      const n = c.sans.dns.length + c.sans.ip.length + c.sans.uri.length + c.sans.email.length;
      if (n === 0) out.push({ messageId: 'none', data: { cert: item.ref.name, subject: c.subject.text }, ref: item.ref });
    }
    return out;
  },
});
