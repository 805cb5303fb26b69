/** scheduler-profiling: CIS 1.4.1 — scheduler profiling is disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const schedulerProfiling = defineNodeControl({
  id: 'scheduler-profiling',
  cis: '1.4.1',
  section: '1.4',
  component: 'scheduler',
  manifests: true,
  severity: 'low',
  title: 'scheduler profiling is disabled',
  description: 'With profiling on (the default), the scheduler serves `/debug/pprof` on its secure port, exposing its internals to anyone authorized for that path.',
  remediation: 'Set --profiling=false.',
  evaluate: (v) => flagBool(v, 'scheduler', 'profiling', false),
});
