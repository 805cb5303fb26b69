/** apiserver-audit-policy-file: an audit policy is configured (--audit-policy-file). */
import { defineNodeControl } from '../node-controls/define.js';
import { auditPolicyFileSet } from '../node-controls/templates.js';

export const apiserverAuditPolicyFile = defineNodeControl({
  id: 'apiserver-audit-policy-file',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'medium',
  title: 'an audit policy is configured (--audit-policy-file)',
  description: 'Without `--audit-policy-file` the API server has no audit policy and logs no event at all, even with `--audit-log-path` set.',
  remediation: 'Set --audit-policy-file.',
  evaluate: auditPolicyFileSet,
});
