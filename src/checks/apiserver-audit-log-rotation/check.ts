/** apiserver-audit-log-rotation: audit log rotation keeps the disk bounded (version-aware). */
import { defineNodeControl } from '../node-controls/define.js';
import { auditLogRotation } from '../node-controls/templates.js';

export const apiserverAuditLogRotation = defineNodeControl({
  id: 'apiserver-audit-log-rotation',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'low',
  title: 'audit log rotation keeps the disk bounded (version-aware)',
  description: 'Before Kubernetes 1.36, `--audit-log-maxage` and `--audit-log-maxbackup` default to 0, which keeps rotated audit logs forever until the disk fills and the API server stalls; from 1.36 they default to 366 days and 100 files, but `--audit-log-maxsize=0` disables rotation.',
  remediation: 'Set --audit-log-maxage, --audit-log-maxbackup and --audit-log-maxsize to non-zero values.',
  evaluate: auditLogRotation,
});
