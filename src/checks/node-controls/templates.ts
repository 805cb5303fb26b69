/**
 * Templates of node controls beyond the single-flag ones of view.ts: file mode and owner of the files a component
 * names, TLS versions and cipher suites, plain-HTTP URLs, the encryption configuration and audit policy in effect,
 * etcd's CA, audit log rotation. Each returns `(view) => Outcome[]`, the `evaluate` of a control. Pure.
 */
import { auditPolicyIssues, parseAuditPolicy } from '../../engines/audit-policy/policy.js';
import { auditEncryptionConfig, parseEncryptionConfig } from '../../engines/encryption/config.js';
import { parseGoBool, parseGoInt } from '../../engines/node/flags.js';
import { givenKey } from '../../engines/node/objects.js';
import { DEFAULT_MANIFESTS, DEFAULTS, etcdDataDir, kubeconfigOf, nodePath } from '../../engines/node/paths.js';
import { COMPONENT_NAMES, type Component } from '../../engines/node/snapshot.js';
import { fail, flagValue, kubelet, modeAtMost, notEvaluated, notFound, ownerIs, pass, withComponent, withFlags, type NodeView, type Outcome } from './view.js';

export type Evaluate = (view: NodeView) => Outcome[];

// ---------------------------------------------------------------- files

function manifestOf(view: NodeView, c: Component): string {
  const ci = view.component(c);
  if (ci?.origin.type === 'manifest') return ci.origin.file;
  return DEFAULT_MANIFESTS[c] ?? '';
}

/** The static pod manifest of a component has mode `max` or stricter. */
export function manifestMode(c: Component, max: number): Evaluate {
  return (v) => [modeAtMost(v, manifestOf(v, c), max, `${COMPONENT_NAMES[c]} manifest`)];
}

/** The static pod manifest of a component is owned by user:group. */
export function manifestOwner(c: Component, user: string, group: string): Evaluate {
  return (v) => [ownerIs(v, manifestOf(v, c), user, group, `${COMPONENT_NAMES[c]} manifest`)];
}

/** The kubeconfig a component uses (its --kubeconfig, else kubeadm's) has mode `max` or stricter / is owned by user:group. */
export function kubeconfigMode(c: Component, max: number): Evaluate {
  return (v) => withComponentPath(v, c, (p) => modeAtMost(v, p, max, `${COMPONENT_NAMES[c]} kubeconfig`));
}
export function kubeconfigOwner(c: Component, user: string, group: string): Evaluate {
  return (v) => withComponentPath(v, c, (p) => ownerIs(v, p, user, group, `${COMPONENT_NAMES[c]} kubeconfig`));
}

/**
 * The kubeconfig path of a component: from its flags when it runs (so an unreadable command line is not evaluated),
 * kubeadm's default when kspect did not find it (CIS judges the file wherever the component is).
 */
function withComponentPath(v: NodeView, c: Component, fn: (path: string) => Outcome): Outcome[] {
  const ci = v.component(c);
  if (ci?.unusable !== undefined) return withComponent(v, c, () => []);
  const p = kubeconfigOf(c, ci);
  return p === undefined ? [notEvaluated('missing-input', `no kubeconfig known for ${COMPONENT_NAMES[c]}`)] : [fn(p)];
}

/** kubeadm's admin kubeconfigs that exist. */
function adminConfs(v: NodeView): string[] {
  return [...DEFAULTS.adminConfs].filter((p) => v.file(p)?.exists === true || v.file(p)?.error !== undefined);
}

export function adminConfsMode(max: number): Evaluate {
  return (v) => {
    const files = adminConfs(v);
    return files.length > 0 ? files.map((p) => modeAtMost(v, p, max, 'admin kubeconfig')) : [notEvaluated('missing-input', 'neither /etc/kubernetes/admin.conf nor /etc/kubernetes/super-admin.conf exists')];
  };
}
export function adminConfsOwner(user: string, group: string): Evaluate {
  return (v) => {
    const files = adminConfs(v);
    return files.length > 0 ? files.map((p) => ownerIs(v, p, user, group, 'admin kubeconfig')) : [notEvaluated('missing-input', 'neither /etc/kubernetes/admin.conf nor /etc/kubernetes/super-admin.conf exists')];
  };
}

