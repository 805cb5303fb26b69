/** rbac-namespace-update: Whoever can update or patch a Namespace can change its Pod Security Admission labels (e. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacNamespaceUpdate = dangerCheck('rbac-namespace-update', {
  description:
    "Whoever can update or patch a Namespace can change its Pod Security Admission labels (e.g. enforce: privileged) and so run privileged pods there. A RoleBinding in a namespace grants update on that namespace object itself.",
  remediation: "Manage namespaces (and their labels) through the platform team or a policy engine; do not grant update/patch on namespaces to tenants.",
  references: {mitre: ["T1562"], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#namespace-modification"]},
});
