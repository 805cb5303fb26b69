/** cert-ca-validity-long: CA certificates valid for more than 10 years. */
import { definePkiCheck, parseOptions, type PkiOutcome } from '../support/pki-check.js';

export interface CaValidityOptions extends Record<string, number> {
  readonly years: number;
}

export const certCaValidityLong = definePkiCheck<'long', CaValidityOptions>({
  id: 'cert-ca-validity-long',
  meta: {
    title: 'CA valid for too long',
    description: 'A cluster CA cannot be revoked: its key is trusted for as long as the certificate lives. kubeadm issues CAs for 10 years; longer lifetimes extend the exposure of a stolen CA key.',
    severity: 'low',
    messages: { long: 'CA certificate "{{cert}}" is valid for {{years}} years (until {{until}}), over {{max}}' },
    remediation: 'Plan a CA rotation and issue CAs for at most 10 years.',
    references: { urls: ['https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/'] },
    recommended: true,
    options: { defaults: { years: 10 }, parse: (v) => parseOptions({ years: 10 }, v), docs: { years: 'longest acceptable CA lifetime in years (10)' } },
  },
  evaluate(a, o) {
    const out: PkiOutcome<'long'>[] = [];
    for (const item of a.material.certs) {
      const c = item.cert;
      if (!c.isCA) continue;
      const days = (c.notAfter.getTime() - c.notBefore.getTime()) / 86_400_000;
      // Leap days and kubeadm's few minutes of back-dating stay within the limit.
      if (days > o.years * 365.25 + 2) out.push({ messageId: 'long', data: { cert: item.ref.name, years: (days / 365.25).toFixed(1), until: c.notAfter.toISOString().slice(0, 10), max: o.years }, ref: item.ref });
    }
    return out;
  },
});
