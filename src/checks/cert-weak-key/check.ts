/** cert-weak-key: RSA keys under 2048 bits, EC keys under P-256, DSA keys. */
import type { PublicKeyInfo } from '../../engines/x509/cert.js';
import type { ItemRef } from '../../engines/x509/material.js';
import { definePkiCheck, parseOptions, type PkiOutcome } from '../support/pki-check.js';

export interface WeakKeyOptions extends Record<string, number> {
  readonly minRsaBits: number;
  readonly minEcBits: number;
}

const DEFAULTS: WeakKeyOptions = { minRsaBits: 2048, minEcBits: 256 };

export function weakness(k: PublicKeyInfo, o: WeakKeyOptions): string | undefined {
  if ((k.type === 'rsa' || k.type === 'rsa-pss') && (k.bits ?? 0) < o.minRsaBits) return `RSA ${k.bits ?? '?'} bits (minimum ${o.minRsaBits})`;
  if (k.type === 'ec' && (k.bits ?? 0) < o.minEcBits) return `EC curve ${k.curve ?? '?'} of ${k.bits ?? '?'} bits (minimum ${o.minEcBits})`;
  if (k.type === 'dsa') return `DSA ${k.bits ?? '?'} bits (DSA is deprecated and refused by Go's TLS)`;
  return undefined;
}

export const certWeakKey = definePkiCheck<'cert' | 'key' | 'csr', WeakKeyOptions>({
  id: 'cert-weak-key',
  meta: {
    title: 'Weak key',
    description: 'RSA keys under 2048 bits and elliptic curves under 256 bits can be broken or are refused by current TLS stacks; DSA is deprecated. A weak CA key lets an attacker forge any certificate of the cluster.',
    severity: 'high',
    messages: {
      cert: 'certificate "{{cert}}" has a weak key: {{weakness}}',
      key: 'private key "{{cert}}" is weak: {{weakness}}',
      csr: 'certificate request "{{cert}}" has a weak key: {{weakness}}',
    },
    remediation: 'Re-issue with an ECDSA P-256 (or larger) or RSA 2048+ key: `kspect pki issue --key ecdsa-p256 ...`.',
    references: { urls: ['https://csrc.nist.gov/pubs/sp/800/131/a/r2/final'] },
    recommended: true,
    options: { defaults: DEFAULTS, parse: (v) => parseOptions(DEFAULTS, v), docs: { minRsaBits: 'smallest acceptable RSA modulus (2048)', minEcBits: 'smallest acceptable EC curve size (256)' } },
  },
  evaluate(a, o) {
    const out: PkiOutcome<'cert' | 'key' | 'csr'>[] = [];
    const push = (id: 'cert' | 'key' | 'csr', k: PublicKeyInfo | undefined, ref: ItemRef): void => {
      const w = k ? weakness(k, o) : undefined;
      if (w !== undefined) out.push({ messageId: id, data: { cert: ref.name, weakness: w }, ref });
    };
    for (const item of a.material.certs) push('cert', item.cert.publicKey, item.ref);
    const paired = new Set(a.material.pairs.map((p) => p.key));
    for (const k of a.material.keys) if (!paired.has(k)) push('key', k.key.publicKey, k.ref);
    for (const k of a.material.publicKeys) push('key', k.key, k.ref);
    for (const c of a.material.csrs) push('csr', c.csr.publicKey, c.ref);
    return out;
  },
});
