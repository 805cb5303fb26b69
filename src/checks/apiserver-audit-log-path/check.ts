/** apiserver-audit-log-path: CIS 1.2.16 — API server audit logging is on (--audit-log-path). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverAuditLogPath = defineNodeControl({
  id: 'apiserver-audit-log-path',
  cis: '1.2.16',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'medium',
  title: 'API server audit logging is on (--audit-log-path)',
  description: 'Without `--audit-log-path` (or a webhook backend) the API server writes no audit log: nobody can tell afterwards who read a Secret, exec-ed into a pod or changed a binding.',
  remediation: 'Set --audit-log-path (and --audit-policy-file).',
  evaluate: (v) => flagsSet(v, 'apiserver', 'audit-log-path'),
});
