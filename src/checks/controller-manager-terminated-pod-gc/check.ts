/** controller-manager-terminated-pod-gc: CIS 1.3.1 — --terminated-pod-gc-threshold is set as appropriate (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const controllerManagerTerminatedPodGc = defineNodeControl({
  id: 'controller-manager-terminated-pod-gc',
  cis: '1.3.1',
  section: '1.3',
  component: 'controller-manager',
  automated: false,
  severity: 'info',
  title: '--terminated-pod-gc-threshold is set as appropriate',
  description: 'Terminated pods are only garbage-collected above `--terminated-pod-gc-threshold` (default 12500); too many finished pods slow the controllers and fill etcd. CIS lists this check as manual.',
  remediation: 'Set --terminated-pod-gc-threshold, e.g. 10.',
  evaluate: (v) => flagsSet(v, 'controller-manager', 'terminated-pod-gc-threshold'),
});
