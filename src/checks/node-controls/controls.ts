/**
 * The node controls of kspect: every check of CIS Kubernetes Benchmark v1.12 sections 1, 2 and 4
 * (automated ones evaluated, manual ones listed as MANUAL with what kspect observed), and the
 * checks kspect adds beyond CIS. Each control has a stable kebab-case id; CIS ids are references.
 */
import type { Severity } from '../../core/severity.js';
import { auditEncryptionConfig, parseEncryptionConfig } from '../../engines/encryption/config.js';
import { auditPolicyIssues, parseAuditPolicy } from '../../engines/audit-policy/policy.js';
import { parseGoBool, parseGoInt } from '../../engines/node/flags.js';
import { DEFAULT_MANIFESTS, DEFAULTS, etcdDataDir, kubeconfigOf, nodePath } from '../../engines/node/paths.js';
import { COMPONENT_NAMES, type Component } from '../../engines/node/snapshot.js';
import {
  boolOf,
  fail,
  flagBool,
  flagEquals,
  flagsSet,
  flagUnset,
  flagValue,
  intAtLeast,
  kubelet,
  kubeletCheck,
  listHas,
  listLacks,
  modeAtMost,
  notEvaluated,
  notFound,
  ownerIs,
  pass,
  withComponent,
  type NodeView,
  type Outcome,
} from './view.js';

export interface NodeControl {
  readonly id: string;
  readonly cis?: string;
  readonly section: string;
  readonly title: string;
  /** False: a manual CIS check, listed as MANUAL and never passed. */
  readonly automated: boolean;
  /** FAIL for medium and above; a failing low/info control is a WARN. */
  readonly severity: Severity;
  readonly component: Component | 'files';
  /** Decided by the component's flags alone, so `kspect scan` can run it on a static pod manifest. */
  readonly flagsOnly?: boolean;
  readonly remediation: string;
  readonly evaluate: (view: NodeView) => Outcome[];
}

export interface NodeSection {
  readonly id: string;
  readonly title: string;
}

export const SECTIONS: readonly NodeSection[] = [
  { id: '1', title: 'Control plane (CIS 1)' },
  { id: '1.1', title: 'Control plane node files' },
  { id: '1.2', title: 'API server' },
  { id: '1.3', title: 'Controller manager' },
  { id: '1.4', title: 'Scheduler' },
  { id: '2', title: 'etcd (CIS 2)' },
  { id: '4', title: 'Worker node (CIS 4)' },
  { id: '4.1', title: 'Worker node files' },
  { id: '4.2', title: 'Kubelet' },
  { id: '4.3', title: 'kube-proxy' },
  { id: 'K', title: 'Beyond CIS (kspect)' },
  { id: 'K.1', title: 'API server' },
  { id: 'K.2', title: 'etcd' },
  { id: 'K.3', title: 'Kubelet' },
  { id: 'K.4', title: 'Secrets at rest, audit policy and key files' },
];

// ---------------------------------------------------------------- helpers

type ControlSpec = Omit<NodeControl, 'section' | 'component' | 'automated' | 'severity'> & Partial<Pick<NodeControl, 'section' | 'component' | 'automated' | 'severity'>>;

function group(defaults: Pick<NodeControl, 'section'> & Partial<Pick<NodeControl, 'component' | 'automated' | 'severity' | 'flagsOnly'>>, specs: readonly ControlSpec[]): NodeControl[] {
  return specs.map((s) => ({ automated: true, severity: 'medium', component: 'files', ...defaults, ...s }));
}

function manifestOf(view: NodeView, c: Component): string {
  const ci = view.component(c);
  if (ci?.origin.type === 'manifest') return ci.origin.file;
  return DEFAULT_MANIFESTS[c] ?? '';
}

function manifestMode(c: Component): (v: NodeView) => Outcome[] {
  return (v) => [modeAtMost(v, manifestOf(v, c), 0o600, `${COMPONENT_NAMES[c]} manifest`)];
}
function manifestOwner(c: Component): (v: NodeView) => Outcome[] {
  return (v) => [ownerIs(v, manifestOf(v, c), 'root', 'root', `${COMPONENT_NAMES[c]} manifest`)];
}

function adminConfs(v: NodeView): string[] {
  return [...DEFAULTS.adminConfs].filter((p) => v.file(p)?.exists === true);
}

function kubeconfigPath(v: NodeView, c: Component): string {
  return kubeconfigOf(c, v.component(c)) ?? '';
}

function kubeletServiceFiles(v: NodeView): string[] {
  return [...v.snapshot.kubeletUnits];
}

/** Manual: list as MANUAL with what kspect saw. */
function observe(fn: (v: NodeView) => Outcome[]): (v: NodeView) => Outcome[] {
  return fn;
}

const TLS_VERSIONS: Readonly<Record<string, number>> = { VersionTLS10: 10, VersionTLS11: 11, VersionTLS12: 12, VersionTLS13: 13 };

/** Go's crypto/tls insecure cipher suites (tls.InsecureCipherSuites) and other weak ones Kubernetes accepts. */
export const INSECURE_CIPHERS: ReadonlySet<string> = new Set([
  'TLS_RSA_WITH_RC4_128_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
]);

function tlsMinVersion(value: string | undefined, where: string, flag: string): Outcome {
  if (value === undefined) return pass(`${where} not set (Kubernetes serves TLS 1.2 and above by default)`, { flag });
  const v = TLS_VERSIONS[value];
  if (v === undefined) return fail(`${where}=${value} is not a known TLS version`, { flag });
  return v >= 12 ? pass(`${where}=${value}`, { flag }) : fail(`${where}=${value} allows TLS versions below 1.2`, { flag });
}

function insecureCiphers(list: readonly string[] | undefined, where: string, flag: string): Outcome {
  if (list === undefined || list.length === 0) return pass(`${where} not set (Go's secure default suites)`, { flag });
  const bad = list.filter((c) => INSECURE_CIPHERS.has(c));
  return bad.length === 0 ? pass(`${where} lists only secure suites`, { flag }) : fail(`${where} includes insecure suites: ${bad.join(', ')}`, { flag });
}

function audit(v: NodeView, path: string | undefined): Outcome[] {
  if (path === undefined) return [];
  const p = v.parsed(path);
  if (!p) return [notEvaluated('missing-input', `audit policy ${path} was not read`, { file: path })];
  if (p.error !== undefined) return [notEvaluated('not-readable', `audit policy ${path}: ${p.error}`, { file: path })];
  const issues = auditPolicyIssues(parseAuditPolicy(p.value));
  if (issues.length === 0) return [pass(`audit policy ${path} logs no secret bodies, has a catch-all rule and omits RequestReceived`, { file: path })];
  return issues.map((i) => fail(`audit policy ${path}: ${i.message}`, { file: path }));
}

function encryption(v: NodeView, path: string): Outcome[] {
  const p = v.parsed(path);
  if (!p) return [notEvaluated('missing-input', `encryption configuration ${path} was not read`, { file: path })];
  if (p.error !== undefined) return [notEvaluated('not-readable', `encryption configuration ${path}: ${p.error}`, { file: path })];
  const issues = auditEncryptionConfig(parseEncryptionConfig(p.value));
  if (issues.length === 0) return [pass(`encryption configuration ${path}: Secrets are encrypted by a sound provider`, { file: path })];
  return issues.map((i) => fail(`encryption configuration ${path}: ${i.message}`, { file: path }));
}

