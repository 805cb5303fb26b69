/**
 * What kubeadm's file names say about a certificate: its role (server / client / peer / CA),
 * the CA that should sign it, and the identity kubeadm gives it. Source of truth: kubeadm's
 * certificate list (`kubeadm certs check-expiration` prints the same names).
 */

export type Role = 'ca' | 'server' | 'client' | 'peer' | 'unknown';

export interface KubeadmCert {
  /** kubeadm's name, as `kubeadm certs check-expiration` prints it. */
  readonly name: string;
  /** Path relative to the pki folder, without extension. */
  readonly file: string;
  readonly role: Role;
  /** The kubeadm CA (by `file`) that signs it. */
  readonly ca?: string;
}

/** Certificates under /etc/kubernetes/pki. */
export const KUBEADM_PKI: readonly KubeadmCert[] = [
  { name: 'ca', file: 'ca', role: 'ca' },
  { name: 'apiserver', file: 'apiserver', role: 'server', ca: 'ca' },
  { name: 'apiserver-kubelet-client', file: 'apiserver-kubelet-client', role: 'client', ca: 'ca' },
  { name: 'front-proxy-ca', file: 'front-proxy-ca', role: 'ca' },
  { name: 'front-proxy-client', file: 'front-proxy-client', role: 'client', ca: 'front-proxy-ca' },
  { name: 'etcd-ca', file: 'etcd/ca', role: 'ca' },
  // etcd's server certificate is also used by etcd as a client of itself: kubeadm gives it both usages.
  { name: 'etcd-server', file: 'etcd/server', role: 'peer', ca: 'etcd/ca' },
  { name: 'etcd-peer', file: 'etcd/peer', role: 'peer', ca: 'etcd/ca' },
  { name: 'etcd-healthcheck-client', file: 'etcd/healthcheck-client', role: 'client', ca: 'etcd/ca' },
  { name: 'apiserver-etcd-client', file: 'apiserver-etcd-client', role: 'client', ca: 'etcd/ca' },
];

/** Kubeconfig files under /etc/kubernetes, each with a client certificate signed by the cluster CA. */
export const KUBEADM_KUBECONFIGS: readonly string[] = ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'controller-manager.conf', 'scheduler.conf'];

/** The kubelet's own files under /var/lib/kubelet/pki. */
const KUBELET: readonly KubeadmCert[] = [
  { name: 'kubelet-client', file: 'kubelet-client-current', role: 'client', ca: 'ca' },
  { name: 'kubelet-serving', file: 'kubelet', role: 'server' },
];

function stem(path: string): string {
  return path.replace(/\\/g, '/').replace(/\.(crt|pem|cer|der|key|pub)$/i, '');
}

/** The kubeadm certificate a file path names, when it follows kubeadm's layout. */
export function kubeadmCertOf(path: string): KubeadmCert | undefined {
  const s = stem(path);
  // Longest file first, so `etcd/ca` wins over `ca`.
  const all = [...KUBEADM_PKI, ...KUBELET].sort((a, b) => b.file.length - a.file.length);
  return all.find((c) => s === c.file || s.endsWith(`/${c.file}`));
}

/** True when the path is a kubeadm service-account key file (`sa.key`, `sa.pub`). */
export function isServiceAccountKey(path: string): 'private' | 'public' | undefined {
  const p = path.replace(/\\/g, '/');
  if (p === 'sa.key' || p.endsWith('/sa.key')) return 'private';
  if (p === 'sa.pub' || p.endsWith('/sa.pub')) return 'public';
  return undefined;
}

/** Extended key usages a role needs. */
export function requiredEku(role: Role): readonly string[] {
  switch (role) {
    case 'server':
      return ['serverAuth'];
    case 'client':
      return ['clientAuth'];
    case 'peer':
      return ['serverAuth', 'clientAuth'];
    default:
      return [];
  }
}
