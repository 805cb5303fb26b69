/** controller-manager-service-account-private-key: CIS 1.3.4 — --service-account-private-key-file is set. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const controllerManagerServiceAccountPrivateKey = defineNodeControl({
  id: 'controller-manager-service-account-private-key',
  cis: '1.3.4',
  section: '1.3',
  component: 'controller-manager',
  manifests: true,
  severity: 'medium',
  title: '--service-account-private-key-file is set',
  description: 'The controller manager signs legacy service-account tokens with `--service-account-private-key-file`; without it no token is created for service accounts that need one.',
  remediation: 'Set --service-account-private-key-file.',
  evaluate: (v) => flagsSet(v, 'controller-manager', 'service-account-private-key-file'),
});