/** Encryption config in effect: --encryption-provider-config, or the one given on the command line. */
function encryptionConfigPath(v: NodeView): string | undefined {
  const given = v.snapshot.parsed.get('<given>/encryption-config') ? '<given>/encryption-config' : undefined;
  if (given) return given;
  const ci = v.component('apiserver');
  const f = ci ? flagValue(ci, 'encryption-provider-config') : undefined;
  return f !== undefined ? nodePath(f) : undefined;
}

function auditPolicyPath(v: NodeView): string | undefined {
  if (v.snapshot.parsed.get('<given>/audit-policy')) return '<given>/audit-policy';
  const ci = v.component('apiserver');
  const f = ci ? flagValue(ci, 'audit-policy-file') : undefined;
  return f !== undefined ? nodePath(f) : undefined;
}

const CIS = 'Follow the CIS Kubernetes Benchmark v1.12 recommendation';

// ---------------------------------------------------------------- CIS 1.1

const S11: NodeControl[] = group({ section: '1.1' }, [
  { id: 'apiserver-manifest-permissions', cis: '1.1.1', title: 'kube-apiserver manifest mode is 600 or stricter', component: 'files', evaluate: manifestMode('apiserver'), remediation: 'chmod 600 /etc/kubernetes/manifests/kube-apiserver.yaml' },
  { id: 'apiserver-manifest-owner', cis: '1.1.2', title: 'kube-apiserver manifest is owned by root:root', component: 'files', evaluate: manifestOwner('apiserver'), remediation: 'chown root:root /etc/kubernetes/manifests/kube-apiserver.yaml' },
  { id: 'controller-manager-manifest-permissions', cis: '1.1.3', title: 'kube-controller-manager manifest mode is 600 or stricter', component: 'files', evaluate: manifestMode('controller-manager'), remediation: 'chmod 600 /etc/kubernetes/manifests/kube-controller-manager.yaml' },
  { id: 'controller-manager-manifest-owner', cis: '1.1.4', title: 'kube-controller-manager manifest is owned by root:root', component: 'files', evaluate: manifestOwner('controller-manager'), remediation: 'chown root:root /etc/kubernetes/manifests/kube-controller-manager.yaml' },
  { id: 'scheduler-manifest-permissions', cis: '1.1.5', title: 'kube-scheduler manifest mode is 600 or stricter', component: 'files', evaluate: manifestMode('scheduler'), remediation: 'chmod 600 /etc/kubernetes/manifests/kube-scheduler.yaml' },
  { id: 'scheduler-manifest-owner', cis: '1.1.6', title: 'kube-scheduler manifest is owned by root:root', component: 'files', evaluate: manifestOwner('scheduler'), remediation: 'chown root:root /etc/kubernetes/manifests/kube-scheduler.yaml' },
  { id: 'etcd-manifest-permissions', cis: '1.1.7', title: 'etcd manifest mode is 600 or stricter', component: 'files', evaluate: manifestMode('etcd'), remediation: 'chmod 600 /etc/kubernetes/manifests/etcd.yaml' },
  { id: 'etcd-manifest-owner', cis: '1.1.8', title: 'etcd manifest is owned by root:root', component: 'files', evaluate: manifestOwner('etcd'), remediation: 'chown root:root /etc/kubernetes/manifests/etcd.yaml' },
  { id: 'cni-file-permissions', cis: '1.1.9', title: 'CNI configuration files have mode 600 or stricter', component: 'files', automated: false, evaluate: () => [], remediation: 'chmod 600 the files of the CNI configuration folder' },
  { id: 'cni-file-owner', cis: '1.1.10', title: 'CNI configuration files are owned by root:root', component: 'files', automated: false, evaluate: () => [], remediation: 'chown root:root the files of the CNI configuration folder' },
  { id: 'etcd-data-dir-permissions', cis: '1.1.11', title: 'etcd data directory mode is 700 or stricter', component: 'files', evaluate: (v) => [modeAtMost(v, etcdDataDir(v.component('etcd')), 0o700, 'etcd data directory')], remediation: 'chmod 700 the etcd data directory (--data-dir)' },
  { id: 'etcd-data-dir-owner', cis: '1.1.12', title: 'etcd data directory is owned by etcd:etcd', component: 'files', evaluate: (v) => [ownerIs(v, etcdDataDir(v.component('etcd')), 'etcd', 'etcd', 'etcd data directory')], remediation: 'chown etcd:etcd the etcd data directory (--data-dir)' },
  {
    id: 'admin-kubeconfig-permissions',
    cis: '1.1.13',
    title: 'admin.conf and super-admin.conf have mode 600 or stricter',
    component: 'files',
    evaluate: (v) => {
      const files = adminConfs(v);
      return files.length > 0 ? files.map((p) => modeAtMost(v, p, 0o600, 'admin kubeconfig')) : [notEvaluated('missing-input', 'neither /etc/kubernetes/admin.conf nor /etc/kubernetes/super-admin.conf exists')];
    },
    remediation: 'chmod 600 /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf',
  },
  {
    id: 'admin-kubeconfig-owner',
    cis: '1.1.14',
    title: 'admin.conf and super-admin.conf are owned by root:root',
    component: 'files',
    evaluate: (v) => {
      const files = adminConfs(v);
      return files.length > 0 ? files.map((p) => ownerIs(v, p, 'root', 'root', 'admin kubeconfig')) : [notEvaluated('missing-input', 'neither /etc/kubernetes/admin.conf nor /etc/kubernetes/super-admin.conf exists')];
    },
    remediation: 'chown root:root /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf',
  },
  { id: 'scheduler-kubeconfig-permissions', cis: '1.1.15', title: 'scheduler kubeconfig mode is 600 or stricter', component: 'files', evaluate: (v) => [modeAtMost(v, kubeconfigPath(v, 'scheduler'), 0o600, 'scheduler kubeconfig')], remediation: 'chmod 600 /etc/kubernetes/scheduler.conf' },
  { id: 'scheduler-kubeconfig-owner', cis: '1.1.16', title: 'scheduler kubeconfig is owned by root:root', component: 'files', evaluate: (v) => [ownerIs(v, kubeconfigPath(v, 'scheduler'), 'root', 'root', 'scheduler kubeconfig')], remediation: 'chown root:root /etc/kubernetes/scheduler.conf' },
  { id: 'controller-manager-kubeconfig-permissions', cis: '1.1.17', title: 'controller-manager kubeconfig mode is 600 or stricter', component: 'files', evaluate: (v) => [modeAtMost(v, kubeconfigPath(v, 'controller-manager'), 0o600, 'controller-manager kubeconfig')], remediation: 'chmod 600 /etc/kubernetes/controller-manager.conf' },
  { id: 'controller-manager-kubeconfig-owner', cis: '1.1.18', title: 'controller-manager kubeconfig is owned by root:root', component: 'files', evaluate: (v) => [ownerIs(v, kubeconfigPath(v, 'controller-manager'), 'root', 'root', 'controller-manager kubeconfig')], remediation: 'chown root:root /etc/kubernetes/controller-manager.conf' },
  {
    id: 'pki-owner',
    cis: '1.1.19',
    title: 'the PKI folder and its files are owned by root:root',
    component: 'files',
    evaluate: (v) => (v.snapshot.pki.length > 0 ? v.snapshot.pki.map((p) => ownerIs(v, p, 'root', 'root', 'PKI entry')) : [notEvaluated('missing-input', `${DEFAULTS.pkiDir} does not exist`)]),
    remediation: 'chown -R root:root /etc/kubernetes/pki/',
  },
  { id: 'pki-cert-permissions', cis: '1.1.20', title: 'PKI certificates have mode 644 or stricter', component: 'files', automated: false, evaluate: observe((v) => v.snapshot.pki.filter((p) => p.endsWith('.crt')).map((p) => modeAtMost(v, p, 0o644, 'certificate'))), remediation: 'chmod 644 /etc/kubernetes/pki/*.crt' },
  { id: 'pki-key-permissions', cis: '1.1.21', title: 'PKI keys have mode 600', component: 'files', automated: false, evaluate: observe((v) => v.snapshot.pki.filter((p) => p.endsWith('.key')).map((p) => modeAtMost(v, p, 0o600, 'private key'))), remediation: 'chmod 600 /etc/kubernetes/pki/*.key' },
]);

