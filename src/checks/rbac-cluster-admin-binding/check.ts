/** rbac-cluster-admin-binding: cluster-admin — or any role with * on * in every API group — can do everything, including reading every Secret and granting itself anything. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacClusterAdminBinding = dangerCheck('rbac-cluster-admin-binding', {
  description:
    "cluster-admin \u2014 or any role with * on * in every API group \u2014 can do everything, including reading every Secret and granting itself anything. Bound to a workload's service account, one compromised pod is a compromised cluster. Bound by a RoleBinding it owns the whole namespace.",
  remediation: "Bind cluster-admin to nobody but break-glass administrators; give controllers a role listing the resources and verbs they use.",
  references: {cis: ["5.1.1"], nsa: ["Authentication and authorization: least privilege"], mitre: ['T1078', 'T1098.006'], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"]},
});
