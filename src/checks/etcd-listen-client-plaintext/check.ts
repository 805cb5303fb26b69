/** etcd-listen-client-plaintext: etcd does not serve clients over plain HTTP. */
import { defineNodeControl } from '../node-controls/define.js';
import { urlsPlain } from '../node-controls/templates.js';

export const etcdListenClientPlaintext = defineNodeControl({
  id: 'etcd-listen-client-plaintext',
  section: 'K.2',
  component: 'etcd',
  manifests: true,
  severity: 'critical',
  title: 'etcd does not serve clients over plain HTTP',
  description: 'An `http://` URL in etcd\'s `--listen-client-urls` (other than loopback) serves the whole cluster state without TLS — and without client certificates — to the network. (`etcd-client-plaintext` is the check of `kspect etcd check`, which probes the listener itself.)',
  remediation: 'Use https:// in --listen-client-urls (plain HTTP only on loopback, if at all).',
  evaluate: urlsPlain('etcd', 'listen-client-urls', 'etcd serves clients'),
});
