/** Control-plane and node checks: every control of `kspect node` (CIS Kubernetes Benchmark v1.12 sections 1, 2, 4 and kspect's own). Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { adminKubeconfigOwner } from '../admin-kubeconfig-owner/check.js';
import { adminKubeconfigPermissions } from '../admin-kubeconfig-permissions/check.js';
import { apiserverAdmissionAlwaysAdmit } from '../apiserver-admission-always-admit/check.js';
import { apiserverAdmissionNamespaceLifecycle } from '../apiserver-admission-namespace-lifecycle/check.js';
import { apiserverAdmissionNodeRestriction } from '../apiserver-admission-node-restriction/check.js';
import { apiserverAdmissionPodSecurity } from '../apiserver-admission-pod-security/check.js';
import { apiserverAdmissionServiceAccount } from '../apiserver-admission-service-account/check.js';
import { apiserverAllowPrivileged } from '../apiserver-allow-privileged/check.js';
import { apiserverAlwaysPullImages } from '../apiserver-always-pull-images/check.js';
import { apiserverAnonymousAuth } from '../apiserver-anonymous-auth/check.js';
import { apiserverAuditLogMaxage } from '../apiserver-audit-log-maxage/check.js';
import { apiserverAuditLogMaxbackup } from '../apiserver-audit-log-maxbackup/check.js';
import { apiserverAuditLogMaxsize } from '../apiserver-audit-log-maxsize/check.js';
import { apiserverAuditLogPath } from '../apiserver-audit-log-path/check.js';
import { apiserverAuditLogRotation } from '../apiserver-audit-log-rotation/check.js';
import { apiserverAuditPolicyFile } from '../apiserver-audit-policy-file/check.js';
import { apiserverAuditPolicy } from '../apiserver-audit-policy/check.js';
import { apiserverAuthorizationAlwaysAllow } from '../apiserver-authorization-always-allow/check.js';
import { apiserverAuthorizationNode } from '../apiserver-authorization-node/check.js';
import { apiserverAuthorizationRbac } from '../apiserver-authorization-rbac/check.js';
import { apiserverBasicAuthFile } from '../apiserver-basic-auth-file/check.js';
import { apiserverBindAddress } from '../apiserver-bind-address/check.js';
import { apiserverBootstrapTokenAuth } from '../apiserver-bootstrap-token-auth/check.js';
import { apiserverClientCaFile } from '../apiserver-client-ca-file/check.js';
import { apiserverDenyExternalIps } from '../apiserver-deny-external-ips/check.js';
import { apiserverEncryptionConfig } from '../apiserver-encryption-config/check.js';
import { apiserverEncryptionProviderConfig } from '../apiserver-encryption-provider-config/check.js';
import { apiserverEncryptionProviders } from '../apiserver-encryption-providers/check.js';
import { apiserverEtcdCafile } from '../apiserver-etcd-cafile/check.js';
import { apiserverEtcdClientCert } from '../apiserver-etcd-client-cert/check.js';
import { apiserverEtcdPlaintext } from '../apiserver-etcd-plaintext/check.js';
import { apiserverEventRateLimit } from '../apiserver-event-rate-limit/check.js';
import { apiserverHsts } from '../apiserver-hsts/check.js';
import { apiserverInsecureCiphers } from '../apiserver-insecure-ciphers/check.js';
import { apiserverInsecurePort } from '../apiserver-insecure-port/check.js';
import { apiserverKubeletCertificateAuthority } from '../apiserver-kubelet-certificate-authority/check.js';
import { apiserverKubeletClientCert } from '../apiserver-kubelet-client-cert/check.js';
import { apiserverManifestOwner } from '../apiserver-manifest-owner/check.js';
import { apiserverManifestPermissions } from '../apiserver-manifest-permissions/check.js';
import { apiserverProfiling } from '../apiserver-profiling/check.js';
import { apiserverRequestTimeout } from '../apiserver-request-timeout/check.js';
import { apiserverServiceAccountExtendTokenExpiration } from '../apiserver-service-account-extend-token-expiration/check.js';
import { apiserverServiceAccountKeyFile } from '../apiserver-service-account-key-file/check.js';
import { apiserverServiceAccountLookup } from '../apiserver-service-account-lookup/check.js';
import { apiserverStrongCiphers } from '../apiserver-strong-ciphers/check.js';
import { apiserverTlsCert } from '../apiserver-tls-cert/check.js';
import { apiserverTlsMinVersion } from '../apiserver-tls-min-version/check.js';
import { apiserverTokenAuthFile } from '../apiserver-token-auth-file/check.js';
import { cniFileOwner } from '../cni-file-owner/check.js';
import { cniFilePermissions } from '../cni-file-permissions/check.js';
import { controllerManagerBindAddress } from '../controller-manager-bind-address/check.js';
import { controllerManagerKubeconfigOwner } from '../controller-manager-kubeconfig-owner/check.js';
import { controllerManagerKubeconfigPermissions } from '../controller-manager-kubeconfig-permissions/check.js';
import { controllerManagerManifestOwner } from '../controller-manager-manifest-owner/check.js';
import { controllerManagerManifestPermissions } from '../controller-manager-manifest-permissions/check.js';
import { controllerManagerProfiling } from '../controller-manager-profiling/check.js';
import { controllerManagerRootCaFile } from '../controller-manager-root-ca-file/check.js';
import { controllerManagerRotateKubeletServerCertificate } from '../controller-manager-rotate-kubelet-server-certificate/check.js';
import { controllerManagerServiceAccountCredentials } from '../controller-manager-service-account-credentials/check.js';
import { controllerManagerServiceAccountPrivateKey } from '../controller-manager-service-account-private-key/check.js';
import { controllerManagerTerminatedPodGc } from '../controller-manager-terminated-pod-gc/check.js';
import { encryptionConfigPermissions } from '../encryption-config-permissions/check.js';
import { etcdAutoTls } from '../etcd-auto-tls/check.js';
import { etcdClientCertAuth } from '../etcd-client-cert-auth/check.js';
import { etcdDataDirOwner } from '../etcd-data-dir-owner/check.js';
import { etcdDataDirPermissions } from '../etcd-data-dir-permissions/check.js';
import { etcdListenClientPlaintext } from '../etcd-listen-client-plaintext/check.js';
import { etcdManifestOwner } from '../etcd-manifest-owner/check.js';
import { etcdManifestPermissions } from '../etcd-manifest-permissions/check.js';
import { etcdPeerAutoTls } from '../etcd-peer-auto-tls/check.js';
import { etcdPeerClientCertAuth } from '../etcd-peer-client-cert-auth/check.js';
import { etcdPeerPlaintext } from '../etcd-peer-plaintext/check.js';
import { etcdPeerTls } from '../etcd-peer-tls/check.js';
import { etcdPeerTrustedCa } from '../etcd-peer-trusted-ca/check.js';
import { etcdPprof } from '../etcd-pprof/check.js';
import { etcdSharedCa } from '../etcd-shared-ca/check.js';
import { etcdTls } from '../etcd-tls/check.js';
import { etcdUniqueCa } from '../etcd-unique-ca/check.js';
import { kubeletAnonymousAuth } from '../kubelet-anonymous-auth/check.js';
import { kubeletAuthorizationMode } from '../kubelet-authorization-mode/check.js';
import { kubeletClientCaFile } from '../kubelet-client-ca-file/check.js';
import { kubeletClientCaOwner } from '../kubelet-client-ca-owner/check.js';
import { kubeletClientCaPermissions } from '../kubelet-client-ca-permissions/check.js';
import { kubeletConfigOwner } from '../kubelet-config-owner/check.js';
import { kubeletConfigPermissions } from '../kubelet-config-permissions/check.js';
import { kubeletEventQps } from '../kubelet-event-qps/check.js';
import { kubeletHostnameOverride } from '../kubelet-hostname-override/check.js';
import { kubeletInsecureCiphers } from '../kubelet-insecure-ciphers/check.js';
import { kubeletIptablesUtilChains } from '../kubelet-iptables-util-chains/check.js';
import { kubeletKubeconfigOwner } from '../kubelet-kubeconfig-owner/check.js';
import { kubeletKubeconfigPermissions } from '../kubelet-kubeconfig-permissions/check.js';
import { kubeletPodPidsLimit } from '../kubelet-pod-pids-limit/check.js';
import { kubeletReadOnlyPortOpen } from '../kubelet-read-only-port-open/check.js';
import { kubeletReadOnlyPort } from '../kubelet-read-only-port/check.js';
import { kubeletRotateCertificates } from '../kubelet-rotate-certificates/check.js';
import { kubeletRotateServerCertificates } from '../kubelet-rotate-server-certificates/check.js';
import { kubeletSeccompDefault } from '../kubelet-seccomp-default/check.js';
import { kubeletServiceOwner } from '../kubelet-service-owner/check.js';
import { kubeletServicePermissions } from '../kubelet-service-permissions/check.js';
import { kubeletStreamingIdleTimeout } from '../kubelet-streaming-idle-timeout/check.js';
import { kubeletStrongCiphers } from '../kubelet-strong-ciphers/check.js';
import { kubeletTlsCert } from '../kubelet-tls-cert/check.js';
import { kubeletTlsMinVersion } from '../kubelet-tls-min-version/check.js';
import { pkiCertPermissions } from '../pki-cert-permissions/check.js';
import { pkiKeyFilePermissions } from '../pki-key-file-permissions/check.js';
import { pkiOwner } from '../pki-owner/check.js';
import { pkiPrivateKeyPermissions } from '../pki-private-key-permissions/check.js';
import { proxyKubeconfigOwner } from '../proxy-kubeconfig-owner/check.js';
import { proxyKubeconfigPermissions } from '../proxy-kubeconfig-permissions/check.js';
import { proxyMetricsBindAddress } from '../proxy-metrics-bind-address/check.js';
import { schedulerBindAddress } from '../scheduler-bind-address/check.js';
import { schedulerKubeconfigOwner } from '../scheduler-kubeconfig-owner/check.js';
import { schedulerKubeconfigPermissions } from '../scheduler-kubeconfig-permissions/check.js';
import { schedulerManifestOwner } from '../scheduler-manifest-owner/check.js';
import { schedulerManifestPermissions } from '../scheduler-manifest-permissions/check.js';
import { schedulerProfiling } from '../scheduler-profiling/check.js';

export const nodeChecks: readonly AnyCheck[] = [
  adminKubeconfigOwner,
  adminKubeconfigPermissions,
  apiserverAdmissionAlwaysAdmit,
  apiserverAdmissionNamespaceLifecycle,
  apiserverAdmissionNodeRestriction,
  apiserverAdmissionPodSecurity,
  apiserverAdmissionServiceAccount,
  apiserverAllowPrivileged,
  apiserverAlwaysPullImages,
  apiserverAnonymousAuth,
  apiserverAuditLogMaxage,
  apiserverAuditLogMaxbackup,
  apiserverAuditLogMaxsize,
  apiserverAuditLogPath,
  apiserverAuditLogRotation,
  apiserverAuditPolicy,
  apiserverAuditPolicyFile,
  apiserverAuthorizationAlwaysAllow,
  apiserverAuthorizationNode,
  apiserverAuthorizationRbac,
  apiserverBasicAuthFile,
  apiserverBindAddress,
  apiserverBootstrapTokenAuth,
  apiserverClientCaFile,
  apiserverDenyExternalIps,
  apiserverEncryptionConfig,
  apiserverEncryptionProviderConfig,
  apiserverEncryptionProviders,
  apiserverEtcdCafile,
  apiserverEtcdClientCert,
  apiserverEtcdPlaintext,
  apiserverEventRateLimit,
  apiserverHsts,
  apiserverInsecureCiphers,
  apiserverInsecurePort,
  apiserverKubeletCertificateAuthority,
  apiserverKubeletClientCert,
  apiserverManifestOwner,
  apiserverManifestPermissions,
  apiserverProfiling,
  apiserverRequestTimeout,
  apiserverServiceAccountExtendTokenExpiration,
  apiserverServiceAccountKeyFile,
  apiserverServiceAccountLookup,
  apiserverStrongCiphers,
  apiserverTlsCert,
  apiserverTlsMinVersion,
  apiserverTokenAuthFile,
  cniFileOwner,
  cniFilePermissions,
  controllerManagerBindAddress,
  controllerManagerKubeconfigOwner,
  controllerManagerKubeconfigPermissions,
  controllerManagerManifestOwner,
  controllerManagerManifestPermissions,
  controllerManagerProfiling,
  controllerManagerRootCaFile,
  controllerManagerRotateKubeletServerCertificate,
  controllerManagerServiceAccountCredentials,
  controllerManagerServiceAccountPrivateKey,
  controllerManagerTerminatedPodGc,
  encryptionConfigPermissions,
  etcdAutoTls,
  etcdClientCertAuth,
  etcdDataDirOwner,
  etcdDataDirPermissions,
  etcdListenClientPlaintext,
  etcdManifestOwner,
  etcdManifestPermissions,
  etcdPeerAutoTls,
  etcdPeerClientCertAuth,
  etcdPeerPlaintext,
  etcdPeerTls,
  etcdPeerTrustedCa,
  etcdPprof,
  etcdSharedCa,
  etcdTls,
  etcdUniqueCa,
  kubeletAnonymousAuth,
  kubeletAuthorizationMode,
  kubeletClientCaFile,
  kubeletClientCaOwner,
  kubeletClientCaPermissions,
  kubeletConfigOwner,
  kubeletConfigPermissions,
  kubeletEventQps,
  kubeletHostnameOverride,
  kubeletInsecureCiphers,
  kubeletIptablesUtilChains,
  kubeletKubeconfigOwner,
  kubeletKubeconfigPermissions,
  kubeletPodPidsLimit,
  kubeletReadOnlyPort,
  kubeletReadOnlyPortOpen,
  kubeletRotateCertificates,
  kubeletRotateServerCertificates,
  kubeletSeccompDefault,
  kubeletServiceOwner,
  kubeletServicePermissions,
  kubeletStreamingIdleTimeout,
  kubeletStrongCiphers,
  kubeletTlsCert,
  kubeletTlsMinVersion,
  pkiCertPermissions,
  pkiKeyFilePermissions,
  pkiOwner,
  pkiPrivateKeyPermissions,
  proxyKubeconfigOwner,
  proxyKubeconfigPermissions,
  proxyMetricsBindAddress,
  schedulerBindAddress,
  schedulerKubeconfigOwner,
  schedulerKubeconfigPermissions,
  schedulerManifestOwner,
  schedulerManifestPermissions,
  schedulerProfiling,
];
