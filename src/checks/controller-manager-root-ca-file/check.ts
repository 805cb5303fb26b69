/** controller-manager-root-ca-file: CIS 1.3.5 — --root-ca-file is set. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const controllerManagerRootCaFile = defineNodeControl({
  id: 'controller-manager-root-ca-file',
  cis: '1.3.5',
  section: '1.3',
  component: 'controller-manager',
  manifests: true,
  severity: 'medium',
  title: '--root-ca-file is set',
  description: '`--root-ca-file` is the CA bundle put into every service-account token volume (`ca.crt`); without it pods cannot verify the API server and are pushed to skip TLS verification.',
  remediation: 'Set --root-ca-file to the cluster CA bundle.',
  evaluate: (v) => flagsSet(v, 'controller-manager', 'root-ca-file'),
});
