/** pod-host-path: hostPath volumes, graded by how sensitive the host path is and whether it is mounted writable. */
import type { Severity } from '../../core/severity.js';
import { hostPathVolumes, isSameOrUnder, isWindowsPath, mountAccess, normalizeHostPath, type MountAccess } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated, quoteList } from '../../framework/field-findings.js';

interface Sensitive {
  readonly path: string;
  readonly why: string;
}

/** Container runtime sockets: whoever can connect to one can start a privileged container on the node. */
const SOCKET_NAMES = new Set(['docker.sock', 'containerd.sock', 'crio.sock', 'dockershim.sock', 'cri-dockerd.sock', 'podman.sock']);
/** Folders that hold runtime sockets (after `/var/run` → `/run`). */
const SOCKET_DIRS = ['/run/containerd', '/run/crio', '/run/docker', '/run/k3s/containerd', '/run/cri-dockerd', '/run/podman'];

/** Sensitive host paths: the path itself, what is under it, and its parent folders are sensitive. */
const SENSITIVE: readonly Sensitive[] = [
  { path: '/etc/kubernetes', why: 'Kubernetes credentials, kubeconfigs and static pod manifests' },
  { path: '/etc/cni', why: 'CNI configuration, which decides the plugins the kubelet runs as root' },
  { path: '/etc', why: 'host configuration and credentials (shadow, sudoers, kubelet config, cron)' },
  { path: '/proc', why: "the host's kernel and process interfaces" },
  { path: '/sys', why: "the host's kernel, device and cgroup interfaces" },
  { path: '/root', why: "root's home (SSH keys, kubeconfigs)" },
  { path: '/home', why: "users' homes (SSH keys, kubeconfigs)" },
  { path: '/var/log', why: 'host and pod logs (a writable mount enables the kubelet log-symlink attack)' },
  { path: '/var/lib/kubelet', why: "the kubelet's state: every pod's Secrets and service-account tokens on the node" },
  { path: '/var/lib/etcd', why: 'etcd data: every Secret of the cluster' },
  { path: '/var/lib/docker', why: 'container runtime state: every container filesystem on the node' },
  { path: '/var/lib/containerd', why: 'container runtime state: every container filesystem on the node' },
  { path: '/var/lib/containers', why: 'container runtime state: every container filesystem on the node' },
  { path: '/boot', why: 'the kernel and boot loader' },
  { path: '/dev', why: "the host's devices (disks, memory)" },
  { path: '/usr', why: 'host binaries and libraries that run as root' },
  { path: '/bin', why: 'host binaries that run as root' },
  { path: '/sbin', why: 'host binaries that run as root' },
  { path: '/lib', why: 'host libraries, kernel modules and service units' },
  { path: '/lib64', why: 'host libraries' },
  { path: '/opt/cni', why: 'CNI plugins that the kubelet runs as root' },
];

const WINDOWS_PIPES = ['\\\\.\\pipe\\docker_engine', '\\\\.\\pipe\\containerd-containerd'];
const WINDOWS_SENSITIVE: readonly Sensitive[] = [
  { path: '\\windows', why: 'the Windows system folder' },
  { path: '\\var\\lib\\kubelet', why: "the kubelet's state: every pod's Secrets and service-account tokens on the node" },
  { path: '\\etc\\kubernetes', why: 'Kubernetes credentials and kubeconfigs' },
  { path: '\\k', why: 'the kubelet and its kubeconfig on Windows nodes' },
];

export interface HostPathClass {
  /** The runtime socket it exposes, the sensitive area it touches, or undefined. */
  readonly kind: 'socket' | 'sensitive' | 'other';
  readonly why: string;
}

/** Classify a host path (any spelling: trailing slashes, `//`, `/./`, `..`, `/var/run`). */
export function classifyHostPath(raw: string): HostPathClass {
  const p = normalizeHostPath(raw);
  if (isWindowsPath(raw)) return classifyWindows(p);
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (SOCKET_NAMES.has(base)) return { kind: 'socket', why: `the container runtime socket ${base}` };
  for (const dir of SOCKET_DIRS) {
    if (isSameOrUnder(p, dir) || isSameOrUnder(dir, p)) return { kind: 'socket', why: `${p === '/' ? 'the whole host filesystem, with' : 'the folder of'} the container runtime sockets` };
  }
  if (p === '/') return { kind: 'socket', why: 'the whole host filesystem, with the container runtime sockets' };
  for (const s of SENSITIVE) {
    if (isSameOrUnder(p, s.path)) return { kind: 'sensitive', why: s.why };
  }
  const below = SENSITIVE.filter((s) => isSameOrUnder(s.path, p));
  if (below.length > 0) {
    const names = below.map((s) => s.path);
    return { kind: 'sensitive', why: `a parent folder of ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}` };
  }
  return { kind: 'other', why: 'a host folder' };
}

