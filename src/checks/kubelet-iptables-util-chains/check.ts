/** kubelet-iptables-util-chains: CIS 4.2.6 — the kubelet manages its iptables utility chains. */
import { defineNodeControl } from '../node-controls/define.js';
import { boolOf, kubeletCheck } from '../node-controls/view.js';

export const kubeletIptablesUtilChains = defineNodeControl({
  id: 'kubelet-iptables-util-chains',
  cis: '4.2.6',
  section: '4.2',
  component: 'kubelet',
  severity: 'low',
  title: 'the kubelet manages its iptables utility chains',
  description: 'With `makeIPTablesUtilChains: false` the kubelet stops maintaining the iptables chains that drop marked packets, and networking rules can drift from what Kubernetes expects.',
  remediation: 'Remove makeIPTablesUtilChains: false (default true).',
  evaluate: (v) => kubeletCheck(v, 'make-iptables-util-chains', (s) => boolOf(s) ?? 'unparseable', 'must be true'),
});
