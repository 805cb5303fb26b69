/** apiserver-hsts: the API server sends Strict-Transport-Security. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverHsts = defineNodeControl({
  id: 'apiserver-hsts',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'info',
  title: 'the API server sends Strict-Transport-Security',
  description: '`--strict-transport-security-directives` makes browsers (the dashboard, kubectl proxy users) refuse to fall back to plain HTTP for the API server\'s name.',
  remediation: 'Set --strict-transport-security-directives=max-age=31536000,includeSubDomains,preload.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'strict-transport-security-directives'),
});