/** The etcd data directory (--data-dir or ETCD_DATA_DIR, else /var/lib/etcd). */
function withDataDir(v: NodeView, fn: (p: string) => Outcome): Outcome[] {
  const etcd = v.component('etcd');
  if (etcd) return withFlags(v, 'etcd', ['data-dir'], () => fn(etcdDataDir(etcd)));
  return [fn(etcdDataDir(undefined))];
}
export function dataDirMode(max: number): Evaluate {
  return (v) => withDataDir(v, (p) => modeAtMost(v, p, max, 'etcd data directory'));
}
export function dataDirOwner(user: string, group: string): Evaluate {
  return (v) => withDataDir(v, (p) => ownerIs(v, p, user, group, 'etcd data directory'));
}

/** Entries of the PKI folder, or why they are not all known. */
function pkiEntries(v: NodeView, filter: (p: string) => boolean, fn: (p: string) => Outcome, ifNone: () => Outcome[]): Outcome[] {
  const entries = v.snapshot.pki.filter(filter);
  const out = entries.map(fn);
  const err = v.snapshot.walkErrors?.[DEFAULTS.pkiDir];
  if (err !== undefined) out.push(notEvaluated('not-readable', `${DEFAULTS.pkiDir}: ${err}`, { file: DEFAULTS.pkiDir }));
  return out.length > 0 ? out : ifNone();
}

/** Every entry of the PKI folder (the folder included) is owned by user:group. */
export function pkiEntriesOwner(user: string, group: string): Evaluate {
  return (v) => pkiEntries(v, () => true, (p) => ownerIs(v, p, user, group, 'PKI entry'), () => [notEvaluated('missing-input', `${DEFAULTS.pkiDir} does not exist`)]);
}

/** Every file of the PKI folder with this extension has mode `max` or stricter. */
export function pkiMode(ext: string, max: number, what: string): Evaluate {
  return (v) => pkiEntries(v, (p) => p.endsWith(ext) && v.file(p)?.type !== 'directory', (p) => modeAtMost(v, p, max, what), () => []);
}

// ---------------------------------------------------------------- kubelet files

/** The kubelet's unit files (the unit and the drop-ins that define its command line). */
export function kubeletServiceFiles(fn: (v: NodeView, p: string) => Outcome): Evaluate {
  return (v) => {
    const units = v.snapshot.kubeletUnits;
    if (units.length > 0) return units.map((p) => fn(v, p));
    const ci = v.component('kubelet');
    if (!ci) return [notFound(v, 'kubelet')];
    return [notEvaluated('missing-input', `the kubelet does not run from a systemd unit (${ci.origin.type === 'process' ? `process ${ci.origin.pid}` : 'no unit file'})`)];
  };
}

/** The kubelet's kubeconfig (its --kubeconfig, else kubeadm's). */
export function kubeletKubeconfig(fn: (v: NodeView, p: string) => Outcome): Evaluate {
  return (v) => withComponent(v, 'kubelet', (ci) => fn(v, kubeconfigOf('kubelet', ci) ?? DEFAULTS.kubeletKubeconfig));
}

/** The kubelet's config file (--config). */
export function kubeletConfigFile(fn: (v: NodeView, p: string) => Outcome): Evaluate {
  return (v) =>
    withComponent(v, 'kubelet', () => {
      const p = v.snapshot.kubeletConfigPath;
      return p !== undefined ? fn(v, p) : notEvaluated('missing-input', 'the kubelet runs without --config: no kubelet config file');
    });
}

/** The kubelet's client CA file (clientCAFile / --client-ca-file), when it has one. */
export function kubeletClientCa(fn: (v: NodeView, p: string) => Outcome): Evaluate {
  return (v) =>
    withComponent(v, 'kubelet', () => {
      const s = kubelet(v, 'client-ca-file');
      if (s.source !== 'flag' && v.kubeletConfigError !== undefined) return notEvaluated('not-readable', v.kubeletConfigError);
      return s.value !== undefined && s.value !== '' ? fn(v, nodePath(s.value)) : [];
    });
}

/** The kube-proxy kubeconfig, when it exists. */
export function proxyKubeconfig(fn: (v: NodeView, p: string) => Outcome): Evaluate {
  return (v) => {
    const ci = v.component('proxy');
    if (ci?.unusable !== undefined) return withComponent(v, 'proxy', () => []);
    const p = kubeconfigOf('proxy', ci) ?? DEFAULTS.proxyKubeconfig;
    const f = v.file(p);
    if (f?.error !== undefined) return [notEvaluated('not-readable', `kube-proxy kubeconfig ${p}: ${f.error}`, { file: p })];
    return f?.exists ? [fn(v, p)] : [];
  };
}

