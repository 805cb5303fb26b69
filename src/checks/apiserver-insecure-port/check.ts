/** apiserver-insecure-port: no insecure (plain HTTP) API port. */
import { defineNodeControl } from '../node-controls/define.js';
import { noInsecurePort } from '../node-controls/templates.js';

export const apiserverInsecurePort = defineNodeControl({
  id: 'apiserver-insecure-port',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'critical',
  title: 'no insecure (plain HTTP) API port',
  description: '`--insecure-port` served the whole API over plain HTTP with no authentication and no authorization. It was removed in Kubernetes 1.24; a manifest that sets it is a cluster-admin backdoor on older versions.',
  remediation: 'Remove --insecure-port (or set 0).',
  evaluate: noInsecurePort,
});