function classifyWindows(p: string): HostPathClass {
  if (WINDOWS_PIPES.includes(p)) return { kind: 'socket', why: 'the container runtime named pipe' };
  if (p.startsWith('\\\\')) return { kind: 'other', why: 'a host named pipe or share' };
  const drive = p.slice(0, 2);
  const rest = p.slice(2);
  if (rest === '' || rest === '\\') return { kind: 'sensitive', why: `the whole ${drive.toUpperCase()} drive of the host` };
  for (const s of WINDOWS_SENSITIVE) {
    if (rest === s.path || rest.startsWith(`${s.path}\\`) || s.path.startsWith(`${rest}\\`)) return { kind: 'sensitive', why: s.why };
  }
  return { kind: 'other', why: 'a host folder' };
}

/**
 * Severity by what the path exposes and how it is mounted. A runtime socket is critical even
 * read-only: connecting to a Unix socket ignores a read-only mount.
 */
export function hostPathSeverity(kind: HostPathClass['kind'], access: MountAccess): Severity {
  if (kind === 'socket') return access === 'none' ? 'high' : 'critical';
  if (kind === 'sensitive') return access === 'writable' ? 'critical' : 'high';
  return access === 'writable' ? 'medium' : 'low';
}

export const podHostPath = defineCheck({
  id: 'pod-host-path',
  meta: {
    title: 'hostPath volume',
    description:
      "A hostPath volume mounts a file or folder of the node into the pod. The container then reads — and, unless every mount is read-only, writes — the node's files with its own user, often root: host credentials, other pods' secrets under /var/lib/kubelet, binaries the node runs as root, and container runtime sockets that start privileged containers. The baseline Pod Security Standard forbids hostPath volumes.",
    severity: 'high',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      hostPath: 'volume "{{volume}}" mounts host path {{hostPath}} ({{why}}), {{access}}',
      noPath: 'volume "{{volume}}" is a hostPath volume without a path',
    },
    remediation:
      'Replace hostPath volumes with emptyDir, ConfigMap/Secret/projected volumes or PersistentVolumeClaims. Where a node agent truly needs a host path, mount the narrowest path, set `readOnly: true` on every volumeMount, never mount a container runtime socket, and run it in a namespace whose Pod Security level allows it.',
    references: {
      pss: ['hostPathVolumes'],
      cis: ['5.2.11'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611', 'T1552.001', 'T1610'],
      urls: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      const containers = containersOf(view);
      for (const v of hostPathVolumes(view)) {
        const writers: string[] = [];
        const readers: string[] = [];
        for (const c of containers) {
          const a = mountAccess(c, v.name);
          if (a === 'writable') writers.push(c.name);
          else if (a === 'read-only') readers.push(c.name);
        }
        const access: MountAccess = writers.length > 0 ? 'writable' : readers.length > 0 ? 'read-only' : 'none';
        if (v.hostPath === undefined || v.hostPath.trim() === '') {
          ctx.report({ messageId: 'noPath', object: obj, path: v.fieldPath, data: { volume: v.name }, severity: hostPathSeverity('other', access) });
          continue;
        }
        const cls = classifyHostPath(v.hostPath);
        const accessText =
          access === 'writable'
            ? `writable by ${writers.length > 1 ? 'containers' : 'container'} ${quoteList(writers)}`
            : access === 'read-only'
              ? `read-only in ${readers.length > 1 ? 'containers' : 'container'} ${quoteList(readers)}`
              : 'not mounted by any container';
        ctx.report({
          messageId: 'hostPath',
          object: obj,
          path: v.fieldPath,
          severity: hostPathSeverity(cls.kind, access),
          data: { volume: v.name, hostPath: v.hostPath, why: cls.why, access: accessText },
        });
      }
    };
  },
});