// ---------------------------------------------------------------- CIS 1.2 – 1.4

const A: Component = 'apiserver';
const S12: NodeControl[] = group({ section: '1.2', component: A, flagsOnly: true }, [
  { id: 'apiserver-anonymous-auth', cis: '1.2.1', title: 'anonymous requests to the API server are disabled', severity: 'medium', automated: false, evaluate: (v) => flagBool(v, A, 'anonymous-auth', false, true), remediation: 'Set --anonymous-auth=false once health checks no longer need anonymous access (or restrict it with an AuthenticationConfiguration).' },
  { id: 'apiserver-token-auth-file', cis: '1.2.2', title: 'no static token file (--token-auth-file)', severity: 'high', evaluate: (v) => flagUnset(v, A, 'token-auth-file', 'static bearer tokens in a plaintext file, never rotated'), remediation: 'Remove --token-auth-file; use client certificates, OIDC or webhook token authentication.' },
  { id: 'apiserver-deny-external-ips', cis: '1.2.3', title: 'the DenyServiceExternalIPs admission plugin is enabled', severity: 'low', automated: false, evaluate: (v) => listHas(v, A, 'enable-admission-plugins', 'DenyServiceExternalIPs'), remediation: 'Add DenyServiceExternalIPs to --enable-admission-plugins.' },
  { id: 'apiserver-kubelet-client-cert', cis: '1.2.4', title: 'the API server authenticates to kubelets with a client certificate', severity: 'high', evaluate: (v) => flagsSet(v, A, 'kubelet-client-certificate', 'kubelet-client-key'), remediation: 'Set --kubelet-client-certificate and --kubelet-client-key.' },
  { id: 'apiserver-kubelet-certificate-authority', cis: '1.2.5', title: 'the API server verifies kubelet serving certificates', severity: 'high', evaluate: (v) => flagsSet(v, A, 'kubelet-certificate-authority'), remediation: 'Set --kubelet-certificate-authority to the CA that signs kubelet serving certificates.' },
  { id: 'apiserver-authorization-always-allow', cis: '1.2.6', title: '--authorization-mode does not include AlwaysAllow', severity: 'critical', evaluate: (v) => listLacks(v, A, 'authorization-mode', 'AlwaysAllow', false, 'every authenticated request is authorized'), remediation: 'Set --authorization-mode=Node,RBAC.' },
  { id: 'apiserver-authorization-node', cis: '1.2.7', title: '--authorization-mode includes Node', severity: 'high', evaluate: (v) => listHas(v, A, 'authorization-mode', 'Node'), remediation: 'Set --authorization-mode=Node,RBAC.' },
  { id: 'apiserver-authorization-rbac', cis: '1.2.8', title: '--authorization-mode includes RBAC', severity: 'high', evaluate: (v) => listHas(v, A, 'authorization-mode', 'RBAC'), remediation: 'Set --authorization-mode=Node,RBAC.' },
  { id: 'apiserver-event-rate-limit', cis: '1.2.9', title: 'the EventRateLimit admission plugin is enabled', severity: 'low', automated: false, evaluate: (v) => listHas(v, A, 'enable-admission-plugins', 'EventRateLimit'), remediation: 'Enable EventRateLimit with a configuration in --admission-control-config-file.' },
  { id: 'apiserver-admission-always-admit', cis: '1.2.10', title: 'the AlwaysAdmit admission plugin is not enabled', severity: 'high', evaluate: (v) => listLacks(v, A, 'enable-admission-plugins', 'AlwaysAdmit', true, 'it admits every request'), remediation: 'Remove AlwaysAdmit from --enable-admission-plugins.' },
  { id: 'apiserver-always-pull-images', cis: '1.2.11', title: 'the AlwaysPullImages admission plugin is enabled', severity: 'low', automated: false, evaluate: (v) => listHas(v, A, 'enable-admission-plugins', 'AlwaysPullImages'), remediation: 'Add AlwaysPullImages to --enable-admission-plugins on multi-tenant clusters.' },
  { id: 'apiserver-admission-service-account', cis: '1.2.12', title: 'the ServiceAccount admission plugin is not disabled', severity: 'high', evaluate: (v) => listLacks(v, A, 'disable-admission-plugins', 'ServiceAccount', true, 'pods are not bound to service accounts'), remediation: 'Remove ServiceAccount from --disable-admission-plugins.' },
  { id: 'apiserver-admission-namespace-lifecycle', cis: '1.2.13', title: 'the NamespaceLifecycle admission plugin is not disabled', severity: 'medium', evaluate: (v) => listLacks(v, A, 'disable-admission-plugins', 'NamespaceLifecycle', true, 'objects can be created in terminating or missing namespaces'), remediation: 'Remove NamespaceLifecycle from --disable-admission-plugins.' },
  { id: 'apiserver-admission-node-restriction', cis: '1.2.14', title: 'the NodeRestriction admission plugin is enabled', severity: 'high', evaluate: (v) => listHas(v, A, 'enable-admission-plugins', 'NodeRestriction'), remediation: 'Add NodeRestriction to --enable-admission-plugins (kubelets can then only modify their own Node and pods).' },
  { id: 'apiserver-profiling', cis: '1.2.15', title: 'API server profiling is disabled', severity: 'low', evaluate: (v) => flagBool(v, A, 'profiling', false), remediation: 'Set --profiling=false.' },
  { id: 'apiserver-audit-log-path', cis: '1.2.16', title: 'API server audit logging is on (--audit-log-path)', severity: 'medium', evaluate: (v) => flagsSet(v, A, 'audit-log-path'), remediation: 'Set --audit-log-path (and --audit-policy-file).' },
  { id: 'apiserver-audit-log-maxage', cis: '1.2.17', title: '--audit-log-maxage is 30 days or more', severity: 'low', evaluate: (v) => intAtLeast(v, A, 'audit-log-maxage', 30), remediation: 'Set --audit-log-maxage=30 or more.' },
  { id: 'apiserver-audit-log-maxbackup', cis: '1.2.18', title: '--audit-log-maxbackup is 10 or more', severity: 'low', evaluate: (v) => intAtLeast(v, A, 'audit-log-maxbackup', 10), remediation: 'Set --audit-log-maxbackup=10 or more.' },
  { id: 'apiserver-audit-log-maxsize', cis: '1.2.19', title: '--audit-log-maxsize is 100 MB or more', severity: 'low', evaluate: (v) => intAtLeast(v, A, 'audit-log-maxsize', 100), remediation: 'Set --audit-log-maxsize=100 or more.' },
  { id: 'apiserver-request-timeout', cis: '1.2.20', title: '--request-timeout is set as appropriate', severity: 'info', automated: false, evaluate: () => [], remediation: 'Set --request-timeout as appropriate (default 60s).' },
  { id: 'apiserver-service-account-lookup', cis: '1.2.21', title: 'service account tokens are checked against etcd (--service-account-lookup)', severity: 'medium', evaluate: (v) => flagBool(v, A, 'service-account-lookup', true, true), remediation: 'Remove --service-account-lookup=false (the default is true).' },
  { id: 'apiserver-service-account-key-file', cis: '1.2.22', title: '--service-account-key-file is set', severity: 'medium', evaluate: (v) => flagsSet(v, A, 'service-account-key-file'), remediation: 'Set --service-account-key-file to the public key(s) that verify service account tokens.' },
  { id: 'apiserver-etcd-client-cert', cis: '1.2.23', title: 'the API server authenticates to etcd with a client certificate', severity: 'high', evaluate: (v) => flagsSet(v, A, 'etcd-certfile', 'etcd-keyfile'), remediation: 'Set --etcd-certfile and --etcd-keyfile.' },
  { id: 'apiserver-tls-cert', cis: '1.2.24', title: 'the API server serves TLS with its own certificate', severity: 'high', evaluate: (v) => flagsSet(v, A, 'tls-cert-file', 'tls-private-key-file'), remediation: 'Set --tls-cert-file and --tls-private-key-file.' },
  { id: 'apiserver-client-ca-file', cis: '1.2.25', title: 'client certificate authentication is configured (--client-ca-file)', severity: 'high', evaluate: (v) => flagsSet(v, A, 'client-ca-file'), remediation: 'Set --client-ca-file.' },
  { id: 'apiserver-etcd-cafile', cis: '1.2.26', title: 'the API server verifies etcd (--etcd-cafile)', severity: 'high', evaluate: (v) => flagsSet(v, A, 'etcd-cafile'), remediation: 'Set --etcd-cafile.' },
  { id: 'apiserver-encryption-provider-config', cis: '1.2.27', title: 'encryption at rest is configured (--encryption-provider-config)', severity: 'high', automated: false, evaluate: (v) => flagsSet(v, A, 'encryption-provider-config'), remediation: 'Set --encryption-provider-config to an EncryptionConfiguration.' },
  {
    id: 'apiserver-encryption-providers',
    cis: '1.2.28',
    title: 'encryption providers are appropriately configured',
    severity: 'high',
    automated: false,
    evaluate: (v) => {
      const p = encryptionConfigPath(v);
      return p === undefined ? [] : encryption(v, p);
    },
    remediation: 'Use kms v2 (or aescbc/secretbox) as the first provider for secrets.',
  },
  { id: 'apiserver-strong-ciphers', cis: '1.2.29', title: 'the API server only uses strong cipher suites', severity: 'medium', automated: false, evaluate: (v) => withComponent(v, A, (ci) => insecureCiphers(ci.flags.list('tls-cipher-suites'), '--tls-cipher-suites', 'tls-cipher-suites')), remediation: 'Set --tls-cipher-suites to AEAD suites only.' },
  { id: 'apiserver-service-account-extend-token-expiration', cis: '1.2.30', title: 'service account token expiry is not extended', severity: 'low', evaluate: (v) => flagBool(v, A, 'service-account-extend-token-expiration', false, true), remediation: 'Set --service-account-extend-token-expiration=false.' },
]);

