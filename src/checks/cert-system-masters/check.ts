/** cert-system-masters: client certificates (and requests) in the system:masters group. */
import { carriesIdentity } from '../../engines/x509/describe.js';
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certSystemMasters = definePkiCheck({
  id: 'cert-system-masters',
  meta: {
    title: 'Client certificate in system:masters',
    description:
      'Members of system:masters bypass RBAC and every authorization webhook: a client certificate with O=system:masters is a cluster-admin that cannot be revoked short of replacing the cluster CA. kubeadm keeps it only for the break-glass super-admin.conf.',
    severity: 'high',
    messages: {
      masters: 'client certificate "{{cert}}" (user "{{user}}") is in system:masters: an unrevocable super-user until {{until}}',
      request: 'certificate request "{{cert}}" (user "{{user}}") asks for system:masters',
    },
    remediation: 'Issue admin certificates in an ordinary group bound to cluster-admin by a ClusterRoleBinding (kubeadm uses kubeadm:cluster-admins); keep a system:masters credential offline for break-glass only.',
    references: { cis: ['5.1.1'], mitre: ['T1078'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'masters' | 'request'>[] = [];
    for (const item of a.material.certs) {
      if (!carriesIdentity(item) || !item.cert.subject.o.includes('system:masters')) continue;
      out.push({ messageId: 'masters', data: { cert: item.ref.name, user: item.cert.subject.cn ?? '', until: item.cert.notAfter.toISOString().slice(0, 10) }, ref: item.ref });
    }
    for (const r of a.material.csrs) {
      if (r.csr.subject.o.includes('system:masters')) out.push({ messageId: 'request', data: { cert: r.ref.name, user: r.csr.subject.cn ?? '' }, ref: r.ref });
    }
    return out;
  },
});
