/**
 * annotation-credential: credentials in annotations — values shaped like keys, tokens or connection strings, and the
 * `last-applied-configuration` copy of a Secret, which holds its values in plain JSON. Values are never printed.
 */
import { credentialShape, isPlaceholder } from '../../engines/credentials/credentials.js';
import { isObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Keys of a Secret's last-applied JSON whose values are not placeholders. */
function appliedSecretKeys(json: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const keys: string[] = [];
  for (const field of ['data', 'stringData']) {
    const m = parsed[field];
    if (!isObject(m)) continue;
    for (const [k, v] of Object.entries(m)) if (typeof v === 'string' && !isPlaceholder(v)) keys.push(k);
  }
  return keys;
}

export const annotationCredential = defineCheck({
  id: 'annotation-credential',
  meta: {
    title: 'Credential in an annotation',
    description:
      'Annotations are metadata: listed with the object by anyone who may get or list it, returned by metadata-only reads, copied by tools, never encrypted at rest. A token, key or password in one — or a Secret\'s values in its `kubectl.kubernetes.io/last-applied-configuration`, which `kubectl apply` writes in plain JSON — is readable far beyond the Secret\'s RBAC.',
    severity: 'high',
    category: 'secrets',
    kinds: ['*'],
    messages: {
      shape: 'annotation "{{key}}" holds a value that {{hint}}',
      lastApplied: 'annotation "{{key}}" copies the Secret\'s values in plain JSON ({{keys}}): readable by whoever may get or list the Secret\'s metadata',
    },
    remediation:
      'Move the credential into a Secret and reference it. For Secrets, apply with server-side apply (`kubectl apply --server-side`) or `kubectl create`, which do not write last-applied-configuration, and remove the annotation; rotate what was exposed.',
    references: {
      mitre: ['T1552.001', 'T1552.007'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/secret/#information-security-for-secrets', 'https://kubernetes.io/docs/reference/labels-annotations-taints/#kubectl-kubernetes-io-last-applied-configuration'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      for (const [key, value] of Object.entries(obj.metadata.annotations)) {
        const path = joinPath('metadata', 'annotations', key);
        if (key === LAST_APPLIED) {
          // Other kinds' last-applied copies restate fields their own checks judge.
          if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') continue;
          const keys = appliedSecretKeys(value);
          if (keys === undefined || keys.length === 0) continue;
          const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : '');
          ctx.report({ messageId: 'lastApplied', object: obj, path, data: { key, keys: shown }, evidence: `keys ${shown}: values withheld` });
          continue;
        }
        const hint = credentialShape(value);
        if (hint === undefined) continue;
        ctx.report({ messageId: 'shape', object: obj, path, data: { key, hint }, evidence: `annotation ${key}: value withheld (${hint})` });
      }
    };
  },
});