const CM: Component = 'controller-manager';
const S13: NodeControl[] = group({ section: '1.3', component: CM, flagsOnly: true }, [
  { id: 'controller-manager-terminated-pod-gc', cis: '1.3.1', title: '--terminated-pod-gc-threshold is set as appropriate', severity: 'info', automated: false, evaluate: (v) => flagsSet(v, CM, 'terminated-pod-gc-threshold'), remediation: 'Set --terminated-pod-gc-threshold, e.g. 10.' },
  { id: 'controller-manager-profiling', cis: '1.3.2', title: 'controller manager profiling is disabled', severity: 'low', evaluate: (v) => flagBool(v, CM, 'profiling', false), remediation: 'Set --profiling=false.' },
  { id: 'controller-manager-service-account-credentials', cis: '1.3.3', title: 'controllers use individual service account credentials', severity: 'medium', evaluate: (v) => flagBool(v, CM, 'use-service-account-credentials', true), remediation: 'Set --use-service-account-credentials=true.' },
  { id: 'controller-manager-service-account-private-key', cis: '1.3.4', title: '--service-account-private-key-file is set', severity: 'medium', evaluate: (v) => flagsSet(v, CM, 'service-account-private-key-file'), remediation: 'Set --service-account-private-key-file.' },
  { id: 'controller-manager-root-ca-file', cis: '1.3.5', title: '--root-ca-file is set', severity: 'medium', evaluate: (v) => flagsSet(v, CM, 'root-ca-file'), remediation: 'Set --root-ca-file to the cluster CA bundle.' },
  {
    id: 'controller-manager-rotate-kubelet-server-certificate',
    cis: '1.3.6',
    title: 'the RotateKubeletServerCertificate feature gate is not disabled',
    severity: 'medium',
    evaluate: (v) =>
      withComponent(v, CM, (ci) => {
        const gates = ci.flags.map('feature-gates');
        const g = gates?.get('RotateKubeletServerCertificate');
        if (g === undefined) return pass('RotateKubeletServerCertificate is not set (enabled by default)', { flag: 'feature-gates' });
        return parseGoBool(g) === false ? fail(`--feature-gates sets RotateKubeletServerCertificate=${g}`, { flag: 'feature-gates' }) : pass(`RotateKubeletServerCertificate=${g}`, { flag: 'feature-gates' });
      }),
    remediation: 'Remove RotateKubeletServerCertificate=false from --feature-gates.',
  },
  { id: 'controller-manager-bind-address', cis: '1.3.7', title: 'the controller manager binds to 127.0.0.1', severity: 'medium', evaluate: (v) => flagEquals(v, CM, 'bind-address', '127.0.0.1', true), remediation: 'Set --bind-address=127.0.0.1.' },
]);

const SC: Component = 'scheduler';
const S14: NodeControl[] = group({ section: '1.4', component: SC, flagsOnly: true }, [
  { id: 'scheduler-profiling', cis: '1.4.1', title: 'scheduler profiling is disabled', severity: 'low', evaluate: (v) => flagBool(v, SC, 'profiling', false), remediation: 'Set --profiling=false.' },
  { id: 'scheduler-bind-address', cis: '1.4.2', title: 'the scheduler binds to 127.0.0.1', severity: 'medium', evaluate: (v) => flagEquals(v, SC, 'bind-address', '127.0.0.1', true), remediation: 'Set --bind-address=127.0.0.1.' },
]);

