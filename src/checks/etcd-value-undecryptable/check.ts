/** etcd-value-undecryptable: Value does not decrypt with the configured key of its name. Reads the EtcdValue objects of `kspect etcd check`. */
import { defineCheck } from '../../framework/define.js';
import { ETCD_VALUE, readEtcdValue, resourceRefOf, sourceOf } from '../../engines/encryption-at-rest/objects.js';

export const etcdValueUndecryptable = defineCheck({
  id: 'etcd-value-undecryptable',
  meta: {
    title: "Value does not decrypt with the configured key of its name",
    description: "The EncryptionConfiguration has a key of the name the value was written with, but that key does not decrypt it: the key material was changed under the same name, or the value is damaged. kube-apiserver cannot read the object.",
    severity: 'high',
    category: 'secrets',
    kinds: [ETCD_VALUE],
    messages: { undecryptable: "{{detail}}" },
    remediation: "Find the key material the value was written with and configure it under a name of its own; never reuse a key name for new key material.",
    references: { cis: ['1.2.27', '2.1', '2.2'], nsa: ['Kubernetes Pod security: Secrets encryption at rest'], urls: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
    // Runs in `kspect etcd check`, which reads etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readEtcdValue(obj);
      if (v?.verdict !== 'undecryptable') return;
      ctx.report({ messageId: 'undecryptable', data: { detail: v.detail }, object: obj, resource: resourceRefOf(v), source: sourceOf(v) });
    };
  },
});
