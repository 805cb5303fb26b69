/**
 * Builds node trees for tests in temporary folders: a kubeadm-like control-plane node with real
 * modes and owners (the tests run as root, so chown works), which a test then breaks on purpose.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export const ETCD_UID = 998;
export const NOBODY_UID = 65534;

/** A planted secret: tests assert it never appears in any output. */
export const PLANTED_KEY_B64 = Buffer.from('kspect-planted-secret-key-0123456').subarray(0, 32).toString('base64');

export type Flags = string[];

export interface NodeSpec {
  apiserver: Flags | null;
  controllerManager: Flags | null;
  scheduler: Flags | null;
  etcd: Flags | null;
  etcdEnv: Record<string, string>;
  kubelet: Flags | null;
  kubeletConfig: Record<string, unknown> | null;
  /** kube-proxy flags, written as a fake process in <root>/proc (read with --processes). */
  proxy: Flags | null;
  /** Modes and owners to apply after writing, by node path. */
  modes: Record<string, number>;
  owners: Record<string, [number, number]>;
  encryptionConfig: Record<string, unknown> | null;
  auditPolicy: Record<string, unknown> | null;
  apiserverImage: string;
  /** Extra files (node path → content). */
  extra: Record<string, string>;
  /** Files to delete after building (node paths). */
  remove: string[];
}

export function goodNode(): NodeSpec {
  return {
    apiserver: [
      '--advertise-address=10.0.0.10',
      '--anonymous-auth=false',
      '--audit-log-maxage=30',
      '--audit-log-maxbackup=10',
      '--audit-log-maxsize=100',
      '--audit-log-path=/var/log/kubernetes/audit/audit.log',
      '--audit-policy-file=/etc/kubernetes/audit/policy.yaml',
      '--authorization-mode=Node,RBAC',
      '--bind-address=10.0.0.10',
      '--client-ca-file=/etc/kubernetes/pki/ca.crt',
      '--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs',
      '--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml',
      '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
      '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
      '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
      '--etcd-servers=https://127.0.0.1:2379',
      '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt',
      '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
      '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
      '--profiling=false',
      '--request-timeout=60s',
      '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
      '--service-account-extend-token-expiration=false',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
      '--service-account-lookup=true',
      '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
      '--strict-transport-security-directives=max-age=31536000,includeSubDomains',
      '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
      '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      '--tls-min-version=VersionTLS12',
      '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
    ],
    controllerManager: [
      '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--bind-address=127.0.0.1',
      '--client-ca-file=/etc/kubernetes/pki/ca.crt',
      '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
      '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
      '--kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--leader-elect=true',
      '--profiling=false',
      '--root-ca-file=/etc/kubernetes/pki/ca.crt',
      '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
      '--terminated-pod-gc-threshold=10',
      '--use-service-account-credentials=true',
    ],
    scheduler: ['--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true', '--profiling=false'],
    etcd: [
      '--advertise-client-urls=https://10.0.0.10:2379',
      '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
      '--client-cert-auth=true',
      '--data-dir=/var/lib/etcd',
      '--key-file=/etc/kubernetes/pki/etcd/server.key',
      '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379',
      '--listen-peer-urls=https://10.0.0.10:2380',
      '--name=cp1',
      '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
      '--peer-client-cert-auth=true',
      '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
      '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    ],
    etcdEnv: {},
    kubelet: ['--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock'],
    kubeletConfig: {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
      authorization: { mode: 'Webhook' },
      readOnlyPort: 0,
      rotateCertificates: true,
      serverTLSBootstrap: true,
      tlsMinVersion: 'VersionTLS12',
      makeIPTablesUtilChains: true,
      seccompDefault: true,
      podPidsLimit: 4096,
      streamingConnectionIdleTimeout: '5m',
      eventRecordQPS: 5,
      staticPodPath: '/etc/kubernetes/manifests',
    },
    proxy: ['--config=/var/lib/kube-proxy/config.conf', '--metrics-bind-address=127.0.0.1:10249'],
    modes: {},
    owners: {},
    encryptionConfig: {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'key1', secret: PLANTED_KEY_B64 }] } }, { identity: {} }] }],
    },
    auditPolicy: {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [
        { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
        { level: 'None', nonResourceURLs: ['/healthz*', '/readyz*', '/livez*'] },
        { level: 'RequestResponse', resources: [{ group: 'rbac.authorization.k8s.io' }] },
        { level: 'Metadata' },
      ],
    },
    apiserverImage: 'registry.k8s.io/kube-apiserver:v1.34.1',
    extra: {},
    remove: [],
  };
}

