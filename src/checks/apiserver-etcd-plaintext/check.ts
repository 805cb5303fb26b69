/** apiserver-etcd-plaintext: the API server reaches etcd over TLS. */
import { defineNodeControl } from '../node-controls/define.js';
import { urlsPlain } from '../node-controls/templates.js';

export const apiserverEtcdPlaintext = defineNodeControl({
  id: 'apiserver-etcd-plaintext',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: 'the API server reaches etcd over TLS',
  description: 'An `http://` URL in `--etcd-servers` (other than loopback) sends every object the API server reads and writes — Secrets included — over the network in clear.',
  remediation: 'Use https:// URLs in --etcd-servers.',
  evaluate: urlsPlain('apiserver', 'etcd-servers', 'the API server talks to etcd'),
});
