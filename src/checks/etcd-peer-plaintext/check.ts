/** etcd-peer-plaintext: etcd peers do not talk over plain HTTP. */
import { defineNodeControl } from '../node-controls/define.js';
import { urlsPlain } from '../node-controls/templates.js';

export const etcdPeerPlaintext = defineNodeControl({
  id: 'etcd-peer-plaintext',
  section: 'K.2',
  component: 'etcd',
  manifests: true,
  severity: 'high',
  title: 'etcd peers do not talk over plain HTTP',
  description: 'An `http://` URL in etcd\'s `--listen-peer-urls` replicates the cluster state between members in clear.',
  remediation: 'Use https:// in --listen-peer-urls.',
  evaluate: urlsPlain('etcd', 'listen-peer-urls', 'etcd serves peers'),
});
