/** apiserver-audit-log-maxsize: CIS 1.2.19 — --audit-log-maxsize is 100 MB or more. */
import { defineNodeControl } from '../node-controls/define.js';
import { intAtLeast } from '../node-controls/view.js';

export const apiserverAuditLogMaxsize = defineNodeControl({
  id: 'apiserver-audit-log-maxsize',
  cis: '1.2.19',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'low',
  title: '--audit-log-maxsize is 100 MB or more',
  description: 'An audit log file is rotated once it reaches `--audit-log-maxsize` megabytes; small files with few backups keep little history.',
  remediation: 'Set --audit-log-maxsize=100 or more.',
  evaluate: (v) => intAtLeast(v, 'apiserver', 'audit-log-maxsize', 100),
});