// ---------------------------------------------------------------- CIS 2

const E: Component = 'etcd';
const S2: NodeControl[] = group({ section: '2', component: E, flagsOnly: true }, [
  { id: 'etcd-tls', cis: '2.1', title: 'etcd serves clients over TLS (--cert-file, --key-file)', severity: 'high', evaluate: (v) => flagsSet(v, E, 'cert-file', 'key-file'), remediation: 'Set --cert-file and --key-file on etcd.' },
  { id: 'etcd-client-cert-auth', cis: '2.2', title: 'etcd requires client certificates (--client-cert-auth)', severity: 'critical', evaluate: (v) => flagBool(v, E, 'client-cert-auth', true), remediation: 'Set --client-cert-auth=true on etcd.' },
  { id: 'etcd-auto-tls', cis: '2.3', title: 'etcd does not use self-signed certificates (--auto-tls)', severity: 'high', evaluate: (v) => flagBool(v, E, 'auto-tls', false, false), remediation: 'Remove --auto-tls or set it to false.' },
  { id: 'etcd-peer-tls', cis: '2.4', title: 'etcd peers use TLS (--peer-cert-file, --peer-key-file)', severity: 'high', evaluate: (v) => flagsSet(v, E, 'peer-cert-file', 'peer-key-file'), remediation: 'Set --peer-cert-file and --peer-key-file on etcd.' },
  { id: 'etcd-peer-client-cert-auth', cis: '2.5', title: 'etcd peers must present certificates (--peer-client-cert-auth)', severity: 'high', evaluate: (v) => flagBool(v, E, 'peer-client-cert-auth', true), remediation: 'Set --peer-client-cert-auth=true on etcd.' },
  { id: 'etcd-peer-auto-tls', cis: '2.6', title: 'etcd peers do not use self-signed certificates (--peer-auto-tls)', severity: 'high', evaluate: (v) => flagBool(v, E, 'peer-auto-tls', false, false), remediation: 'Remove --peer-auto-tls or set it to false.' },
  { id: 'etcd-unique-ca', cis: '2.7', title: 'etcd uses its own certificate authority', severity: 'high', automated: false, evaluate: (v) => flagsSet(v, E, 'trusted-ca-file'), remediation: 'Give etcd a dedicated CA (--trusted-ca-file) that the API server client CA does not share.' },
]);

// ---------------------------------------------------------------- CIS 4

const K: Component = 'kubelet';
function kubeletFile(v: NodeView, what: 'service' | 'kubeconfig' | 'config'): string[] {
  if (what === 'service') return kubeletServiceFiles(v);
  if (what === 'kubeconfig') return [kubeconfigPath(v, 'kubelet')];
  const p = v.snapshot.kubeletConfigPath;
  return p !== undefined ? [p] : [];
}
function kubeletFiles(what: 'service' | 'kubeconfig' | 'config', label: string, fn: (v: NodeView, p: string) => Outcome): (v: NodeView) => Outcome[] {
  return (v) => {
    if (!v.component('kubelet') && what !== 'service') return [notFound(v, 'kubelet')];
    const files = kubeletFile(v, what);
    return files.length > 0 ? files.map((p) => fn(v, p)) : [notEvaluated('missing-input', `no kubelet ${label} found`)];
  };
}

const S41: NodeControl[] = group({ section: '4.1', component: 'files' }, [
  { id: 'kubelet-service-permissions', cis: '4.1.1', title: 'kubelet service files have mode 600 or stricter', evaluate: kubeletFiles('service', 'service file', (v, p) => modeAtMost(v, p, 0o600, 'kubelet service file')), remediation: 'chmod 600 /etc/systemd/system/kubelet.service.d/10-kubeadm.conf' },
  { id: 'kubelet-service-owner', cis: '4.1.2', title: 'kubelet service files are owned by root:root', evaluate: kubeletFiles('service', 'service file', (v, p) => ownerIs(v, p, 'root', 'root', 'kubelet service file')), remediation: 'chown root:root /etc/systemd/system/kubelet.service.d/10-kubeadm.conf' },
  { id: 'proxy-kubeconfig-permissions', cis: '4.1.3', title: 'the kube-proxy kubeconfig, if any, has mode 600 or stricter', automated: false, evaluate: (v) => (v.file(kubeconfigPath(v, 'proxy'))?.exists ? [modeAtMost(v, kubeconfigPath(v, 'proxy'), 0o600, 'kube-proxy kubeconfig')] : []), remediation: 'chmod 600 the kube-proxy kubeconfig' },
  { id: 'proxy-kubeconfig-owner', cis: '4.1.4', title: 'the kube-proxy kubeconfig, if any, is owned by root:root', automated: false, evaluate: (v) => (v.file(kubeconfigPath(v, 'proxy'))?.exists ? [ownerIs(v, kubeconfigPath(v, 'proxy'), 'root', 'root', 'kube-proxy kubeconfig')] : []), remediation: 'chown root:root the kube-proxy kubeconfig' },
  { id: 'kubelet-kubeconfig-permissions', cis: '4.1.5', title: 'the kubelet kubeconfig has mode 600 or stricter', evaluate: kubeletFiles('kubeconfig', 'kubeconfig', (v, p) => modeAtMost(v, p, 0o600, 'kubelet kubeconfig')), remediation: 'chmod 600 /etc/kubernetes/kubelet.conf' },
  { id: 'kubelet-kubeconfig-owner', cis: '4.1.6', title: 'the kubelet kubeconfig is owned by root:root', evaluate: kubeletFiles('kubeconfig', 'kubeconfig', (v, p) => ownerIs(v, p, 'root', 'root', 'kubelet kubeconfig')), remediation: 'chown root:root /etc/kubernetes/kubelet.conf' },
  { id: 'kubelet-client-ca-permissions', cis: '4.1.7', title: 'the kubelet client CA file has mode 644 or stricter', automated: false, evaluate: (v) => { const p = kubelet(v, 'client-ca-file').value; return p !== undefined ? [modeAtMost(v, nodePath(p), 0o644, 'kubelet client CA')] : []; }, remediation: 'chmod 644 the kubelet --client-ca-file' },
  { id: 'kubelet-client-ca-owner', cis: '4.1.8', title: 'the kubelet client CA file is owned by root:root', automated: false, evaluate: (v) => { const p = kubelet(v, 'client-ca-file').value; return p !== undefined ? [ownerIs(v, nodePath(p), 'root', 'root', 'kubelet client CA')] : []; }, remediation: 'chown root:root the kubelet --client-ca-file' },
  { id: 'kubelet-config-permissions', cis: '4.1.9', title: 'the kubelet config file has mode 600 or stricter', evaluate: kubeletFiles('config', 'config file', (v, p) => modeAtMost(v, p, 0o600, 'kubelet config')), remediation: 'chmod 600 /var/lib/kubelet/config.yaml' },
  { id: 'kubelet-config-owner', cis: '4.1.10', title: 'the kubelet config file is owned by root:root', evaluate: kubeletFiles('config', 'config file', (v, p) => ownerIs(v, p, 'root', 'root', 'kubelet config')), remediation: 'chown root:root /var/lib/kubelet/config.yaml' },
]);

