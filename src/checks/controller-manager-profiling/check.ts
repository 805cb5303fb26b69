/** controller-manager-profiling: CIS 1.3.2 — controller manager profiling is disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const controllerManagerProfiling = defineNodeControl({
  id: 'controller-manager-profiling',
  cis: '1.3.2',
  section: '1.3',
  component: 'controller-manager',
  manifests: true,
  severity: 'low',
  title: 'controller manager profiling is disabled',
  description: 'With profiling on (the default), the controller manager serves `/debug/pprof` on its secure port, exposing its internals to anyone authorized for that path.',
  remediation: 'Set --profiling=false.',
  evaluate: (v) => flagBool(v, 'controller-manager', 'profiling', false),
});
