/** etcd-client-cert-auth: CIS 2.2 — etcd requires client certificates (--client-cert-auth). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const etcdClientCertAuth = defineNodeControl({
  id: 'etcd-client-cert-auth',
  cis: '2.2',
  section: '2',
  component: 'etcd',
  manifests: true,
  severity: 'critical',
  title: 'etcd requires client certificates (--client-cert-auth)',
  description: 'Without `--client-cert-auth=true` etcd serves any client that reaches its port: reading every Secret or rewriting RBAC takes one etcdctl command.',
  remediation: 'Set --client-cert-auth=true on etcd.',
  evaluate: (v) => flagBool(v, 'etcd', 'client-cert-auth', true),
});
