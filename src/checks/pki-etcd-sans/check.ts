/** pki-etcd-sans: etcd server and peer certificates without the names they are reached by. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const pkiEtcdSans = definePkiCheck({
  id: 'pki-etcd-sans',
  meta: {
    title: 'etcd certificate lacks expected SANs',
    description:
      'The API server and etcdctl reach a kubeadm etcd at https://127.0.0.1:2379 or by localhost, so etcd/server.crt needs DNS:localhost and IP:127.0.0.1; etcd members reach each other by IP address, so etcd/peer.crt needs the member\'s IP.',
    severity: 'medium',
    messages: {
      server: 'etcd server certificate "{{cert}}" lacks the SANs {{missing}}',
      peer: 'etcd peer certificate "{{cert}}" has no IP address SAN: peers reach each other by IP',
    },
    remediation: 'Re-issue the etcd certificates with `kubeadm init phase certs etcd-server` / `etcd-peer` (with --apiserver-advertise-address) or add the SANs.',
    references: { urls: ['https://kubernetes.io/docs/setup/best-practices/certificates/#all-certificates'] },
    recommended: true,
  },
  manifests: false,
  evaluate(a) {
    const out: PkiOutcome<'server' | 'peer'>[] = [];
    for (const item of a.material.certs) {
      if (item.kubeadmName === 'etcd-server') {
        const missing = [...(item.cert.sans.dns.includes('localhost') ? [] : ['DNS:localhost']), ...(item.cert.sans.ip.includes('127.0.0.1') ? [] : ['IP:127.0.0.1'])];
        if (missing.length > 0) out.push({ messageId: 'server', data: { cert: item.ref.name, missing: missing.join(', ') }, ref: item.ref });
      } else if (item.kubeadmName === 'etcd-peer' && item.cert.sans.ip.length === 0) {
        out.push({ messageId: 'peer', data: { cert: item.ref.name }, ref: item.ref });
      }
    }
    return out;
  },
});
