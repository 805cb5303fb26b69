/** apiserver-audit-log-maxbackup: CIS 1.2.18 — --audit-log-maxbackup is 10 or more. */
import { defineNodeControl } from '../node-controls/define.js';
import { intAtLeast } from '../node-controls/view.js';

export const apiserverAuditLogMaxbackup = defineNodeControl({
  id: 'apiserver-audit-log-maxbackup',
  cis: '1.2.18',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'low',
  title: '--audit-log-maxbackup is 10 or more',
  description: 'Only `--audit-log-maxbackup` rotated audit log files are kept; too few and a busy cluster loses its history within hours.',
  remediation: 'Set --audit-log-maxbackup=10 or more.',
  evaluate: (v) => intAtLeast(v, 'apiserver', 'audit-log-maxbackup', 10),
});
