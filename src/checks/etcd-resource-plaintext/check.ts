/** etcd-resource-plaintext: Resource stored in plaintext although its EncryptionConfiguration encrypts it. Reads the EtcdValue objects of `kspect etcd check`. */
import { defineCheck } from '../../framework/define.js';
import { ETCD_VALUE, readEtcdValue, resourceRefOf, sourceOf } from '../../engines/encryption-at-rest/objects.js';

export const etcdResourcePlaintext = defineCheck({
  id: 'etcd-resource-plaintext',
  meta: {
    title: "Resource stored in plaintext although its EncryptionConfiguration encrypts it",
    description: "A value of a resource other than Secrets, which the EncryptionConfiguration writes encrypted, is still stored in plaintext in etcd: it was written before encryption was enabled for it, so it stays readable to anyone who reads etcd until it is rewritten.",
    severity: 'high',
    category: 'secrets',
    kinds: [ETCD_VALUE],
    messages: { plaintext: "{{resource}} value stored in plaintext: {{detail}}" },
    remediation: "Rewrite every object of the resource so kube-apiserver stores it with the current write provider (kubectl get RESOURCE -A -o json | kubectl replace -f -).",
    references: { cis: ['1.2.27', '2.1', '2.2'], nsa: ['Kubernetes Pod security: Secrets encryption at rest'], urls: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
    // Runs in `kspect etcd check`, which reads etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readEtcdValue(obj);
      if (!v?.resource || (v.resource.group === '' && v.resource.resource === 'secrets')) return;
      if (v.verdict !== 'plaintext') return;
      ctx.report({ messageId: 'plaintext', data: { detail: v.detail, resource: v.resource.group === '' ? v.resource.resource : `${v.resource.resource}.${v.resource.group}` }, object: obj, resource: resourceRefOf(v), source: sourceOf(v) });
    };
  },
});