/** Set (value string), make bare (true as boolean flag `--x`), or remove (undefined) a flag. */
export function withFlag(flags: Flags, name: string, value: string | undefined): Flags {
  const out = flags.filter((f) => f !== `--${name}` && !f.startsWith(`--${name}=`));
  if (value !== undefined) out.push(`--${name}=${value}`);
  return out;
}

function pod(name: string, binary: string, image: string, flags: Flags, env: Record<string, string> = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component: name, tier: 'control-plane' } },
    spec: {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      containers: [{ name, image, command: [binary, ...flags], ...(Object.keys(env).length > 0 ? { env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) } : {}) }],
    },
  });
}

const PEM = (label: string): string => `-----BEGIN CERTIFICATE-----\n${Buffer.from(`fake certificate ${label}`).toString('base64')}\n-----END CERTIFICATE-----\n`;
const KEY = (label: string): string => `-----BEGIN PRIVATE KEY-----\n${Buffer.from(`fake key ${label}`).toString('base64')}\n-----END PRIVATE KEY-----\n`;

/** The kubelet command line as `ps` shows it (what kube-bench reads). */
export function kubeletCommandLine(spec: NodeSpec): string {
  return ['/usr/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf', ...(spec.kubeletConfig ? ['--config=/var/lib/kubelet/config.yaml'] : []), ...(spec.kubelet ?? [])].join(' ');
}

