/** pki-sa-key-mismatch: the service-account signing key and verification key do not match. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const pkiSaKeyMismatch = definePkiCheck({
  id: 'pki-sa-key-mismatch',
  meta: {
    title: 'Service-account key pair does not match',
    description:
      'The controller-manager signs service-account tokens with sa.key and the API server verifies them with sa.pub. If they do not match, every token is refused; if sa.pub holds an unrelated key, whoever holds its private half can mint tokens for any service account.',
    severity: 'high',
    messages: {
      mismatch: 'service-account public key "{{pub}}" does not match the signing key "{{key}}"',
      weak: 'service-account key "{{key}}" is {{what}}',
    },
    remediation: 'Regenerate the pair (`kubeadm init phase certs sa`) or copy the matching sa.pub, then restart kube-apiserver and kube-controller-manager.',
    references: { cis: ['1.2.22', '1.3.4'] },
    recommended: true,
  },
  manifests: false,
  evaluate(a) {
    const out: PkiOutcome<'mismatch' | 'weak'>[] = [];
    const keys = a.material.keys.filter((k) => k.serviceAccount);
    const pubs = a.material.publicKeys.filter((k) => k.serviceAccount);
    for (const k of keys) {
      if (k.key.encrypted || !k.key.publicKey) {
        out.push({ skip: `service-account key ${k.ref.name} is encrypted; not compared`, reason: 'unsupported', ref: k.ref });
        continue;
      }
      for (const p of pubs) {
        if (p.key.spkiSha256 !== k.key.publicKey.spkiSha256) out.push({ messageId: 'mismatch', data: { pub: p.ref.name, key: k.ref.name }, ref: p.ref });
      }
    }
    return out;
  },
});
