/** etcd-value-stale-key: Value encrypted with a key that is no longer the write key. Reads the EtcdValue objects of `kspect etcd check`. */
import { counted } from '../../core/text.js';
import { defineCheck } from '../../framework/define.js';
import { ETCD_VALUE, readEtcdValue, resourceRefOf, sourceOf, type EtcdValueView } from '../../engines/encryption-at-rest/objects.js';

function resourceName(v: EtcdValueView): string {
  return v.resource ? (v.resource.group === '' ? v.resource.resource : `${v.resource.resource}.${v.resource.group}`) : 'unrecognised';
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

export const etcdValueStaleKey = defineCheck({
  id: 'etcd-value-stale-key',
  meta: {
    title: "Value encrypted with a key that is no longer the write key",
    description: "The value was encrypted with a provider or key that is still configured for reading but is no longer the first (write) one. After a key rotation every object must be rewritten; until then the old key cannot be removed, and a leaked old key still decrypts these values.",
    severity: 'medium',
    category: 'secrets',
    kinds: [ETCD_VALUE],
    messages: { stale: "{{detail}}" },
    remediation: "Rewrite the objects (kubectl get RESOURCE -A -o json | kubectl replace -f -) so they are encrypted with the write key, then remove the old key from the EncryptionConfiguration.",
    references: { cis: ['1.2.27', '2.1', '2.2'], nsa: ['Kubernetes Pod security: Secrets encryption at rest'], urls: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
    // Runs in `kspect etcd check`, which reads etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    const unverified = new Map<string, number>();
    const kms = new Map<string, number>();
    return {
      object: (obj) => {
        const v = readEtcdValue(obj);
        if (!v) return;
        if (v.verdict === 'stale') ctx.report({ messageId: 'stale', data: { detail: v.detail }, object: obj, resource: resourceRefOf(v), source: sourceOf(v) });
        else if (v.verdict === 'unverified' && v.stored === 'encrypted') bump(unverified, `${resourceName(v)}|${v.provider} key ${v.keyName}`);
        else if (v.verdict === 'kms-unverified') bump(kms, `${resourceName(v)}|${v.provider} ${v.keyName}`);
      },
      end: () => {
        for (const [k, n] of unverified) {
          const [res, what] = k.split('|');
          ctx.notEvaluated({ reason: 'missing-input', message: `${counted(n, `${res ?? ''} value`)} encrypted with ${what ?? ''}: whether that is the write key is unknown without --encryption-config` });
        }
        for (const [k, n] of kms) {
          const [res, what] = k.split('|');
          ctx.notEvaluated({ reason: 'unsupported', message: `${counted(n, `${res ?? ''} value`)} written by ${what ?? ''}: KMS values are recognised, not decrypted by kspect` });
        }
      },
    };
  },
});
