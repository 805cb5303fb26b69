/** apiserver-kubelet-client-cert: CIS 1.2.4 — the API server authenticates to kubelets with a client certificate. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverKubeletClientCert = defineNodeControl({
  id: 'apiserver-kubelet-client-cert',
  cis: '1.2.4',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the API server authenticates to kubelets with a client certificate',
  description: 'The API server calls every kubelet (logs, exec, port-forward). Without `--kubelet-client-certificate` and `--kubelet-client-key` it presents no identity, so kubelets must either allow anonymous requests or refuse the API server.',
  remediation: 'Set --kubelet-client-certificate and --kubelet-client-key.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'kubelet-client-certificate', 'kubelet-client-key'),
});
