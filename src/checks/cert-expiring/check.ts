/** cert-expiring: certificates that expire within a threshold (default 30 days). */
import { counted } from '../../core/text.js';
import { definePkiCheck, day, parseOptions, type PkiOutcome } from '../support/pki-check.js';

export interface CertExpiringOptions extends Record<string, number> {
  readonly days: number;
}

export const certExpiring = definePkiCheck<'expiring', CertExpiringOptions>({
  id: 'cert-expiring',
  meta: {
    title: 'Certificate expires soon',
    description: 'A certificate that expires within the threshold needs renewing now: kubeadm certificates live one year, and an unnoticed expiry takes the control plane down.',
    severity: 'medium',
    messages: { expiring: 'certificate "{{cert}}" ({{subject}}) expires on {{date}}, {{when}}' },
    remediation: 'Renew the certificate before it expires (`kubeadm certs renew`, cert-manager, or `kspect pki issue`) and automate renewal.',
    references: { urls: ['https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/'] },
    recommended: true,
    options: {
      defaults: { days: 30 },
      parse: (v) => parseOptions({ days: 30 }, v),
      docs: { days: 'report certificates that expire within this many days (30)' },
    },
  },
  evaluate(a, options) {
    const out: PkiOutcome<'expiring'>[] = [];
    const limit = a.now.getTime() + options.days * 86_400_000;
    for (const item of a.material.certs) {
      const end = item.cert.notAfter.getTime();
      if (end < a.now.getTime() || end > limit) continue;
      out.push({ messageId: 'expiring', data: { cert: item.ref.name, subject: item.cert.subject.text, date: day(item.cert.notAfter), when: inDays(Math.floor((end - a.now.getTime()) / 86_400_000)) }, ref: item.ref });
    }
    return out;
  },
});

/** `in 3 days`, `in 1 day`, `in less than a day` (the day count is whole days left). */
function inDays(days: number): string {
  return days <= 0 ? 'in less than a day' : `in ${counted(days, 'day')}`;
}
