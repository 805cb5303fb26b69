/** etcd-value-unknown-key: Value encrypted with a key the EncryptionConfiguration does not have. Reads the EtcdValue objects of `kspect etcd check`. */
import { defineCheck } from '../../framework/define.js';
import { ETCD_VALUE, readEtcdValue, resourceRefOf, sourceOf } from '../../engines/encryption-at-rest/objects.js';

export const etcdValueUnknownKey = defineCheck({
  id: 'etcd-value-unknown-key',
  meta: {
    title: "Value encrypted with a key the EncryptionConfiguration does not have",
    description: "The value carries a provider or key name that the EncryptionConfiguration does not list for its resource. kube-apiserver cannot read it: the object is lost unless the key is restored.",
    severity: 'high',
    category: 'secrets',
    kinds: [ETCD_VALUE],
    messages: { unknown: "{{detail}}" },
    remediation: "Restore the missing key (as a read-only, non-first key) in the EncryptionConfiguration, restart kube-apiserver and rewrite the objects; or delete objects that are not needed.",
    references: { cis: ['1.2.27', '2.1', '2.2'], nsa: ['Kubernetes Pod security: Secrets encryption at rest'], urls: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
    // Runs in `kspect etcd check`, which reads etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readEtcdValue(obj);
      if (v?.verdict !== 'unknown-key') return;
      ctx.report({ messageId: 'unknown', data: { detail: v.detail }, object: obj, resource: resourceRefOf(v), source: sourceOf(v) });
    };
  },
});
