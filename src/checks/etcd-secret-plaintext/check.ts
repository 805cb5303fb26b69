/** etcd-secret-plaintext: Secret stored in plaintext in etcd. Reads the EtcdValue objects of `kspect etcd check`. */
import { defineCheck } from '../../framework/define.js';
import { ETCD_VALUE, readEtcdValue, resourceRefOf, sourceOf } from '../../engines/encryption-at-rest/objects.js';

export const etcdSecretPlaintext = defineCheck({
  id: 'etcd-secret-plaintext',
  meta: {
    title: "Secret stored in plaintext in etcd",
    description: "A Secret value in etcd is not encrypted: anyone who can read etcd, its backups or its disk reads the Secret. kube-apiserver encrypts Secrets only when an EncryptionConfiguration puts an encrypting provider first, and only values written after that.",
    severity: 'critical',
    category: 'secrets',
    kinds: [ETCD_VALUE],
    messages: { plaintext: "{{detail}}" },
    remediation: "Put aescbc, aesgcm, secretbox or kms first for secrets in the EncryptionConfiguration (--encryption-provider-config), restart kube-apiserver, then rewrite every Secret (kubectl get secrets -A -o json | kubectl replace -f -).",
    references: { cis: ['1.2.27', '2.1', '2.2'], nsa: ['Kubernetes Pod security: Secrets encryption at rest'], urls: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
    // Runs in `kspect etcd check`, which reads etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readEtcdValue(obj);
      if (!v || v.resource?.group !== '' || v.resource.resource !== 'secrets') return;
      if (v.verdict !== 'plaintext' && v.verdict !== 'plaintext-by-config') return;
      ctx.report({ messageId: 'plaintext', data: { detail: v.detail }, object: obj, resource: resourceRefOf(v), source: sourceOf(v), evidence: `key ${v.key}: ${v.keyName} without k8s:enc: prefix` });
    };
  },
});
