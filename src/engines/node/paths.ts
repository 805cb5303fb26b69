/**
 * Where a node keeps its files: kubeadm's defaults, overridden by the flags that point at them.
 * Non-default layouts work because every path is taken from the flag that names it first.
 */
import type { Component, ComponentInstance } from './snapshot.js';

export const DEFAULTS = {
  manifestsDir: '/etc/kubernetes/manifests',
  pkiDir: '/etc/kubernetes/pki',
  /** The CNI configuration folder (the kubelet's and runtimes' default --cni-conf-dir). */
  cniConfDir: '/etc/cni/net.d',
  adminConfs: ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'],
  controllerManagerKubeconfig: '/etc/kubernetes/controller-manager.conf',
  schedulerKubeconfig: '/etc/kubernetes/scheduler.conf',
  kubeletKubeconfig: '/etc/kubernetes/kubelet.conf',
  kubeletConfig: '/var/lib/kubelet/config.yaml',
  kubeletCaFile: '/etc/kubernetes/pki/ca.crt',
  proxyKubeconfig: '/etc/kubernetes/proxy.conf',
  etcdDataDir: '/var/lib/etcd',
  /** Unit files and drop-in folders that may define the kubelet's command line, in systemd's order. */
  kubeletUnits: ['/lib/systemd/system/kubelet.service', '/usr/lib/systemd/system/kubelet.service', '/etc/systemd/system/kubelet.service'],
  kubeletDropInDirs: ['/lib/systemd/system/kubelet.service.d', '/usr/lib/systemd/system/kubelet.service.d', '/etc/systemd/system/kubelet.service.d'],
} as const;

/** Default static pod manifest of each component (kubeadm layout). */
export const DEFAULT_MANIFESTS: Readonly<Partial<Record<Component, string>>> = {
  apiserver: '/etc/kubernetes/manifests/kube-apiserver.yaml',
  'controller-manager': '/etc/kubernetes/manifests/kube-controller-manager.yaml',
  scheduler: '/etc/kubernetes/manifests/kube-scheduler.yaml',
  etcd: '/etc/kubernetes/manifests/etcd.yaml',
};

/** Flags whose value is a file (or folder) the component reads, per component. */
export const FILE_FLAGS: Readonly<Record<Component, readonly string[]>> = {
  apiserver: [
    'admission-control-config-file',
    'audit-policy-file',
    'authentication-config',
    'authorization-config',
    'authorization-policy-file',
    'authorization-webhook-config-file',
    'basic-auth-file',
    'client-ca-file',
    'egress-selector-config-file',
    'encryption-provider-config',
    'etcd-cafile',
    'etcd-certfile',
    'etcd-keyfile',
    'kubelet-certificate-authority',
    'kubelet-client-certificate',
    'kubelet-client-key',
    'oidc-ca-file',
    'proxy-client-cert-file',
    'proxy-client-key-file',
    'requestheader-client-ca-file',
    'service-account-key-file',
    'service-account-signing-key-file',
    'tls-cert-file',
    'tls-private-key-file',
    'token-auth-file',
  ],
  'controller-manager': [
    'authentication-kubeconfig',
    'authorization-kubeconfig',
    'client-ca-file',
    'cluster-signing-cert-file',
    'cluster-signing-key-file',
    'kubeconfig',
    'requestheader-client-ca-file',
    'root-ca-file',
    'service-account-private-key-file',
    'tls-cert-file',
    'tls-private-key-file',
  ],
  scheduler: ['authentication-kubeconfig', 'authorization-kubeconfig', 'config', 'kubeconfig', 'tls-cert-file', 'tls-private-key-file'],
  etcd: ['cert-file', 'key-file', 'trusted-ca-file', 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file', 'data-dir', 'config-file'],
  kubelet: ['bootstrap-kubeconfig', 'client-ca-file', 'config', 'kubeconfig', 'tls-cert-file', 'tls-private-key-file'],
  proxy: ['config', 'kubeconfig'],
};

/** Flags whose file kspect parses (YAML or JSON) as well as stat-ing it. */
export const PARSED_FLAGS: Readonly<Partial<Record<Component, readonly string[]>>> = {
  apiserver: ['encryption-provider-config', 'audit-policy-file', 'admission-control-config-file'],
  kubelet: ['config'],
  proxy: ['config'],
};

/** etcd reads `ETCD_<FLAG>` environment variables for flags the command line does not give. */
export function etcdEnvName(flag: string): string {
  return `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/** A flag of a component, with etcd's environment fallback. */
export function componentFlag(c: ComponentInstance | undefined, flag: string): string | undefined {
  if (!c) return undefined;
  const v = c.flags.get(flag);
  if (v !== undefined) return v;
  if (c.component === 'etcd') {
    const name = etcdEnvName(flag);
    return Object.hasOwn(c.env, name) ? c.env[name] : undefined;
  }
  return undefined;
}

/** Make a path from a flag absolute on the node (relative paths are taken from `/`, the usual working dir of static pods). */
export function nodePath(p: string): string {
  const abs = p.startsWith('/') ? p : `/${p}`;
  const parts: string[] = [];
  for (const seg of abs.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** The kubeconfig a component uses: its --kubeconfig flag, else the kubeadm default. */
export function kubeconfigOf(component: Component, c: ComponentInstance | undefined): string | undefined {
  const flag = c?.flags.get('kubeconfig');
  if (flag !== undefined && flag !== '') return nodePath(flag);
  if (component === 'controller-manager') return DEFAULTS.controllerManagerKubeconfig;
  if (component === 'scheduler') return DEFAULTS.schedulerKubeconfig;
  if (component === 'kubelet') return DEFAULTS.kubeletKubeconfig;
  if (component === 'proxy') return DEFAULTS.proxyKubeconfig;
  return undefined;
}

/** The etcd data directory: --data-dir (or ETCD_DATA_DIR), else /var/lib/etcd. */
export function etcdDataDir(c: ComponentInstance | undefined): string {
  const v = componentFlag(c, 'data-dir');
  return v !== undefined && v !== '' ? nodePath(v) : DEFAULTS.etcdDataDir;
}
