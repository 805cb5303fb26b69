/** kubelet-pod-pids-limit: CIS 4.2.13 — a limit is set on pod PIDs (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletCheck } from '../node-controls/view.js';

export const kubeletPodPidsLimit = defineNodeControl({
  id: 'kubelet-pod-pids-limit',
  cis: '4.2.13',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'low',
  title: 'a limit is set on pod PIDs',
  description: 'Without `podPidsLimit` one pod can fork-bomb the node and starve every other pod and the kubelet itself. CIS lists this check as manual.',
  remediation: 'Set podPidsLimit.',
  evaluate: (v) => kubeletCheck(v, 'pod-max-pids', (s) => s.value !== undefined && s.value !== '-1', 'no limit'),
});
