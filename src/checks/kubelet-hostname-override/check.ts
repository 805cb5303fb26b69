/** kubelet-hostname-override: CIS 4.2.7 — --hostname-override is not set (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagUnset } from '../node-controls/view.js';

export const kubeletHostnameOverride = defineNodeControl({
  id: 'kubelet-hostname-override',
  cis: '4.2.7',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'low',
  title: '--hostname-override is not set',
  description: '`--hostname-override` makes the node register under a name that may not match its serving certificate, which can push operators to disable TLS verification between the API server and kubelets. CIS lists this check as manual.',
  remediation: 'Remove --hostname-override.',
  evaluate: (v) => flagUnset(v, 'kubelet', 'hostname-override', 'it can break TLS between the API server and the kubelet'),
});
