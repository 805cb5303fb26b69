/** cert-validity-long: leaf certificates valid for longer than a threshold (default 398 days). */
import { counted } from '../../core/text.js';
import { definePkiCheck, parseOptions, type PkiOutcome } from '../support/pki-check.js';

export interface ValidityOptions extends Record<string, number> {
  readonly days: number;
}

export const certValidityLong = definePkiCheck<'long', ValidityOptions>({
  id: 'cert-validity-long',
  meta: {
    title: 'Leaf certificate valid for too long',
    description: 'A leaf certificate cannot be revoked in Kubernetes: a stolen client or server key stays usable until the certificate expires. kubeadm issues leaves for one year; public CAs for at most 398 days.',
    severity: 'low',
    messages: { long: 'certificate "{{cert}}" is valid for {{days}} (until {{until}}), over {{max}}' },
    remediation: 'Issue leaf certificates for a year or less and automate their renewal.',
    references: { urls: ['https://cabforum.org/working-groups/server/baseline-requirements/'] },
    recommended: true,
    options: { defaults: { days: 398 }, parse: (v) => parseOptions({ days: 398 }, v), docs: { days: 'longest acceptable leaf lifetime in days (398)' } },
  },
  evaluate(a, o) {
    const out: PkiOutcome<'long'>[] = [];
    for (const item of a.material.certs) {
      const c = item.cert;
      if (c.isCA) continue;
      const days = Math.floor((c.notAfter.getTime() - c.notBefore.getTime()) / 86_400_000);
      if (days > o.days) out.push({ messageId: 'long', data: { cert: item.ref.name, days: counted(days, 'day'), until: c.notAfter.toISOString().slice(0, 10), max: o.days }, ref: item.ref });
    }
    return out;
  },
});
