/** cert-key-usage: key usages and extended key usages that do not fit the certificate's role. */
import { requiredEku } from '../../engines/x509/roles.js';
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

type M = 'missingEku' | 'noEku' | 'noDigitalSignature' | 'caNoCertSign';

export const certKeyUsage = definePkiCheck({
  id: 'cert-key-usage',
  meta: {
    title: 'Key usage wrong for the role',
    description:
      'A server certificate needs the serverAuth extended key usage, a client certificate clientAuth, a peer (etcd) certificate both. A certificate without them is refused in its role, and one without any extended key usage is valid for every purpose. A CA needs keyCertSign.',
    severity: 'medium',
    messages: {
      missingEku: '{{role}} certificate "{{cert}}" lacks the extended key usage {{missing}} (has {{has}})',
      noEku: '{{role}} certificate "{{cert}}" has no extended key usage: it is valid for every purpose',
      noDigitalSignature: '{{role}} certificate "{{cert}}" has key usages {{has}} without digitalSignature{{rsa}}',
      caNoCertSign: 'CA certificate "{{cert}}" has key usages {{has}} without keyCertSign: it cannot sign certificates',
    },
    remediation: 'Re-issue with the usages of the role: server → serverAuth, client → clientAuth, peer → both, all with digitalSignature (`kspect pki issue --role ...` does this).',
    references: { urls: ['https://kubernetes.io/docs/setup/best-practices/certificates/'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<M>[] = [];
    for (const item of a.material.certs) {
      const c = item.cert;
      const data = { cert: item.ref.name, role: item.role, has: (c.extKeyUsage ?? c.keyUsage ?? []).join(', ') || 'none' };
      if (item.role === 'ca' || (c.isCA && item.slot !== 'leaf')) {
        if (c.keyUsage && !c.keyUsage.includes('keyCertSign')) out.push({ messageId: 'caNoCertSign', data: { ...data, has: c.keyUsage.join(', ') }, ref: item.ref });
        continue;
      }
      const need = requiredEku(item.role);
      if (need.length === 0) continue;
      if (c.extKeyUsage === undefined) out.push({ messageId: 'noEku', data, ref: item.ref });
      else if (!c.extKeyUsage.includes('anyExtendedKeyUsage')) {
        const missing = need.filter((u) => !c.extKeyUsage?.includes(u));
        if (missing.length > 0) out.push({ messageId: 'missingEku', data: { ...data, missing: missing.join(' and ') }, ref: item.ref });
      }
      const rsa = c.publicKey.type === 'rsa';
      if (c.keyUsage && !c.keyUsage.includes('digitalSignature') && !(rsa && c.keyUsage.includes('keyEncipherment'))) {
        out.push({ messageId: 'noDigitalSignature', data: { ...data, has: c.keyUsage.join(', ') || 'none', rsa: rsa ? ' or keyEncipherment' : '' }, ref: item.ref });
      }
    }
    return out;
  },
});
