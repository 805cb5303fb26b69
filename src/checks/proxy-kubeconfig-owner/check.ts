/** proxy-kubeconfig-owner: CIS 4.1.4 — the kube-proxy kubeconfig, if any, is owned by root:root (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { proxyKubeconfig } from '../node-controls/templates.js';
import { ownerIs } from '../node-controls/view.js';

export const proxyKubeconfigOwner = defineNodeControl({
  id: 'proxy-kubeconfig-owner',
  cis: '4.1.4',
  section: '4.1',
  component: 'files',
  automated: false,
  severity: 'medium',
  title: 'the kube-proxy kubeconfig, if any, is owned by root:root',
  description: 'The owner of a kube-proxy kubeconfig can read its credentials. CIS lists this check as manual.',
  remediation: 'chown root:root the kube-proxy kubeconfig',
  evaluate: proxyKubeconfig((v, p) => ownerIs(v, p, 'root', 'root', 'kube-proxy kubeconfig')),
});
