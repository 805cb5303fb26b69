/** apiserver-admission-always-admit: CIS 1.2.10 — the AlwaysAdmit admission plugin is not enabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { listLacks } from '../node-controls/view.js';

export const apiserverAdmissionAlwaysAdmit = defineNodeControl({
  id: 'apiserver-admission-always-admit',
  cis: '1.2.10',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the AlwaysAdmit admission plugin is not enabled',
  description: 'AlwaysAdmit (deprecated) admits every request; it exists only for testing. Enabled, it signals that admission control was switched off on purpose.',
  remediation: 'Remove AlwaysAdmit from --enable-admission-plugins.',
  evaluate: (v) => listLacks(v, 'apiserver', 'enable-admission-plugins', 'AlwaysAdmit', true, 'it admits every request'),
});
