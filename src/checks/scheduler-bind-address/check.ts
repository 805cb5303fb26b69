/** scheduler-bind-address: CIS 1.4.2 — the scheduler binds to 127.0.0.1. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagEquals } from '../node-controls/view.js';

export const schedulerBindAddress = defineNodeControl({
  id: 'scheduler-bind-address',
  cis: '1.4.2',
  section: '1.4',
  component: 'scheduler',
  manifests: true,
  severity: 'medium',
  title: 'the scheduler binds to 127.0.0.1',
  description: 'The scheduler\'s secure port serves health, metrics and profiling; bound to every interface it is reachable from the network.',
  remediation: 'Set --bind-address=127.0.0.1.',
  evaluate: (v) => flagEquals(v, 'scheduler', 'bind-address', '127.0.0.1', true),
});