// ---------------------------------------------------------------- TLS

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

export function tlsMinVersion(value: string | undefined, where: string, extra: Partial<Outcome>): Outcome {
  if (value === undefined) return pass(`${where} not set (Kubernetes serves TLS 1.2 and above by default)`, extra);
  const v = TLS_VERSIONS[value];
  if (v === undefined) return fail(`${where}=${value} is not a known TLS version`, extra);
  return v >= 12 ? pass(`${where}=${value}`, extra) : fail(`${where}=${value} allows TLS versions below 1.2`, extra);
}

export function insecureCiphers(list: readonly string[] | undefined, where: string, extra: Partial<Outcome>): Outcome {
  if (list === undefined || list.length === 0) return pass(`${where} not set (Go's secure default suites)`, extra);
  const bad = list.filter((c) => INSECURE_CIPHERS.has(c));
  return bad.length === 0 ? pass(`${where} lists only secure suites`, extra) : fail(`${where} includes insecure suites: ${bad.join(', ')}`, extra);
}

/** A component's --tls-min-version is 1.2 or above. */
export function componentTlsMinVersion(c: Component): Evaluate {
  return (v) => withFlags(v, c, ['tls-min-version'], (ci) => tlsMinVersion(flagValue(ci, 'tls-min-version'), '--tls-min-version', { flag: 'tls-min-version' }));
}

/** A component's --tls-cipher-suites has no insecure suite. */
export function componentCiphers(c: Component): Evaluate {
  return (v) => withComponent(v, c, (ci) => insecureCiphers(ci.flags.list('tls-cipher-suites'), '--tls-cipher-suites', { flag: 'tls-cipher-suites' }));
}

/** The kubelet's effective tlsMinVersion / tlsCipherSuites. */
export function kubeletTls(what: 'tls-min-version' | 'tls-cipher-suites'): Evaluate {
  return (v) =>
    withComponent(v, 'kubelet', () => {
      const s = kubelet(v, what);
      if (s.source !== 'flag' && v.kubeletConfigError !== undefined) return notEvaluated('not-readable', v.kubeletConfigError, { flag: what });
      const where = s.source === 'config' && s.field !== undefined && v.kubeletConfigFile(s.field) !== undefined ? { config: v.kubeletConfigFile(s.field) ?? '', field: s.field } : { flag: what };
      return what === 'tls-min-version' ? tlsMinVersion(s.value, 'tlsMinVersion', where) : insecureCiphers(s.list, 'tlsCipherSuites', where);
    });
}

/** A comma list of URLs (--etcd-servers, --listen-client-urls …) uses https, or plain HTTP on loopback only. */
export function urlsPlain(c: Component, flag: string, what: string): Evaluate {
  return (v) =>
    withFlags(v, c, [flag], (ci) => {
      const raw = flagValue(ci, flag);
      if (raw === undefined) return pass(`--${flag} not set`, { flag });
      const urls = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const plain = urls.filter((u) => u.startsWith('http://') && !/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/.test(u));
      return plain.length === 0 ? pass(`--${flag} uses TLS (or loopback only)`, { flag }) : fail(`${what} without TLS on ${plain.join(', ')}`, { flag });
    });
}

// ---------------------------------------------------------------- encryption configuration and audit policy

/** The EncryptionConfiguration in effect: the one given to kspect, else the file of --encryption-provider-config. */
export function encryptionConfigPath(v: NodeView): string | undefined {
  if (v.parsed(givenKey('encryption-config'))) return givenKey('encryption-config');
  const ci = v.component('apiserver');
  const f = ci ? flagValue(ci, 'encryption-provider-config') : undefined;
  return f !== undefined ? nodePath(f) : undefined;
}

/** The audit Policy in effect: the one given to kspect, else the file of --audit-policy-file. */
export function auditPolicyPath(v: NodeView): string | undefined {
  if (v.parsed(givenKey('audit-policy'))) return givenKey('audit-policy');
  const ci = v.component('apiserver');
  const f = ci ? flagValue(ci, 'audit-policy-file') : undefined;
  return f !== undefined ? nodePath(f) : undefined;
}

function shown(v: NodeView, key: string): string {
  return key.startsWith('<given>') ? (v.parsed(key)?.path ?? key) : key;
}

