/** Workload checks beyond the Pod Security Standards. Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { annotationCredential } from '../annotation-credential/check.js';
import { apiRemoved } from '../api-removed/check.js';
import { apiserviceInsecureTls } from '../apiservice-insecure-tls/check.js';
import { clusterVersionEol } from '../cluster-version-eol/check.js';
import { configmapCredentialKeys } from '../configmap-credential-keys/check.js';
import { imageLatestTag } from '../image-latest-tag/check.js';
import { imageNoDigest } from '../image-no-digest/check.js';
import { imagePullPolicy } from '../image-pull-policy/check.js';
import { imageRegistryNotAllowed } from '../image-registry-not-allowed/check.js';
import { ingressNginxSnippets } from '../ingress-nginx-snippets/check.js';
import { ingressNginxUnsupported } from '../ingress-nginx-unsupported/check.js';
import { ingressNoTls } from '../ingress-no-tls/check.js';
import { namespaceNoLimitRange } from '../namespace-no-limit-range/check.js';
import { namespaceNoResourceQuota } from '../namespace-no-resource-quota/check.js';
import { namespacePssUnlabeled } from '../namespace-pss-unlabeled/check.js';
import { podApparmorUnconfined } from '../pod-apparmor-unconfined/check.js';
import { podCapabilitiesNotDropped } from '../pod-capabilities-not-dropped/check.js';
import { podContainerPortSensitive } from '../pod-container-port-sensitive/check.js';
import { podDangerousCapabilities } from '../pod-dangerous-capabilities/check.js';
import { podDefaultServiceAccount } from '../pod-default-service-account/check.js';
import { podEnvLiteralSecret } from '../pod-env-literal-secret/check.js';
import { podEnvSecretRef } from '../pod-env-secret-ref/check.js';
import { podHostAliases } from '../pod-host-aliases/check.js';
import { podHostIpc } from '../pod-host-ipc/check.js';
import { podHostNetwork } from '../pod-host-network/check.js';
import { podHostPath } from '../pod-host-path/check.js';
import { podHostPid } from '../pod-host-pid/check.js';
import { podHostPort } from '../pod-host-port/check.js';
import { podLowUidGid } from '../pod-low-uid-gid/check.js';
import { podPrivilegeEscalation } from '../pod-privilege-escalation/check.js';
import { podPrivileged } from '../pod-privileged/check.js';
import { podProcMountUnmasked } from '../pod-proc-mount-unmasked/check.js';
import { podResourcesMissing } from '../pod-resources-missing/check.js';
import { podRootDefaultCapabilities } from '../pod-root-default-capabilities/check.js';
import { podRunAsRoot } from '../pod-run-as-root/check.js';
import { podSaTokenAutomount } from '../pod-sa-token-automount/check.js';
import { podSeccompUnconfined } from '../pod-seccomp-unconfined/check.js';
import { podSelinuxCustom } from '../pod-selinux-custom/check.js';
import { podSubpathSymlink } from '../pod-subpath-symlink/check.js';
import { podUnsafeSysctls } from '../pod-unsafe-sysctls/check.js';
import { podWritableRootFs } from '../pod-writable-root-fs/check.js';
import { secretHelmRelease } from '../secret-helm-release/check.js';
import { secretInlineData } from '../secret-inline-data/check.js';
import { secretSaTokenLongLived } from '../secret-sa-token-long-lived/check.js';
import { serviceExposed } from '../service-exposed/check.js';
import { serviceExternalIps } from '../service-external-ips/check.js';
import { webhookCaBundleMissing } from '../webhook-ca-bundle-missing/check.js';
import { webhookFailOpen } from '../webhook-fail-open/check.js';
import { workloadDashboardSkipLogin } from '../workload-dashboard-skip-login/check.js';
import { workloadDefaultNamespace } from '../workload-default-namespace/check.js';
import { workloadTiller } from '../workload-tiller/check.js';

export const workloadChecks: readonly AnyCheck[] = [
  annotationCredential,
  apiRemoved,
  apiserviceInsecureTls,
  clusterVersionEol,
  configmapCredentialKeys,
  imageLatestTag,
  imageNoDigest,
  imagePullPolicy,
  imageRegistryNotAllowed,
  ingressNginxSnippets,
  ingressNginxUnsupported,
  ingressNoTls,
  namespaceNoLimitRange,
  namespaceNoResourceQuota,
  namespacePssUnlabeled,
  podApparmorUnconfined,
  podCapabilitiesNotDropped,
  podContainerPortSensitive,
  podDangerousCapabilities,
  podDefaultServiceAccount,
  podEnvLiteralSecret,
  podEnvSecretRef,
  podHostAliases,
  podHostIpc,
  podHostNetwork,
  podHostPath,
  podHostPid,
  podHostPort,
  podLowUidGid,
  podPrivilegeEscalation,
  podPrivileged,
  podProcMountUnmasked,
  podResourcesMissing,
  podRootDefaultCapabilities,
  podRunAsRoot,
  podSaTokenAutomount,
  podSeccompUnconfined,
  podSelinuxCustom,
  podSubpathSymlink,
  podUnsafeSysctls,
  podWritableRootFs,
  secretHelmRelease,
  secretInlineData,
  secretSaTokenLongLived,
  serviceExposed,
  serviceExternalIps,
  webhookCaBundleMissing,
  webhookFailOpen,
  workloadDashboardSkipLogin,
  workloadDefaultNamespace,
  workloadTiller,
];
