/** proxy-metrics-bind-address: CIS 4.3.1 — kube-proxy metrics are bound to localhost. */
import { defineNodeControl } from '../node-controls/define.js';
import { proxyMetricsLocal } from '../node-controls/templates.js';

export const proxyMetricsBindAddress = defineNodeControl({
  id: 'proxy-metrics-bind-address',
  cis: '4.3.1',
  section: '4.3',
  component: 'proxy',
  severity: 'medium',
  title: 'kube-proxy metrics are bound to localhost',
  description: 'kube-proxy\'s metrics endpoint (10249) has no authentication; bound to every interface it tells anyone on the network about the cluster\'s Services and endpoints.',
  remediation: 'Set --metrics-bind-address=127.0.0.1:10249 (or metricsBindAddress in the kube-proxy config).',
  evaluate: proxyMetricsLocal,
});
