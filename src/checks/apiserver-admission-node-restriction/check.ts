/** apiserver-admission-node-restriction: CIS 1.2.14 — the NodeRestriction admission plugin is enabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { listHas } from '../node-controls/view.js';

export const apiserverAdmissionNodeRestriction = defineNodeControl({
  id: 'apiserver-admission-node-restriction',
  cis: '1.2.14',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the NodeRestriction admission plugin is enabled',
  description: 'NodeRestriction limits what a kubelet may write: only its own Node object and pods bound to it, and no labels in the `node-restriction.kubernetes.io/` prefix. Without it a compromised node can relabel itself to attract sensitive workloads or modify other nodes.',
  remediation: 'Add NodeRestriction to --enable-admission-plugins (kubelets can then only modify their own Node and pods).',
  evaluate: (v) => listHas(v, 'apiserver', 'enable-admission-plugins', 'NodeRestriction'),
});
