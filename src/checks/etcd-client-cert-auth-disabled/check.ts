/** etcd-client-cert-auth-disabled: etcd accepts clients without a certificate. Reads the EtcdEndpoint object of `kspect etcd check`. */
import { defineCheck } from '../../framework/define.js';
import { ETCD_ENDPOINT, endpointRef, readEtcdEndpoint } from '../../engines/encryption-at-rest/objects.js';

export const etcdClientCertAuthDisabled = defineCheck({
  id: 'etcd-client-cert-auth-disabled',
  meta: {
    title: "etcd accepts clients without a certificate",
    description: "A request without a client certificate could read etcd: client-certificate authentication is not enforced, so anyone who reaches the client port reads every Secret and can rewrite any object, bypassing Kubernetes authorization and admission.",
    severity: 'critical',
    category: 'secrets',
    kinds: [ETCD_ENDPOINT],
    messages: { open: "etcd at {{endpoint}} does not enforce client certificates: {{detail}}" },
    remediation: "Start etcd with --client-cert-auth=true and --trusted-ca-file set to the CA that signs kube-apiserver\u2019s etcd client certificate.",
    references: { cis: ['2.2'], urls: ['https://etcd.io/docs/v3.5/op-guide/security/'] },
    // Runs in `kspect etcd check`, which probes etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const p = readEtcdEndpoint(obj);
      if (!p) return;
      if (p.unauthenticatedAccess === 'yes') ctx.report({ messageId: 'open', data: { endpoint: p.endpoint, detail: p.unauthenticatedDetail }, object: obj, resource: endpointRef(p), source: { type: 'endpoint', uri: p.endpoint } });
      else if (p.unauthenticatedAccess === 'unknown') ctx.notEvaluated({ reason: 'not-readable', message: `${p.endpoint}: ${p.unauthenticatedDetail}`, resource: endpointRef(p), source: { type: 'endpoint', uri: p.endpoint } });
    };
  },
});
