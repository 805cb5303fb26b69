/** proxy-kubeconfig-permissions: CIS 4.1.3 — the kube-proxy kubeconfig, if any, has mode 600 or stricter (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { proxyKubeconfig } from '../node-controls/templates.js';
import { modeAtMost } from '../node-controls/view.js';

export const proxyKubeconfigPermissions = defineNodeControl({
  id: 'proxy-kubeconfig-permissions',
  cis: '4.1.3',
  section: '4.1',
  component: 'files',
  automated: false,
  severity: 'medium',
  title: 'the kube-proxy kubeconfig, if any, has mode 600 or stricter',
  description: 'A kube-proxy kubeconfig on the node holds credentials that can read Services and EndpointSlices cluster-wide. CIS lists this check as manual: kube-proxy usually runs as a DaemonSet with in-cluster credentials.',
  remediation: 'chmod 600 the kube-proxy kubeconfig',
  evaluate: proxyKubeconfig((v, p) => modeAtMost(v, p, 0o600, 'kube-proxy kubeconfig')),
});
