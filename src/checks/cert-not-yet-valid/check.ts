/** cert-not-yet-valid: certificates whose notBefore is in the future. */
import { definePkiCheck, type PkiOutcome } from '../support/pki-check.js';

export const certNotYetValid = definePkiCheck({
  id: 'cert-not-yet-valid',
  meta: {
    title: 'Certificate not yet valid',
    description: 'A certificate whose notBefore lies in the future is refused by TLS peers until then: usually a clock skew between the machine that issued it and the one that uses it.',
    severity: 'medium',
    messages: { future: 'certificate "{{cert}}" ({{subject}}) is not valid before {{date}}' },
    remediation: 'Check the clocks (NTP) of the issuing machine and of the nodes; re-issue the certificate with a notBefore in the past.',
    references: {},
    recommended: true,
  },
  evaluate(a) {
    const out: PkiOutcome<'future'>[] = [];
    for (const item of a.material.certs) {
      if (a.now.getTime() < item.cert.notBefore.getTime()) out.push({ messageId: 'future', data: { cert: item.ref.name, subject: item.cert.subject.text, date: item.cert.notBefore.toISOString() }, ref: item.ref });
    }
    return out;
  },
});
