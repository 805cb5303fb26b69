/** rbac-token-create: create on serviceaccounts/token (the TokenRequest API) mints a token for a service account, which then acts with all of its permissions. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacTokenCreate = dangerCheck('rbac-token-create', {
  description:
    "create on serviceaccounts/token (the TokenRequest API) mints a token for a service account, which then acts with all of its permissions.",
  remediation: "Grant serviceaccounts/token create only to the components that need it (e.g. a CNI plugin for its own account), limited with resourceNames.",
  references: {cis: ["5.1.13"], mitre: ["T1528"], urls: ["https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/"]},
});
