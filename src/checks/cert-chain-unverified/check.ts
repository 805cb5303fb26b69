/** cert-chain-unverified: certificates that do not chain to a trusted CA through the known intermediates. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certChainUnverified = definePkiCheck({
  id: 'cert-chain-unverified',
  meta: {
    title: 'Certificate chain does not verify',
    description:
      'kspect builds the certification path of each certificate to the trust anchors (`--ca`, else the self-signed CAs among the inputs; in scan, a Secret\'s ca.crt or a kubeconfig\'s CA data) through every intermediate it knows, trying each candidate issuer. A certificate without such a path is refused by its peers: wrong CA, missing intermediate, broken signature, expired intermediate, or an issuer that is not a CA.',
    severity: 'high',
    messages: { broken: 'certificate "{{cert}}" ({{subject}}) does not chain to a trusted CA: {{reason}}' },
    remediation: 'Serve the full chain (leaf then intermediates), sign with the CA the peers trust, or give the right bundle with --ca.',
    references: { urls: ['https://www.rfc-editor.org/rfc/rfc5280#section-6'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'broken'>[] = [];
    const certs = a.material.certs.filter((i) => !(i.origin === 'endpoint' && i.index > 0));
    if (a.scope === 'global' && a.anchors.length === 0 && certs.some((c) => !c.localAnchors)) {
      out.push({ skip: 'no CA certificate among the inputs and no --ca bundle: chains not verified', reason: 'missing-input' });
    }
    for (const item of certs) {
      if (a.isAnchor(item)) continue;
      const r = a.chainOf(item);
      if (r && !r.ok) out.push({ messageId: 'broken', data: { cert: item.ref.name, subject: item.cert.subject.text, reason: r.reason }, ref: item.ref });
    }
    return out;
  },
});
