/** rbac-wildcard: A * in a rule's verbs, resources or API groups grants more than anyone reviewed — and grows with the API: new resources, subresources and custom resources are included automatically. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacWildcard = dangerCheck('rbac-wildcard', {
  description:
    "A * in a rule's verbs, resources or API groups grants more than anyone reviewed \u2014 and grows with the API: new resources, subresources and custom resources are included automatically.",
  remediation: "List the verbs, resources and API groups explicitly.",
  references: {cis: ["5.1.3"], mitre: ["T1078"], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"]},
});
