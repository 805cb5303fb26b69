/** pki-key-mismatch: a certificate and the private key stored with it do not belong together. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const pkiKeyMismatch = definePkiCheck({
  id: 'pki-key-mismatch',
  meta: {
    title: 'Certificate and private key do not match',
    description:
      'The private key stored with a certificate (X.crt / X.key, tls.crt / tls.key, client-certificate / client-key) must hold the certificate\'s public key, or the TLS handshake fails. Encrypted keys are recognised and never decrypted: for them the match is not evaluated.',
    severity: 'high',
    messages: { mismatch: 'the private key "{{key}}" does not match certificate "{{cert}}"' },
    remediation: 'Store the key that was used to create the certificate, or re-issue the certificate for the stored key.',
    references: {},
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'mismatch'>[] = [];
    for (const p of a.material.pairs) {
      const pub = p.key.key.publicKey;
      if (p.key.key.encrypted || !pub) {
        out.push({ skip: `private key ${p.key.ref.name} is encrypted; its match with ${p.cert.ref.name} is not checked`, reason: 'unsupported', ref: p.key.ref });
        continue;
      }
      if (pub.spkiSha256 !== p.cert.cert.publicKey.spkiSha256) out.push({ messageId: 'mismatch', data: { key: p.key.ref.name, cert: p.cert.ref.name }, ref: p.key.ref });
    }
    return out;
  },
});
