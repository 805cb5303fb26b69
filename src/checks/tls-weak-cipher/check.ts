/** tls-weak-cipher: endpoints that accept insecure cipher suites, or suites without forward secrecy. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

/** Classify an OpenSSL cipher suite name. */
export function cipherWeakness(name: string): 'insecure' | 'no-forward-secrecy' | undefined {
  const n = name.toUpperCase();
  if (/(^|-)NULL(-|$)|^ADH-|^AECDH-|EXP|RC4|(^|-)DES(-|$)|DES-CBC3|3DES|MD5|IDEA|RC2|SEED/.test(n)) return 'insecure';
  if (n.startsWith('TLS_')) return undefined; // TLS 1.3 suites: all AEAD with ephemeral key exchange
  if (!/^(ECDHE|DHE)-/.test(n)) return 'no-forward-secrecy';
  return undefined;
}

export const tlsWeakCipher = definePkiCheck({
  id: 'tls-weak-cipher',
  meta: {
    title: 'Endpoint accepts weak cipher suites',
    description:
      'NULL, anonymous, export, RC4, DES/3DES, IDEA, SEED and MD5 suites give no or broken confidentiality or authentication. Suites with static RSA or PSK key exchange have no forward secrecy: a later theft of the key decrypts recorded traffic.',
    severity: 'high',
    messages: {
      insecure: 'endpoint {{endpoint}} accepts insecure cipher suites: {{ciphers}}',
      nofs: 'endpoint {{endpoint}} accepts cipher suites without forward secrecy: {{ciphers}}',
    },
    remediation: 'Restrict --tls-cipher-suites to ECDHE AEAD suites (e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, and their AES-256/CHACHA20 variants).',
    references: { cis: ['1.2.29', '4.2.12'] },
    recommended: true,
  },
  manifests: false,
  evaluate(a) {
    const out: PkiOutcome<'insecure' | 'nofs'>[] = [];
    for (const e of a.material.endpoints) {
      const names = (w: string): string[] => [...new Set(e.probe.ciphers.filter((c) => cipherWeakness(c.name) === w).map((c) => c.name))];
      const bad = names('insecure');
      const nofs = names('no-forward-secrecy');
      if (bad.length > 0) out.push({ messageId: 'insecure', data: { endpoint: e.ref.source.uri, ciphers: bad.join(', ') }, ref: { ...e.ref, path: 'ciphers' } });
      if (nofs.length > 0) out.push({ messageId: 'nofs', data: { endpoint: e.ref.source.uri, ciphers: nofs.join(', ') }, ref: { ...e.ref, path: 'ciphers' }, severity: 'medium' });
    }
    return out;
  },
});
