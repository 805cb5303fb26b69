/** kubelet-seccomp-default: CIS 4.2.14 — RuntimeDefault seccomp is the default (seccompDefault) (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { boolOf, kubeletCheck } from '../node-controls/view.js';

export const kubeletSeccompDefault = defineNodeControl({
  id: 'kubelet-seccomp-default',
  cis: '4.2.14',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'low',
  title: 'RuntimeDefault seccomp is the default (seccompDefault)',
  description: 'With `seccompDefault: true` containers that name no seccomp profile get the runtime\'s default filter instead of running unconfined. CIS lists this check as manual.',
  remediation: 'Set seccompDefault: true.',
  evaluate: (v) => kubeletCheck(v, 'seccomp-default', (s) => boolOf(s) === true, 'containers without a profile run unconfined'),
});
