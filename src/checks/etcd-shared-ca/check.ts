/** etcd-shared-ca: etcd does not share its CA with the API server clients. */
import { defineNodeControl } from '../node-controls/define.js';
import { sharedEtcdCa } from '../node-controls/templates.js';

export const etcdSharedCa = defineNodeControl({
  id: 'etcd-shared-ca',
  section: 'K.2',
  component: 'etcd',
  severity: 'high',
  title: 'etcd does not share its CA with the API server clients',
  description: 'If etcd trusts the same CA as the API server\'s `--client-ca-file`, every client certificate of the cluster — kubelets, admins, controllers — can connect to etcd directly and bypass RBAC.',
  remediation: 'Use a dedicated etcd CA (kubeadm: /etc/kubernetes/pki/etcd/ca.crt).',
  evaluate: sharedEtcdCa,
});
