/** rbac-secrets-read: Reading Secrets reveals every credential stored in them: database passwords, API keys, TLS private keys and, on older clusters, service-account tokens. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacSecretsRead = dangerCheck('rbac-secrets-read', {
  description:
    "Reading Secrets reveals every credential stored in them: database passwords, API keys, TLS private keys and, on older clusters, service-account tokens. Cluster-wide read access is a key to every namespace. get, list and watch all reveal values (list returns the full objects).",
  remediation: "Grant get on the few named Secrets a workload needs (resourceNames) in its own namespace, instead of list/watch on all Secrets; mount Secrets as volumes instead of reading them through the API.",
  references: {cis: ["5.1.2"], mitre: ["T1552.007"], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets"]},
});