/** The EncryptionConfiguration at `path` encrypts Secrets with a sound provider. */
export function encryption(v: NodeView, path: string): Outcome[] {
  const p = v.parsed(path);
  const name = shown(v, path);
  if (!p) return [notEvaluated('missing-input', `encryption configuration ${name} was not read`, { config: path })];
  if (p.error !== undefined) return [notEvaluated('not-readable', `encryption configuration ${name}: ${p.error}`, { config: path })];
  const issues = auditEncryptionConfig(parseEncryptionConfig(p.value));
  if (issues.length === 0) return [pass(`encryption configuration ${name}: Secrets are encrypted by a sound provider`, { config: path })];
  return issues.map((i) => fail(`encryption configuration ${name}: ${i.message}`, { config: path, ...(i.path !== undefined && i.path !== '' ? { field: i.path } : {}) }));
}

/** The audit Policy at `path` logs no secret bodies, has a catch-all rule and omits RequestReceived. */
export function auditPolicy(v: NodeView, path: string | undefined): Outcome[] {
  if (path === undefined) return [];
  const p = v.parsed(path);
  const name = shown(v, path);
  if (!p) return [notEvaluated('missing-input', `audit policy ${name} was not read`, { config: path })];
  if (p.error !== undefined) return [notEvaluated('not-readable', `audit policy ${name}: ${p.error}`, { config: path })];
  const issues = auditPolicyIssues(parseAuditPolicy(p.value));
  if (issues.length === 0) return [pass(`audit policy ${name} logs no secret bodies, has a catch-all rule and omits RequestReceived`, { config: path })];
  return issues.map((i) => fail(`audit policy ${name}: ${i.message}`, { config: path, ...(i.path !== undefined && i.path !== '' ? { field: i.path } : {}) }));
}

// ---------------------------------------------------------------- etcd, audit log rotation, kube-proxy

/** etcd has its own CA, not the API server's client CA (by path or by content). */
export const sharedEtcdCa: Evaluate = (v) =>
  withFlags(v, 'etcd', ['trusted-ca-file'], (etcd) => {
    const api = v.component('apiserver');
    if (!api) return notFound(v, 'apiserver');
    if (api.unusable !== undefined) return notEvaluated(api.unusableReason ?? 'unsupported', api.unusable, { component: 'apiserver' });
    const etcdCa = flagValue(etcd, 'trusted-ca-file');
    const clientCa = flagValue(api, 'client-ca-file');
    if (etcdCa === undefined) return fail('etcd has no --trusted-ca-file: any client certificate of a system CA is trusted', { flag: 'trusted-ca-file' });
    if (clientCa === undefined) return pass('the API server has no --client-ca-file to share');
    const a = nodePath(etcdCa);
    const b = nodePath(clientCa);
    if (a === b) return fail(`etcd trusts ${a}, the same CA as the API server's --client-ca-file: every cluster client certificate can talk to etcd`, { flag: 'trusted-ca-file' });
    const fa = v.file(a);
    const fb = v.file(b);
    if (fa?.sha256 !== undefined && fa.sha256 === fb?.sha256) return fail(`etcd's CA ${a} has the same content as the API server's client CA ${b}`, { flag: 'trusted-ca-file' });
    if (fa?.sha256 === undefined || fb?.sha256 === undefined) return notEvaluated('not-readable', `could not compare ${a} and ${b} (not readable)`);
    return pass(`etcd trusts its own CA ${a}`, { flag: 'trusted-ca-file' });
  });

