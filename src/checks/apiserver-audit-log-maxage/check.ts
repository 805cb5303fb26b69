/** apiserver-audit-log-maxage: CIS 1.2.17 — --audit-log-maxage is 30 days or more. */
import { defineNodeControl } from '../node-controls/define.js';
import { intAtLeast } from '../node-controls/view.js';

export const apiserverAuditLogMaxage = defineNodeControl({
  id: 'apiserver-audit-log-maxage',
  cis: '1.2.17',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'low',
  title: '--audit-log-maxage is 30 days or more',
  description: 'Rotated audit logs younger than `--audit-log-maxage` days are kept; a short age throws away the trail an investigation needs.',
  remediation: 'Set --audit-log-maxage=30 or more.',
  evaluate: (v) => intAtLeast(v, 'apiserver', 'audit-log-maxage', 30),
});