const S42: NodeControl[] = group({ section: '4.2', component: K }, [
  { id: 'kubelet-anonymous-auth', cis: '4.2.1', title: 'anonymous requests to the kubelet are disabled', severity: 'critical', evaluate: (v) => kubeletCheck(v, 'anonymous-auth', (s) => { const b = boolOf(s); return b === undefined ? 'unparseable' : !b; }, 'must be false'), remediation: 'Set authentication.anonymous.enabled: false in the kubelet config (or --anonymous-auth=false).' },
  { id: 'kubelet-authorization-mode', cis: '4.2.2', title: 'kubelet authorization is not AlwaysAllow', severity: 'critical', evaluate: (v) => kubeletCheck(v, 'authorization-mode', (s) => s.value !== undefined && !s.value.split(',').map((x) => x.trim()).includes('AlwaysAllow'), 'every request to the kubelet API is allowed'), remediation: 'Set authorization.mode: Webhook in the kubelet config.' },
  { id: 'kubelet-client-ca-file', cis: '4.2.3', title: 'the kubelet verifies client certificates (clientCAFile)', severity: 'high', evaluate: (v) => kubeletCheck(v, 'client-ca-file', (s) => s.value !== undefined && s.value !== '', 'not set'), remediation: 'Set authentication.x509.clientCAFile in the kubelet config.' },
  { id: 'kubelet-read-only-port', cis: '4.2.4', title: 'the kubelet read-only port is disabled', severity: 'high', automated: false, evaluate: (v) => kubeletCheck(v, 'read-only-port', (s) => (s.value === undefined ? true : parseGoInt(s.value) === 0), 'the unauthenticated read-only API is open'), remediation: 'Set readOnlyPort: 0.' },
  { id: 'kubelet-streaming-idle-timeout', cis: '4.2.5', title: 'streaming connections time out', severity: 'low', automated: false, evaluate: (v) => kubeletCheck(v, 'streaming-connection-idle-timeout', (s) => s.value === undefined || !/^0+(s|m|h|ms)?$/.test(s.value), 'idle streaming connections never time out'), remediation: 'Set streamingConnectionIdleTimeout to a non-zero duration, e.g. 5m.' },
  { id: 'kubelet-iptables-util-chains', cis: '4.2.6', title: 'the kubelet manages its iptables utility chains', severity: 'low', evaluate: (v) => kubeletCheck(v, 'make-iptables-util-chains', (s) => boolOf(s) ?? 'unparseable', 'must be true'), remediation: 'Remove makeIPTablesUtilChains: false (default true).' },
  { id: 'kubelet-hostname-override', cis: '4.2.7', title: '--hostname-override is not set', severity: 'low', automated: false, evaluate: (v) => flagUnset(v, K, 'hostname-override', 'it can break TLS between the API server and the kubelet'), remediation: 'Remove --hostname-override.' },
  { id: 'kubelet-event-qps', cis: '4.2.8', title: 'eventRecordQPS allows appropriate event capture', severity: 'info', automated: false, evaluate: (v) => kubeletCheck(v, 'event-qps', (s) => s.value === undefined || (parseGoInt(s.value) ?? -1) >= 0, 'negative'), remediation: 'Set eventRecordQPS to an appropriate level (0 = unlimited).' },
  { id: 'kubelet-tls-cert', cis: '4.2.9', title: 'the kubelet serves TLS with its own certificate', severity: 'medium', automated: false, evaluate: (v) => kubeletCheck(v, 'tls-cert-file', (s) => s.value !== undefined, 'the kubelet uses a self-signed or serverTLSBootstrap certificate'), remediation: 'Set tlsCertFile and tlsPrivateKeyFile, or serverTLSBootstrap: true.' },
  { id: 'kubelet-rotate-certificates', cis: '4.2.10', title: 'kubelet client certificate rotation is not disabled', severity: 'medium', evaluate: (v) => kubeletCheck(v, 'rotate-certificates', (s) => (s.source === 'default' ? true : (boolOf(s) ?? 'unparseable')), 'must not be false'), remediation: 'Remove rotateCertificates: false.' },
  { id: 'kubelet-rotate-server-certificates', cis: '4.2.11', title: 'the RotateKubeletServerCertificate feature gate is not disabled', severity: 'low', automated: false, evaluate: (v) => withComponent(v, K, () => { const g = kubelet(v, 'feature-gates').map?.get('RotateKubeletServerCertificate'); return g !== undefined && parseGoBool(g) === false ? fail('RotateKubeletServerCertificate=false') : pass(`RotateKubeletServerCertificate ${g ?? 'not set'}`); }), remediation: 'Remove RotateKubeletServerCertificate=false.' },
  { id: 'kubelet-strong-ciphers', cis: '4.2.12', title: 'the kubelet only uses strong cipher suites', severity: 'medium', automated: false, evaluate: (v) => withComponent(v, K, () => insecureCiphers(kubelet(v, 'tls-cipher-suites').list, 'tlsCipherSuites', 'tls-cipher-suites')), remediation: 'Set tlsCipherSuites to AEAD suites only.' },
  { id: 'kubelet-pod-pids-limit', cis: '4.2.13', title: 'a limit is set on pod PIDs', severity: 'low', automated: false, evaluate: (v) => kubeletCheck(v, 'pod-max-pids', (s) => s.value !== undefined && s.value !== '-1', 'no limit'), remediation: 'Set podPidsLimit.' },
  { id: 'kubelet-seccomp-default', cis: '4.2.14', title: 'RuntimeDefault seccomp is the default (seccompDefault)', severity: 'low', automated: false, evaluate: (v) => kubeletCheck(v, 'seccomp-default', (s) => boolOf(s) === true, 'containers without a profile run unconfined'), remediation: 'Set seccompDefault: true.' },
]);

const S43: NodeControl[] = [
  {
    id: 'proxy-metrics-bind-address',
    cis: '4.3.1',
    section: '4.3',
    title: 'kube-proxy metrics are bound to localhost',
    severity: 'medium',
    component: 'proxy',
    automated: true,
    evaluate: (v) =>
      withComponent(v, 'proxy', (ci) => {
        const flag = flagValue(ci, 'metrics-bind-address');
        const cfgPath = flagValue(ci, 'config');
        const cfg = cfgPath !== undefined ? v.parsed(nodePath(cfgPath))?.value : undefined;
        const fromCfg = cfg !== null && typeof cfg === 'object' && !Array.isArray(cfg) ? (cfg as Record<string, unknown>).metricsBindAddress : undefined;
        const value = flag ?? (typeof fromCfg === 'string' ? fromCfg : undefined);
        if (value === undefined) return pass('metrics bind address not set (default 127.0.0.1:10249)', { flag: 'metrics-bind-address' });
        return value.includes('127.0.0.1') ? pass(`metrics bind address ${value}`, { flag: 'metrics-bind-address' }) : fail(`metrics are served on ${value}`, { flag: 'metrics-bind-address' });
      }),
    remediation: 'Set --metrics-bind-address=127.0.0.1:10249 (or metricsBindAddress in the kube-proxy config).',
  },
];

// ---------------------------------------------------------------- beyond CIS

