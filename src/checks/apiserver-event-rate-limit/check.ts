/** apiserver-event-rate-limit: CIS 1.2.9 — the EventRateLimit admission plugin is enabled (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { listHas } from '../node-controls/view.js';

export const apiserverEventRateLimit = defineNodeControl({
  id: 'apiserver-event-rate-limit',
  cis: '1.2.9',
  section: '1.2',
  component: 'apiserver',
  automated: false,
  severity: 'low',
  title: 'the EventRateLimit admission plugin is enabled',
  description: 'EventRateLimit caps the rate of Event writes per server, namespace or user, so a misbehaving or hostile client cannot flood the API server and etcd with events. CIS lists this check as manual: it needs a configuration file.',
  remediation: 'Enable EventRateLimit with a configuration in --admission-control-config-file.',
  evaluate: (v) => listHas(v, 'apiserver', 'enable-admission-plugins', 'EventRateLimit'),
});
