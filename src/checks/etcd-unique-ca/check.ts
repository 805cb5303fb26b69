/** etcd-unique-ca: CIS 2.7 — etcd uses its own certificate authority (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { sharedEtcdCa } from '../node-controls/templates.js';

export const etcdUniqueCa = defineNodeControl({
  id: 'etcd-unique-ca',
  cis: '2.7',
  section: '2',
  component: 'etcd',
  automated: false,
  severity: 'high',
  title: 'etcd uses its own certificate authority',
  description: 'If etcd trusts the cluster\'s client CA, every client certificate of the cluster — every kubelet, every admin — can talk to etcd directly. CIS lists this check as manual; `etcd-shared-ca` is kspect\'s automated check.',
  remediation: 'Give etcd a dedicated CA (--trusted-ca-file) that the API server client CA does not share.',
  evaluate: sharedEtcdCa,
});
