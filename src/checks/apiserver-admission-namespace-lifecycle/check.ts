/** apiserver-admission-namespace-lifecycle: CIS 1.2.13 — the NamespaceLifecycle admission plugin is not disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { listLacks } from '../node-controls/view.js';

export const apiserverAdmissionNamespaceLifecycle = defineNodeControl({
  id: 'apiserver-admission-namespace-lifecycle',
  cis: '1.2.13',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'medium',
  title: 'the NamespaceLifecycle admission plugin is not disabled',
  description: 'NamespaceLifecycle refuses objects in namespaces that are terminating or do not exist, and protects `default`, `kube-system` and `kube-public` from deletion. Disabled, objects can be created in a namespace that is being deleted and outlive the policies meant for them.',
  remediation: 'Remove NamespaceLifecycle from --disable-admission-plugins.',
  evaluate: (v) => listLacks(v, 'apiserver', 'disable-admission-plugins', 'NamespaceLifecycle', true, 'objects can be created in terminating or missing namespaces'),
});
