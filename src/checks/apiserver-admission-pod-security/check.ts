/** apiserver-admission-pod-security: the PodSecurity admission plugin is not disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { listLacks } from '../node-controls/view.js';

export const apiserverAdmissionPodSecurity = defineNodeControl({
  id: 'apiserver-admission-pod-security',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the PodSecurity admission plugin is not disabled',
  description: 'The PodSecurity admission plugin enforces the Pod Security Standards from namespace labels. Disabled, `pod-security.kubernetes.io/enforce` labels do nothing and privileged pods are admitted everywhere.',
  remediation: 'Remove PodSecurity from --disable-admission-plugins.',
  evaluate: (v) => listLacks(v, 'apiserver', 'disable-admission-plugins', 'PodSecurity', true, 'Pod Security Standards are not enforced'),
});
