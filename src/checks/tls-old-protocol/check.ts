/** tls-old-protocol: endpoints that accept TLS 1.0 or 1.1. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const tlsOldProtocol = definePkiCheck({
  id: 'tls-old-protocol',
  meta: {
    title: 'Endpoint accepts TLS below 1.2',
    description: 'TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and MD5 in the handshake and allow downgrade attacks. Kubernetes components should set --tls-min-version=VersionTLS12.',
    severity: 'high',
    messages: { old: 'endpoint {{endpoint}} accepts {{versions}}' },
    remediation: 'Set --tls-min-version=VersionTLS12 (or VersionTLS13) on the component, or the equivalent in its configuration.',
    references: { urls: ['https://www.rfc-editor.org/rfc/rfc8996'] },
    recommended: true,
  },
  manifests: false,
  evaluate(a) {
    const out: PkiOutcome<'old'>[] = [];
    for (const e of a.material.endpoints) {
      const old = (['TLSv1', 'TLSv1.1'] as const).filter((v) => e.probe.protocols[v].accepted);
      if (old.length > 0) out.push({ messageId: 'old', data: { endpoint: e.ref.source.uri, versions: old.map((v) => (v === 'TLSv1' ? 'TLS 1.0' : 'TLS 1.1')).join(' and ') }, ref: { ...e.ref, path: 'protocols' } });
    }
    return out;
  },
});
