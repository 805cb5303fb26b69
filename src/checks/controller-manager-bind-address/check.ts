/** controller-manager-bind-address: CIS 1.3.7 — the controller manager binds to 127.0.0.1. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagEquals } from '../node-controls/view.js';

export const controllerManagerBindAddress = defineNodeControl({
  id: 'controller-manager-bind-address',
  cis: '1.3.7',
  section: '1.3',
  component: 'controller-manager',
  manifests: true,
  severity: 'medium',
  title: 'the controller manager binds to 127.0.0.1',
  description: 'The controller manager\'s secure port serves health, metrics and profiling; bound to every interface it is reachable from the network, where each of those is a way in or an information leak.',
  remediation: 'Set --bind-address=127.0.0.1.',
  evaluate: (v) => flagEquals(v, 'controller-manager', 'bind-address', '127.0.0.1', true),
});