function auditRotation(v: NodeView): Outcome[] {
  return withComponent(v, A, (ci) => {
    if (flagValue(ci, 'audit-log-path') === undefined) return pass('no audit log file (--audit-log-path not set)');
    const n = (f: string): number | undefined => {
      const x = flagValue(ci, f);
      return x === undefined ? undefined : parseGoInt(x);
    };
    const age = n('audit-log-maxage');
    const backup = n('audit-log-maxbackup');
    const size = n('audit-log-maxsize');
    // Before 1.36: unset = 0, and 0 means "keep forever" for age and count; maxsize 0 falls back to 100 MB.
    // From 1.36: maxage defaults to 366 days, maxbackup to 100 files, and maxsize=0 disables rotation.
    const verdict = (minor: number): { ok: boolean; why: string } => {
      const modern = minor >= 36;
      const effAge = age ?? (modern ? 366 : 0);
      const effBackup = backup ?? (modern ? 100 : 0);
      if (modern && size === 0) return { ok: false, why: '--audit-log-maxsize=0 disables rotation (Kubernetes 1.36+): the log grows without bound' };
      if (effAge === 0 && effBackup === 0) return { ok: false, why: `rotated audit logs are never pruned (${age === undefined && backup === undefined ? 'maxage and maxbackup default to 0 before 1.36' : 'maxage=0 and maxbackup=0'}): the disk fills up` };
      return { ok: true, why: `rotation bounded (maxage ${effAge}, maxbackup ${effBackup}, maxsize ${size ?? 100})` };
    };
    if (v.minor !== undefined) {
      const r = verdict(v.minor);
      return r.ok ? pass(`${r.why} for Kubernetes 1.${v.minor}`, { flag: 'audit-log-maxage' }) : fail(`${r.why} (Kubernetes 1.${v.minor})`, { flag: 'audit-log-maxage' });
    }
    const old = verdict(35);
    const now = verdict(36);
    if (old.ok === now.ok) return old.ok ? pass(old.why, { flag: 'audit-log-maxage' }) : fail(old.why, { flag: 'audit-log-maxage' });
    return notEvaluated('missing-input', `audit log rotation depends on the Kubernetes version (before 1.36: ${old.why}; 1.36+: ${now.why}); give --k8s-version`);
  });
}

function sharedCa(v: NodeView): Outcome[] {
  return withComponent(v, E, (etcd) => {
    const api = v.component('apiserver');
    if (!api) return notFound(v, 'apiserver');
    const etcdCa = flagValue(etcd, 'trusted-ca-file');
    const clientCa = flagValue(api, 'client-ca-file');
    if (etcdCa === undefined) return fail('etcd has no --trusted-ca-file: any client certificate of a system CA is trusted', { flag: 'trusted-ca-file' });
    if (clientCa === undefined) return pass('the API server has no --client-ca-file to share');
    const a = nodePath(etcdCa);
    const b = nodePath(clientCa);
    if (a === b) return fail(`etcd trusts ${a}, the same CA as the API server's --client-ca-file: every cluster client certificate can talk to etcd`, { flag: 'trusted-ca-file', file: a });
    const fa = v.file(a);
    const fb = v.file(b);
    if (fa?.sha256 !== undefined && fa.sha256 === fb?.sha256) return fail(`etcd's CA ${a} has the same content as the API server's client CA ${b}`, { flag: 'trusted-ca-file', file: a });
    if (fa?.sha256 === undefined || fb?.sha256 === undefined) return notEvaluated('not-readable', `could not compare ${a} and ${b} (not readable)`);
    return pass(`etcd trusts its own CA ${a}`, { flag: 'trusted-ca-file' });
  });
}

function urlsPlain(v: NodeView, c: Component, flag: string, what: string): Outcome[] {
  return withComponent(v, c, (ci) => {
    const raw = flagValue(ci, flag);
    if (raw === undefined) return pass(`--${flag} not set`, { flag });
    const urls = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const plain = urls.filter((u) => u.startsWith('http://') && !/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/.test(u));
    return plain.length === 0 ? pass(`--${flag} uses TLS (or loopback only)`, { flag }) : fail(`${what} without TLS on ${plain.join(', ')}`, { flag });
  });
}

