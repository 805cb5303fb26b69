/** etcd-pprof: etcd profiling is off. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const etcdPprof = defineNodeControl({
  id: 'etcd-pprof',
  section: 'K.2',
  component: 'etcd',
  manifests: true,
  severity: 'low',
  title: 'etcd profiling is off',
  description: '`--enable-pprof` serves Go profiling endpoints on etcd\'s client port, exposing its internals and letting clients trigger expensive profiles.',
  remediation: 'Remove --enable-pprof.',
  evaluate: (v) => flagBool(v, 'etcd', 'enable-pprof', false, false),
});
