/** tls-hostname-mismatch: the served certificate does not name the host it was reached by. */
import { certMatchesHost, hostnameMatches, sanList } from '../../engines/x509/describe.js';
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const tlsHostnameMismatch = definePkiCheck({
  id: 'tls-hostname-mismatch',
  meta: {
    title: 'Served certificate does not match the host',
    description: 'A client that verifies the server (as every Kubernetes component does) refuses a certificate whose SANs do not name the host or IP it connected to. The Common Name is not considered, as in Go.',
    severity: 'high',
    messages: {
      mismatch: 'endpoint {{endpoint}} serves "{{subject}}" whose SANs ({{sans}}) do not match {{host}}',
      ingress: 'certificate "{{cert}}" is served for {{hosts}} (Ingress spec.tls) but its SANs ({{sans}}) do not match',
    },
    remediation: 'Serve a certificate whose SANs include the host name or IP address clients use.',
    references: { urls: ['https://www.rfc-editor.org/rfc/rfc6125'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'mismatch' | 'ingress'>[] = [];
    for (const item of a.material.certs) {
      if (!item.servedHosts || item.origin === 'endpoint') continue;
      const bad = item.servedHosts.filter((h) => !certMatchesHost(item.cert, h));
      if (bad.length > 0) out.push({ messageId: 'ingress', data: { cert: item.ref.name, hosts: bad.join(', '), sans: sanList(item.cert).join(', ') || 'none' }, ref: item.ref });
    }
    for (const e of a.material.endpoints) {
      const leaf = e.chain[0];
      if (!leaf || hostnameMatches(e) !== false) continue;
      out.push({ messageId: 'mismatch', data: { endpoint: e.ref.source.uri, subject: leaf.cert.subject.text, sans: sanList(leaf.cert).join(', ') || 'none', host: e.probe.host }, ref: leaf.ref });
    }
    return out;
  },
});
