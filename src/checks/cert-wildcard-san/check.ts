/** cert-wildcard-san: wildcard DNS SANs other than a single leftmost label. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

/** RFC 6125 §6.4.3 as Go applies it: `*` alone as the whole leftmost label, and at least two labels after it. */
export function badWildcard(name: string): string | undefined {
  if (!name.includes('*')) return undefined;
  const labels = name.split('.');
  if (labels[0] !== '*') return 'the wildcard is not the whole leftmost label';
  if (labels.slice(1).some((l) => l.includes('*'))) return 'more than one wildcard label';
  if (labels.length < 3) return 'the wildcard covers a whole top-level domain';
  return undefined;
}

export const certWildcardSan = definePkiCheck({
  id: 'cert-wildcard-san',
  meta: {
    title: 'Malformed or over-broad wildcard SAN',
    description:
      'A wildcard must be the whole leftmost label (`*.example.com`). Partial wildcards (`f*o.example.com`), inner wildcards (`a.*.example.com`) and wildcards over a top-level domain (`*.com`, `*`) are refused by Go and browsers, or match far more hosts than intended.',
    severity: 'medium',
    messages: { bad: 'certificate "{{cert}}" has the wildcard SAN "{{san}}": {{why}}' },
    remediation: 'Use a single leftmost `*.` label under a registered domain, or list the host names explicitly.',
    references: { urls: ['https://www.rfc-editor.org/rfc/rfc6125#section-6.4.3'] },
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'bad'>[] = [];
    for (const item of a.material.certs) {
      for (const san of item.cert.sans.dns) {
        const why = badWildcard(san);
        if (why !== undefined) out.push({ messageId: 'bad', data: { cert: item.ref.name, san, why }, ref: item.ref });
      }
    }
    return out;
  },
});
