/** apiserver-deny-external-ips: CIS 1.2.3 — the DenyServiceExternalIPs admission plugin is enabled (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { listHas } from '../node-controls/view.js';

export const apiserverDenyExternalIps = defineNodeControl({
  id: 'apiserver-deny-external-ips',
  cis: '1.2.3',
  section: '1.2',
  component: 'apiserver',
  automated: false,
  severity: 'low',
  title: 'the DenyServiceExternalIPs admission plugin is enabled',
  description: 'Without DenyServiceExternalIPs, anyone who can create a Service can set `spec.externalIPs` and intercept traffic to any IP address from inside the cluster (CVE-2020-8554). CIS lists this check as manual.',
  remediation: 'Add DenyServiceExternalIPs to --enable-admission-plugins.',
  evaluate: (v) => listHas(v, 'apiserver', 'enable-admission-plugins', 'DenyServiceExternalIPs'),
});
