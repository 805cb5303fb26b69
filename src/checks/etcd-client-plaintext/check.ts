/** etcd-client-plaintext: etcd serves clients over plaintext HTTP. Reads the EtcdEndpoint object of `kspect etcd check`. */
import { defineCheck } from '../../framework/define.js';
import { ETCD_ENDPOINT, endpointRef, readEtcdEndpoint } from '../../engines/encryption-at-rest/objects.js';

export const etcdClientPlaintext = defineCheck({
  id: 'etcd-client-plaintext',
  meta: {
    title: "etcd serves clients over plaintext HTTP",
    description: "The etcd client listener does not use TLS: every Kubernetes object, Secrets included, crosses the network in clear, and anyone who reaches the port can read and write the whole cluster state.",
    severity: 'critical',
    category: 'secrets',
    kinds: [ETCD_ENDPOINT],
    messages: { plaintext: "etcd client listener {{endpoint}} is plain HTTP" },
    remediation: "Serve clients over TLS: --cert-file, --key-file, --client-cert-auth=true and --trusted-ca-file, with https:// in --listen-client-urls and --advertise-client-urls.",
    references: { cis: ['2.1', '2.2'], urls: ['https://etcd.io/docs/v3.5/op-guide/security/'] },
    // Runs in `kspect etcd check`, which probes etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const p = readEtcdEndpoint(obj);
      if (!p?.plaintextListener) return;
      ctx.report({ messageId: 'plaintext', data: { endpoint: p.endpoint }, object: obj, resource: endpointRef(p), source: { type: 'endpoint', uri: p.endpoint } });
    };
  },
});
