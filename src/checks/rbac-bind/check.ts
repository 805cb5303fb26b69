/** rbac-bind: The bind verb lets its holder create bindings to roles whose permissions they do not hold. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacBind = dangerCheck('rbac-bind', {
  description:
    "The bind verb lets its holder create bindings to roles whose permissions they do not hold. With bind on cluster-admin (or on all roles) and create on clusterrolebindings, a subject makes itself cluster-admin.",
  remediation: "Remove bind, or limit it with resourceNames to the specific low-privilege roles a delegated administrator may hand out.",
  references: {cis: ["5.1.8"], mitre: ["T1098.006"], urls: ["https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update"]},
});
