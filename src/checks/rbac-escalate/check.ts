/** rbac-escalate: The escalate verb on roles or clusterroles switches off the API server's escalation prevention: its holder can write any rule into a role — including rules they do not hold — and, with a binding to that role, gain them. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacEscalate = dangerCheck('rbac-escalate', {
  description:
    "The escalate verb on roles or clusterroles switches off the API server's escalation prevention: its holder can write any rule into a role \u2014 including rules they do not hold \u2014 and, with a binding to that role, gain them.",
  remediation: "Remove escalate; let role authors hold the permissions they grant, or manage roles through a reviewed pipeline.",
  references: {cis: ["5.1.8"], mitre: ["T1098.006"], urls: ["https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-creation-or-update"]},
});
