/** cert-expired: certificates past their notAfter date. */
import { counted } from '../../core/text.js';
import { definePkiCheck, day, type PkiOutcome } from '../support/pki-check.js';

export const certExpired = definePkiCheck({
  id: 'cert-expired',
  meta: {
    title: 'Certificate expired',
    description:
      'An expired certificate is refused by every TLS peer: an expired API server, etcd or kubelet certificate takes the cluster down, an expired CA invalidates everything it signed, and an expired client certificate locks its user out.',
    severity: 'high',
    messages: {
      expired: 'certificate "{{cert}}" ({{subject}}) expired on {{date}}, {{ago}}',
      expiredCa: 'CA certificate "{{cert}}" ({{subject}}) expired on {{date}}, {{ago}}: everything it signed is invalid',
    },
    remediation: 'Renew the certificate (`kubeadm certs renew <name>` for kubeadm certificates, or `kspect pki issue`), then restart the components that use it.',
    references: { urls: ['https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'expired' | 'expiredCa'>[] = [];
    for (const item of a.material.certs) {
      const c = item.cert;
      if (a.now.getTime() <= c.notAfter.getTime()) continue;
      const days = Math.floor((a.now.getTime() - c.notAfter.getTime()) / 86_400_000);
      const data = { cert: item.ref.name, subject: c.subject.text, date: day(c.notAfter), ago: days === 0 ? 'less than a day ago' : `${counted(days, 'day')} ago` };
      out.push(c.isCA ? { messageId: 'expiredCa', data, ref: item.ref, severity: 'critical' } : { messageId: 'expired', data, ref: item.ref });
    }
    return out;
  },
});