/** Audit log rotation keeps the disk bounded, by the rules of the node's Kubernetes version. */
export const auditLogRotation: Evaluate = (v) =>
  withFlags(v, 'apiserver', ['audit-log-path'], (ci) => {
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

/** kube-proxy serves metrics on localhost only (--metrics-bind-address, else metricsBindAddress of its --config). */
export const proxyMetricsLocal: Evaluate = (v) =>
  withComponent(v, 'proxy', (ci) => {
    const flag = flagValue(ci, 'metrics-bind-address');
    let value = flag;
    let where: Partial<Outcome> = { flag: 'metrics-bind-address' };
    if (value === undefined) {
      const cfgPath = flagValue(ci, 'config');
      if (cfgPath !== undefined) {
        const path = nodePath(cfgPath);
        const p = v.parsed(path);
        if (!p) return notEvaluated('missing-input', `kube-proxy config ${path} was not read`, { config: path });
        if (p.error !== undefined) return notEvaluated('not-readable', `kube-proxy config ${path}: ${p.error}`, { config: path });
        const cfg = p.value;
        const fromCfg = cfg !== null && typeof cfg === 'object' && !Array.isArray(cfg) && Object.hasOwn(cfg, 'metricsBindAddress') ? (cfg as Record<string, unknown>).metricsBindAddress : undefined;
        if (typeof fromCfg === 'string' && fromCfg !== '') {
          value = fromCfg;
          where = { config: path, field: 'metricsBindAddress' };
        }
      }
    }
    if (value === undefined) return pass('metrics bind address not set (default 127.0.0.1:10249)', where);
    return value.includes('127.0.0.1') ? pass(`metrics bind address ${value}`, where) : fail(`metrics are served on ${value}`, where);
  });

// ---------------------------------------------------------------- more single-purpose templates

/** Manual controls that only report a flag's value (or its default). */
export function observeFlag(c: Component, flag: string, defaultValue: string): Evaluate {
  return (v) => withFlags(v, c, [flag], (ci) => {
    const value = flagValue(ci, flag);
    return pass(value !== undefined ? `--${flag}=${value}` : `--${flag} not set (default ${defaultValue})`, { flag });
  });
}

/** A feature gate is not set to false in --feature-gates (later occurrences win, as pflag merges them). */
export function featureGateNotDisabled(c: Component, gate: string): Evaluate {
  return (v) =>
    withComponent(v, c, (ci) => {
      const g = ci.flags.map('feature-gates')?.get(gate);
      if (g === undefined) return pass(`${gate} is not set (enabled by default)`, { flag: 'feature-gates' });
      return parseGoBool(g) === false ? fail(`--feature-gates sets ${gate}=${g}`, { flag: 'feature-gates' }) : pass(`${gate}=${g}`, { flag: 'feature-gates' });
    });
}

/** Every file of the CNI configuration folder (`/etc/cni/net.d`). */
export function cniFiles(fn: (v: NodeView, p: string) => Outcome): Evaluate {
  return (v) => {
    const dir = DEFAULTS.cniConfDir;
    const entries = [...v.snapshot.files.values()].filter((f) => f.path.startsWith(`${dir}/`) && f.type !== 'directory').map((f) => f.path).sort();
    const out = entries.map((p) => fn(v, p));
    const err = v.snapshot.walkErrors?.[dir];
    if (err !== undefined) out.push(notEvaluated('not-readable', `${dir}: ${err}`, { file: dir }));
    return out;
  };
}

/** The API server does not listen on every interface. */
export const notAllInterfaces: Evaluate = (v) =>
  withFlags(v, 'apiserver', ['bind-address'], (ci) => {
    const b = flagValue(ci, 'bind-address');
    return b === undefined || b === '0.0.0.0' || b === '::' ? fail(`the API server listens on all interfaces (--bind-address ${b ?? 'not set'})`, { flag: 'bind-address' }) : pass(`--bind-address=${b}`, { flag: 'bind-address' });
  });

/** No plain-HTTP API port (--insecure-port, removed in 1.24). */
export const noInsecurePort: Evaluate = (v) =>
  withFlags(v, 'apiserver', ['insecure-port'], (ci) => {
    const p = flagValue(ci, 'insecure-port');
    return p === undefined || p === '0' ? pass(`--insecure-port ${p ?? 'not set'}`, { flag: 'insecure-port' }) : fail(`--insecure-port=${p}: the API is served over plain HTTP without authentication`, { flag: 'insecure-port' });
  });

/** An audit policy is configured: --audit-policy-file, or one given to kspect. */
export const auditPolicyFileSet: Evaluate = (v) =>
  withFlags(v, 'apiserver', ['audit-policy-file'], (ci) =>
    flagValue(ci, 'audit-policy-file') !== undefined || v.parsed(givenKey('audit-policy')) !== undefined
      ? pass('an audit policy is configured', { flag: 'audit-policy-file' })
      : fail('--audit-policy-file is not set: without a policy the API server logs no event', { flag: 'audit-policy-file' }),
  );

/** The EncryptionConfiguration in effect is sound; no --encryption-provider-config fails (Secrets in plaintext). */
export const encryptionConfigSound: Evaluate = (v) => {
  const p = encryptionConfigPath(v);
  if (p !== undefined) return encryption(v, p);
  return withFlags(v, 'apiserver', ['encryption-provider-config'], () => fail('--encryption-provider-config is not set: Secrets are stored in etcd in plaintext', { flag: 'encryption-provider-config' }));
};
