/** controller-manager-rotate-kubelet-server-certificate: CIS 1.3.6 — the RotateKubeletServerCertificate feature gate is not disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { featureGateNotDisabled } from '../node-controls/templates.js';

export const controllerManagerRotateKubeletServerCertificate = defineNodeControl({
  id: 'controller-manager-rotate-kubelet-server-certificate',
  cis: '1.3.6',
  section: '1.3',
  component: 'controller-manager',
  manifests: true,
  severity: 'medium',
  title: 'the RotateKubeletServerCertificate feature gate is not disabled',
  description: 'RotateKubeletServerCertificate lets kubelets request and renew serving certificates signed by the cluster CA. Disabled, kubelets keep self-signed or expiring certificates.',
  remediation: 'Remove RotateKubeletServerCertificate=false from --feature-gates.',
  evaluate: featureGateNotDisabled('controller-manager', 'RotateKubeletServerCertificate'),
});
