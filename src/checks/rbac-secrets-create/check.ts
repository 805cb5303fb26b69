/** rbac-secrets-create: Creating a Secret of type kubernetes. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacSecretsCreate = dangerCheck('rbac-secrets-create', {
  description:
    "Creating a Secret of type kubernetes.io/service-account-token makes the token controller fill it with a long-lived token for the named service account; with read access to Secrets that token is theirs. Secret creation also lets an attacker plant credentials other workloads trust.",
  remediation: "Grant create on Secrets only to the controllers that manage them; prefer external secret stores; disable legacy token Secrets where possible.",
  references: {mitre: ["T1528"], urls: ["https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets"]},
});
