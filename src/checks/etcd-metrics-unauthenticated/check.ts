/** etcd-metrics-unauthenticated: etcd metrics answer without authentication. Reads the EtcdEndpoint object of `kspect etcd check`. */
import { defineCheck } from '../../framework/define.js';
import { ETCD_ENDPOINT, endpointRef, readEtcdEndpoint } from '../../engines/encryption-at-rest/objects.js';

export const etcdMetricsUnauthenticated = defineCheck({
  id: 'etcd-metrics-unauthenticated',
  meta: {
    title: "etcd metrics answer without authentication",
    description: "A metrics URL of etcd answers GET /metrics without a client certificate. Metrics disclose the cluster layout, object counts per resource and request patterns, and the listener is often exposed wider than the client port.",
    severity: 'medium',
    category: 'secrets',
    kinds: [ETCD_ENDPOINT],
    messages: { open: "etcd metrics at {{url}} answer without a client certificate" },
    remediation: "Bind --listen-metrics-urls to loopback only, or serve metrics over https with client-certificate auth (or drop the separate metrics listener).",
    references: { cis: ['2.1'], urls: ['https://etcd.io/docs/v3.5/op-guide/security/'] },
    // Runs in `kspect etcd check`, which probes etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const p = readEtcdEndpoint(obj);
      if (!p) return;
      for (const m of p.metrics) {
        if (m.open === 'yes') ctx.report({ messageId: 'open', data: { url: m.url }, object: obj, resource: endpointRef(p), source: { type: 'endpoint', uri: m.url } });
        else if (m.open === 'unknown') ctx.notEvaluated({ reason: 'not-readable', message: `${m.url}: ${m.detail}`, resource: endpointRef(p), source: { type: 'endpoint', uri: m.url } });
      }
    };
  },
});
