/** apiserver-bind-address: the API server does not listen on every interface. */
import { defineNodeControl } from '../node-controls/define.js';
import { notAllInterfaces } from '../node-controls/templates.js';

export const apiserverBindAddress = defineNodeControl({
  id: 'apiserver-bind-address',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'info',
  title: 'the API server does not listen on every interface',
  description: 'With `--bind-address` unset or `0.0.0.0`, the API server listens on every network of the node, including ones meant only for workloads or storage.',
  remediation: 'Set --bind-address to the control-plane address if the node has other networks.',
  evaluate: notAllInterfaces,
});
