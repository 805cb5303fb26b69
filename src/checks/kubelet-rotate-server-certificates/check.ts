/** kubelet-rotate-server-certificates: CIS 4.2.11 — the RotateKubeletServerCertificate feature gate is not disabled (manual). */
import { parseGoBool } from '../../engines/node/flags.js';
import { defineNodeControl } from '../node-controls/define.js';
import { fail, kubelet, pass, withComponent } from '../node-controls/view.js';

export const kubeletRotateServerCertificates = defineNodeControl({
  id: 'kubelet-rotate-server-certificates',
  cis: '4.2.11',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'low',
  title: 'the RotateKubeletServerCertificate feature gate is not disabled',
  description: 'The RotateKubeletServerCertificate gate lets the kubelet request and renew its serving certificate from the cluster CA. CIS lists this check as manual.',
  remediation: 'Remove RotateKubeletServerCertificate=false.',
  evaluate: (v) => withComponent(v, 'kubelet', () => { const g = kubelet(v, 'feature-gates').map?.get('RotateKubeletServerCertificate'); return g !== undefined && parseGoBool(g) === false ? fail('RotateKubeletServerCertificate=false') : pass(`RotateKubeletServerCertificate ${g ?? 'not set'}`); }),
});
