/** controller-manager-service-account-credentials: CIS 1.3.3 — controllers use individual service account credentials. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const controllerManagerServiceAccountCredentials = defineNodeControl({
  id: 'controller-manager-service-account-credentials',
  cis: '1.3.3',
  section: '1.3',
  component: 'controller-manager',
  manifests: true,
  severity: 'medium',
  title: 'controllers use individual service account credentials',
  description: 'Without `--use-service-account-credentials=true` every controller acts with the controller manager\'s own, very broad credentials, so RBAC cannot limit any one of them and the audit log cannot tell them apart.',
  remediation: 'Set --use-service-account-credentials=true.',
  evaluate: (v) => flagBool(v, 'controller-manager', 'use-service-account-credentials', true),
});
