/**
 * secret-inline-data: Secrets committed with their values in the manifests (`data`, `stringData`). Only key names are
 * ever printed; values are read only to tell placeholders from credentials.
 */
import { credentialShape, isPlaceholder } from '../../engines/credentials/credentials.js';
import { getObject, getString } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';

/** Helm's release records: reported by secret-helm-release. Service-account tokens: filled by the control plane. */
const SKIPPED_TYPES = new Set(['helm.sh/release.v1', 'kubernetes.io/service-account-token']);

/** Decode a `data` value; undefined when it is not base64 (the API server would refuse it). */
function decode(value: string): string | undefined {
  try {
    return atob(value.replace(/\s/g, ''));
  } catch {
    return undefined;
  }
}

export const secretInlineData = defineCheck({
  id: 'secret-inline-data',
  meta: {
    title: 'Secret values committed in manifests',
    description:
      'A Secret written out with its `data` or `stringData` puts the credential into every copy of the manifest: the Git history, CI logs, chart packages, `kubectl.kubernetes.io/last-applied-configuration`. Base64 is an encoding, not encryption. Whoever reads the repository holds the credential, forever, since history is not rewritten when it is rotated.',
    severity: 'medium',
    category: 'secrets',
    kinds: ['Secret'],
    messages: { inline: 'Secret holds {{count}} value{{s}} in the manifest ({{keys}}){{shape}}; values withheld' },
    remediation:
      'Keep Secret values out of manifests: create them from a secret store at deploy time (External Secrets Operator, Secrets Store CSI driver, Vault), or commit them encrypted (Sealed Secrets, SOPS). Rotate any credential that was committed.',
    references: {
      cis: ['5.4.2'],
      nsa: ['Pod security: secrets'],
      mitre: ['T1552.001'],
      urls: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (obj.apiVersion !== 'v1') return;
      if (SKIPPED_TYPES.has(getString(obj.raw, 'type') ?? '')) return;
      const keys: string[] = [];
      let shaped = false;
      let path: string | undefined;
      for (const field of ['stringData', 'data'] as const) {
        for (const [key, raw] of Object.entries(getObject(obj.raw, field) ?? {})) {
          if (typeof raw !== 'string') continue;
          const value = field === 'data' ? decode(raw) : raw;
          if (value === undefined || isPlaceholder(value)) continue;
          keys.push(key);
          path ??= field;
          if (credentialShape(value) !== undefined) shaped = true;
        }
      }
      if (keys.length === 0 || path === undefined) return;
      const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : '');
      ctx.report({
        messageId: 'inline',
        object: obj,
        path,
        severity: shaped ? 'high' : 'medium',
        data: { count: keys.length, s: keys.length === 1 ? '' : 's', keys: shown, shape: shaped ? ', some shaped like real credentials' : '' },
        evidence: `keys ${shown}: values withheld`,
      });
    };
  },
});
