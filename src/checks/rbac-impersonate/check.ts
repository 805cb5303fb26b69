/** rbac-impersonate: Impersonation lets a client act as another user, group or service account. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacImpersonate = dangerCheck('rbac-impersonate', {
  description:
    "Impersonation lets a client act as another user, group or service account. Impersonating the group system:masters is an unrevocable cluster takeover; impersonating any user or service account gives their permissions.",
  remediation: "Do not grant impersonate except to authenticating proxies; when needed, limit it with resourceNames to specific users or groups and never to system:masters.",
  references: {cis: ["5.1.8"], mitre: ["T1078"], urls: ["https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation"]},
});
