/** apiserver-admission-service-account: CIS 1.2.12 — the ServiceAccount admission plugin is not disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { listLacks } from '../node-controls/view.js';

export const apiserverAdmissionServiceAccount = defineNodeControl({
  id: 'apiserver-admission-service-account',
  cis: '1.2.12',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the ServiceAccount admission plugin is not disabled',
  description: 'The ServiceAccount plugin binds every pod to a service account and manages its token volume; disabled, pods can name service accounts that do not exist and token automation breaks.',
  remediation: 'Remove ServiceAccount from --disable-admission-plugins.',
  evaluate: (v) => listLacks(v, 'apiserver', 'disable-admission-plugins', 'ServiceAccount', true, 'pods are not bound to service accounts'),
});