/** Write a node tree; returns its root. */
export function buildNodeTree(spec: NodeSpec, root = mkdtempSync(join(tmpdir(), 'kspect-node-'))): string {
  const files = new Map<string, { content: string; mode: number; owner?: [number, number] }>();
  const put = (p: string, content: string, mode = 0o600, owner?: [number, number]): void => void files.set(p, { content, mode, ...(owner ? { owner } : {}) });
  put('/etc/passwd', `root:x:0:0:root:/root:/bin/bash\netcd:x:${ETCD_UID}:${ETCD_UID}:etcd:/var/lib/etcd:/usr/sbin/nologin\nnobody:x:${NOBODY_UID}:${NOBODY_UID}:nobody:/nonexistent:/usr/sbin/nologin\n`, 0o644);
  put('/etc/group', `root:x:0:\netcd:x:${ETCD_UID}:\nnogroup:x:${NOBODY_UID}:\n`, 0o644);
  const m = '/etc/kubernetes/manifests';
  if (spec.apiserver) put(`${m}/kube-apiserver.yaml`, pod('kube-apiserver', 'kube-apiserver', spec.apiserverImage, spec.apiserver));
  if (spec.controllerManager) put(`${m}/kube-controller-manager.yaml`, pod('kube-controller-manager', 'kube-controller-manager', 'registry.k8s.io/kube-controller-manager:v1.34.1', spec.controllerManager));
  if (spec.scheduler) put(`${m}/kube-scheduler.yaml`, pod('kube-scheduler', 'kube-scheduler', 'registry.k8s.io/kube-scheduler:v1.34.1', spec.scheduler));
  if (spec.etcd) put(`${m}/etcd.yaml`, pod('etcd', 'etcd', 'registry.k8s.io/etcd:3.5.21-0', spec.etcd, spec.etcdEnv));
  const pki = '/etc/kubernetes/pki';
  for (const n of ['ca', 'apiserver', 'apiserver-kubelet-client', 'apiserver-etcd-client', 'front-proxy-ca', 'front-proxy-client']) {
    put(`${pki}/${n}.crt`, PEM(n), 0o644);
    put(`${pki}/${n}.key`, KEY(n), 0o600);
  }
  put(`${pki}/sa.key`, KEY('sa'), 0o600);
  put(`${pki}/sa.pub`, '-----BEGIN PUBLIC KEY-----\nZmFrZQ==\n-----END PUBLIC KEY-----\n', 0o644);
  for (const n of ['ca', 'server', 'peer', 'healthcheck-client']) {
    put(`${pki}/etcd/${n}.crt`, PEM(`etcd-${n}`), 0o644);
    put(`${pki}/etcd/${n}.key`, KEY(`etcd-${n}`), 0o600);
  }
  const kubeconfig = (user: string): string => stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'k', cluster: { server: 'https://10.0.0.10:6443' } }], users: [{ name: user, user: { 'client-certificate': '/var/lib/kubelet/pki/kubelet-client-current.pem' } }], contexts: [{ name: 'k', context: { cluster: 'k', user } }], 'current-context': 'k' });
  for (const n of ['admin', 'super-admin', 'controller-manager', 'scheduler', 'kubelet']) put(`/etc/kubernetes/${n}.conf`, kubeconfig(n));
  put('/lib/systemd/system/kubelet.service', '[Unit]\nDescription=kubelet\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\n[Install]\nWantedBy=multi-user.target\n', 0o644);
  if (spec.kubelet)
    put(
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
      [
        '# Note: This dropin only works with kubeadm and kubelet v1.11+',
        '[Service]',
        'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"',
        spec.kubeletConfig ? 'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"' : '',
        'EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env',
        'EnvironmentFile=-/etc/default/kubelet',
        'ExecStart=',
        'ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS',
        '',
      ].join('\n'),
    );
  if (spec.kubelet) put('/var/lib/kubelet/kubeadm-flags.env', `KUBELET_KUBEADM_ARGS="${spec.kubelet.join(' ')}"\n`, 0o644);
  if (spec.kubeletConfig) put('/var/lib/kubelet/config.yaml', stringify(spec.kubeletConfig));
  if (spec.encryptionConfig) put('/etc/kubernetes/enc/encryption.yaml', stringify(spec.encryptionConfig));
  if (spec.auditPolicy) put('/etc/kubernetes/audit/policy.yaml', stringify(spec.auditPolicy));
  if (spec.proxy) {
    put('/proc/4242/cmdline', ['/usr/local/bin/kube-proxy', ...spec.proxy].join('\0') + '\0', 0o444);
    put('/var/lib/kube-proxy/config.conf', stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration' }), 0o644);
  }
  for (const [p, c] of Object.entries(spec.extra)) put(p, c, 0o600);
  for (const [p, f] of files) {
    const host = join(root, p);
    mkdirSync(dirname(host), { recursive: true });
    writeFileSync(host, f.content);
    chmodSync(host, spec.modes[p] ?? f.mode);
    const o = spec.owners[p] ?? f.owner ?? [0, 0];
    chownSync(host, o[0], o[1]);
  }
  const dataDir = join(root, 'var/lib/etcd');
  mkdirSync(join(dataDir, 'member'), { recursive: true });
  chmodSync(dataDir, spec.modes['/var/lib/etcd'] ?? 0o700);
  const d = spec.owners['/var/lib/etcd'] ?? [ETCD_UID, ETCD_UID];
  chownSync(dataDir, d[0], d[1]);
  for (const dir of ['/etc/kubernetes/pki', '/etc/kubernetes/pki/etcd']) {
    chmodSync(join(root, dir), spec.modes[dir] ?? 0o755);
    const o = spec.owners[dir] ?? [0, 0];
    chownSync(join(root, dir), o[0], o[1]);
  }
  for (const p of spec.remove) rmSync(join(root, p), { recursive: true, force: true });
  return root;
}

export function symlink(root: string, nodeLink: string, target: string): void {
  const host = join(root, nodeLink);
  rmSync(host, { force: true });
  mkdirSync(dirname(host), { recursive: true });
  symlinkSync(target, host);
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
