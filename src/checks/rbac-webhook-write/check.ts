/** rbac-webhook-write: Admission webhooks and admission policies see and can change every object written to the cluster. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacWebhookWrite = dangerCheck('rbac-webhook-write', {
  description:
    "Admission webhooks and admission policies see and can change every object written to the cluster. Whoever edits their configuration can disable security policy, intercept Secrets in requests, or inject containers into every pod.",
  remediation: "Limit writes to ValidatingWebhookConfigurations, MutatingWebhookConfigurations and admission policies to the cluster administrators and to controllers that patch only their own configuration (resourceNames).",
  references: {cis: ["5.1.12"], mitre: ['T1098.006'], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks"]},
});