const BEYOND: NodeControl[] = group({ section: 'K' }, [
  { id: 'apiserver-tls-min-version', section: 'K.1', title: 'the API server refuses TLS below 1.2', severity: 'high', component: A, flagsOnly: true, evaluate: (v) => withComponent(v, A, (ci) => tlsMinVersion(flagValue(ci, 'tls-min-version'), '--tls-min-version', 'tls-min-version')), remediation: 'Set --tls-min-version=VersionTLS12 or VersionTLS13.' },
  { id: 'apiserver-insecure-ciphers', section: 'K.1', title: 'the API server offers no insecure cipher suite', severity: 'high', component: A, flagsOnly: true, evaluate: (v) => withComponent(v, A, (ci) => insecureCiphers(ci.flags.list('tls-cipher-suites'), '--tls-cipher-suites', 'tls-cipher-suites')), remediation: 'Remove RC4, 3DES and CBC-SHA256 suites from --tls-cipher-suites.' },
  { id: 'apiserver-hsts', section: 'K.1', title: 'the API server sends Strict-Transport-Security', severity: 'info', component: A, flagsOnly: true, evaluate: (v) => flagsSet(v, A, 'strict-transport-security-directives'), remediation: 'Set --strict-transport-security-directives=max-age=31536000,includeSubDomains,preload.' },
  { id: 'apiserver-basic-auth-file', section: 'K.1', title: 'no static password file (--basic-auth-file)', severity: 'critical', component: A, flagsOnly: true, evaluate: (v) => flagUnset(v, A, 'basic-auth-file', 'static passwords in a plaintext file (removed in Kubernetes 1.19: the API server no longer starts)'), remediation: 'Remove --basic-auth-file.' },
  { id: 'apiserver-admission-pod-security', section: 'K.1', title: 'the PodSecurity admission plugin is not disabled', severity: 'high', component: A, flagsOnly: true, evaluate: (v) => listLacks(v, A, 'disable-admission-plugins', 'PodSecurity', true, 'Pod Security Standards are not enforced'), remediation: 'Remove PodSecurity from --disable-admission-plugins.' },
  { id: 'apiserver-bootstrap-token-auth', section: 'K.1', title: 'bootstrap token authentication is off once nodes have joined', severity: 'info', component: A, flagsOnly: true, evaluate: (v) => flagBool(v, A, 'enable-bootstrap-token-auth', false, false), remediation: 'Set --enable-bootstrap-token-auth=false when no node needs to join, or keep bootstrap tokens short-lived.' },
  { id: 'apiserver-bind-address', section: 'K.1', title: 'the API server does not listen on every interface', severity: 'info', component: A, flagsOnly: true, evaluate: (v) => withComponent(v, A, (ci) => { const b = flagValue(ci, 'bind-address'); return b === undefined || b === '0.0.0.0' || b === '::' ? fail(`the API server listens on all interfaces (--bind-address ${b ?? 'not set'})`, { flag: 'bind-address' }) : pass(`--bind-address=${b}`, { flag: 'bind-address' }); }), remediation: 'Set --bind-address to the control-plane address if the node has other networks.' },
  { id: 'apiserver-allow-privileged', section: 'K.1', title: 'privileged containers are not allowed cluster-wide', severity: 'info', component: A, flagsOnly: true, evaluate: (v) => flagBool(v, A, 'allow-privileged', false, false), remediation: 'Keep --allow-privileged=true only if a workload needs it, and enforce Pod Security Standards.' },
  { id: 'apiserver-insecure-port', section: 'K.1', title: 'no insecure (plain HTTP) API port', severity: 'critical', component: A, flagsOnly: true, evaluate: (v) => withComponent(v, A, (ci) => { const p = flagValue(ci, 'insecure-port'); return p === undefined || p === '0' ? pass(`--insecure-port ${p ?? 'not set'}`, { flag: 'insecure-port' }) : fail(`--insecure-port=${p}: the API is served over plain HTTP without authentication`, { flag: 'insecure-port' }); }), remediation: 'Remove --insecure-port (or set 0).' },
  { id: 'apiserver-etcd-plaintext', section: 'K.1', title: 'the API server reaches etcd over TLS', severity: 'high', component: A, flagsOnly: true, evaluate: (v) => urlsPlain(v, A, 'etcd-servers', 'the API server talks to etcd'), remediation: 'Use https:// URLs in --etcd-servers.' },
  { id: 'apiserver-audit-policy-file', section: 'K.1', title: 'an audit policy is configured (--audit-policy-file)', severity: 'medium', component: A, flagsOnly: true, evaluate: (v) => withComponent(v, A, (ci) => (flagValue(ci, 'audit-policy-file') !== undefined || v.snapshot.parsed.has('<given>/audit-policy') ? pass('an audit policy is configured', { flag: 'audit-policy-file' }) : fail('--audit-policy-file is not set: without a policy the API server logs no event', { flag: 'audit-policy-file' }))), remediation: 'Set --audit-policy-file.' },
  { id: 'apiserver-audit-log-rotation', section: 'K.1', title: 'audit log rotation keeps the disk bounded (version-aware)', severity: 'low', component: A, flagsOnly: true, evaluate: auditRotation, remediation: 'Set --audit-log-maxage, --audit-log-maxbackup and --audit-log-maxsize to non-zero values.' },
  { id: 'etcd-client-plaintext', section: 'K.2', title: 'etcd does not serve clients over plain HTTP', severity: 'critical', component: E, flagsOnly: true, evaluate: (v) => urlsPlain(v, E, 'listen-client-urls', 'etcd serves clients'), remediation: 'Use https:// in --listen-client-urls (plain HTTP only on loopback, if at all).' },
  { id: 'etcd-peer-plaintext', section: 'K.2', title: 'etcd peers do not talk over plain HTTP', severity: 'high', component: E, flagsOnly: true, evaluate: (v) => urlsPlain(v, E, 'listen-peer-urls', 'etcd serves peers'), remediation: 'Use https:// in --listen-peer-urls.' },
  { id: 'etcd-peer-trusted-ca', section: 'K.2', title: 'etcd verifies peers against a CA', severity: 'high', component: E, flagsOnly: true, evaluate: (v) => flagsSet(v, E, 'peer-trusted-ca-file'), remediation: 'Set --peer-trusted-ca-file.' },
  { id: 'etcd-shared-ca', section: 'K.2', title: 'etcd does not share its CA with the API server clients', severity: 'high', component: E, evaluate: sharedCa, remediation: 'Use a dedicated etcd CA (kubeadm: /etc/kubernetes/pki/etcd/ca.crt).' },
  { id: 'etcd-pprof', section: 'K.2', title: 'etcd profiling is off', severity: 'low', component: E, flagsOnly: true, evaluate: (v) => flagBool(v, E, 'enable-pprof', false, false), remediation: 'Remove --enable-pprof.' },
  { id: 'kubelet-tls-min-version', section: 'K.3', title: 'the kubelet refuses TLS below 1.2', severity: 'high', component: K, evaluate: (v) => withComponent(v, K, () => tlsMinVersion(kubelet(v, 'tls-min-version').value, 'tlsMinVersion', 'tls-min-version')), remediation: 'Set tlsMinVersion: VersionTLS12.' },
  { id: 'kubelet-insecure-ciphers', section: 'K.3', title: 'the kubelet offers no insecure cipher suite', severity: 'high', component: K, evaluate: (v) => withComponent(v, K, () => insecureCiphers(kubelet(v, 'tls-cipher-suites').list, 'tlsCipherSuites', 'tls-cipher-suites')), remediation: 'Remove RC4, 3DES and CBC-SHA256 suites from tlsCipherSuites.' },
  { id: 'kubelet-read-only-port-open', section: 'K.3', title: 'the unauthenticated kubelet read-only port is closed', severity: 'high', component: K, evaluate: (v) => kubeletCheck(v, 'read-only-port', (s) => (s.value === undefined ? true : parseGoInt(s.value) === 0), 'port 10255 serves pod specs and node data without authentication'), remediation: 'Set readOnlyPort: 0.' },
  {
    id: 'apiserver-encryption-config',
    section: 'K.4',
    title: 'Secrets are encrypted at rest with a sound EncryptionConfiguration',
    severity: 'high',
    component: A,
    evaluate: (v) => {
      const p = encryptionConfigPath(v);
      if (p !== undefined) return encryption(v, p);
      return withComponent(v, A, () => fail('--encryption-provider-config is not set: Secrets are stored in etcd in plaintext', { flag: 'encryption-provider-config' }));
    },
    remediation: 'Write an EncryptionConfiguration whose first provider for secrets is kms v2 (or aescbc/secretbox) and set --encryption-provider-config.',
  },
  {
    id: 'encryption-config-permissions',
    section: 'K.4',
    title: 'the EncryptionConfiguration (it holds keys) has mode 600 or stricter',
    severity: 'high',
    component: 'files',
    evaluate: (v) => {
      const p = encryptionConfigPath(v);
      return p === undefined || p.startsWith('<given>') ? [] : [modeAtMost(v, p, 0o600, 'encryption configuration')];
    },
    remediation: 'chmod 600 the file of --encryption-provider-config.',
  },
  {
    id: 'apiserver-audit-policy',
    section: 'K.4',
    title: 'the audit policy logs no secret bodies, has a catch-all rule and omits RequestReceived',
    severity: 'medium',
    component: A,
    evaluate: (v) => audit(v, auditPolicyPath(v)),
    remediation: 'Log secrets, configmaps and tokenreviews at Metadata, end with a catch-all rule, and set omitStages: [RequestReceived].',
  },
  {
    id: 'pki-private-key-permissions',
    section: 'K.4',
    title: 'private keys under the PKI folder have mode 600 or stricter',
    severity: 'high',
    component: 'files',
    evaluate: (v) => {
      const keys = v.snapshot.pki.filter((p) => p.endsWith('.key'));
      return keys.map((p) => modeAtMost(v, p, 0o600, 'private key'));
    },
    remediation: 'chmod 600 /etc/kubernetes/pki/*.key /etc/kubernetes/pki/etcd/*.key',
  },
]);

/** Every node control, in report order. */
export const NODE_CONTROLS: readonly NodeControl[] = [...S11, ...S12, ...S13, ...S14, ...S2, ...S41, ...S42, ...S43, ...BEYOND].map((c) => Object.freeze({ ...c, remediation: c.remediation || CIS }));

export function findControl(id: string): NodeControl | undefined {
  return NODE_CONTROLS.find((c) => c.id === id || c.cis === id);
}
