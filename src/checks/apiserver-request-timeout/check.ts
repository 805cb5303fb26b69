/** apiserver-request-timeout: CIS 1.2.20 — --request-timeout is set as appropriate (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { observeFlag } from '../node-controls/templates.js';

export const apiserverRequestTimeout = defineNodeControl({
  id: 'apiserver-request-timeout',
  cis: '1.2.20',
  section: '1.2',
  component: 'apiserver',
  automated: false,
  severity: 'info',
  title: '--request-timeout is set as appropriate',
  description: '`--request-timeout` bounds how long a non-watch request may take (default 60s); too long lets slow clients hold server resources, too short breaks large lists. CIS lists this check as manual.',
  remediation: 'Set --request-timeout as appropriate (default 60s).',
  evaluate: observeFlag('apiserver', 'request-timeout', '60s'),
});
