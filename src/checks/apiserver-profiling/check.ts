/** apiserver-profiling: CIS 1.2.15 — API server profiling is disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const apiserverProfiling = defineNodeControl({
  id: 'apiserver-profiling',
  cis: '1.2.15',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'low',
  title: 'API server profiling is disabled',
  description: 'With profiling on (the default), `/debug/pprof` exposes the API server\'s goroutines and heap to any user allowed to GET that path, and lets them start CPU profiles that load the control plane.',
  remediation: 'Set --profiling=false.',
  evaluate: (v) => flagBool(v, 'apiserver', 'profiling', false),
});
