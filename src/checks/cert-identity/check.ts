/** cert-identity: the Kubernetes identity each client certificate carries (CN = user, O = groups). */
import { carriesIdentity } from '../../engines/x509/describe.js';
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certIdentity = definePkiCheck({
  id: 'cert-identity',
  meta: {
    title: 'Client certificate identity',
    description:
      'The API server authenticates a client certificate as the user in its Common Name and the groups in its Organization fields. A certificate cannot be revoked: the identity lasts until it expires. This lists every identity so that it can be reviewed against RBAC.',
    severity: 'info',
    messages: {
      identity: 'client certificate "{{cert}}" authenticates as user "{{user}}" in groups [{{groups}}] until {{until}}',
      request: 'certificate request "{{cert}}" asks for user "{{user}}" in groups [{{groups}}]',
    },
    remediation: 'Review what the user and groups may do (`kspect rbac access`); prefer short-lived certificates or tokens for people.',
    references: { urls: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'identity' | 'request'>[] = [];
    for (const item of a.material.certs) {
      if (!carriesIdentity(item)) continue;
      const c = item.cert;
      out.push({ messageId: 'identity', data: { cert: item.ref.name, user: c.subject.cn ?? '', groups: c.subject.o.join(', '), until: c.notAfter.toISOString().slice(0, 10) }, ref: item.ref });
    }
    for (const r of a.material.csrs) {
      out.push({ messageId: 'request', data: { cert: r.ref.name, user: r.csr.subject.cn ?? '', groups: r.csr.subject.o.join(', ') }, ref: r.ref });
    }
    return out;
  },
});
