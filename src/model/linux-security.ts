/**
 * Pure helpers for reading the Linux security settings of a pod spec the way the kubelet and the
 * container runtimes interpret them: capability names, the effective value of a securityContext
 * field and where it was set, hostPath and sysctl name normalisation.
 */
import { getArray, getBool, getObject, getString, isObject, type JsonObject } from './object.js';
import { joinPath } from './path.js';
import type { ContainerView, PodSpecView } from './podspec.js';
import { trimEndChar } from '../core/text.js';

/** `spec.os.name: windows`: Linux-only settings (capabilities, seccomp, SELinux, …) do not apply. */
export function isWindowsPod(view: PodSpecView): boolean {
  return getString(getObject(view.spec, 'os'), 'name') === 'windows';
}

/** `spec.hostUsers: false`: the pod runs in a user namespace, container root is not host root. */
export function usesUserNamespace(view: PodSpecView): boolean {
  return getBool(view.spec, 'hostUsers') === false;
}

/** Where an effective value was set: on the container itself or inherited from the pod. */
export type FieldLevel = 'container' | 'pod';

export interface EffectiveValue<T> {
  readonly value: T;
  readonly path: string;
  readonly level: FieldLevel;
}

/**
 * The effective value of a securityContext field that both the pod and its containers have
 * (runAsUser, runAsNonRoot, seccompProfile, …): the container's, else the pod's.
 */
export function effectiveField(view: PodSpecView, c: ContainerView, field: string): EffectiveValue<unknown> | undefined {
  const own = getObject(c.container, 'securityContext')?.[field];
  if (own !== undefined && own !== null) return { value: own, path: joinPath(c.path, 'securityContext', field), level: 'container' };
  const inherited = getObject(view.spec, 'securityContext')?.[field];
  if (inherited !== undefined && inherited !== null) return { value: inherited, path: joinPath(view.path, 'securityContext', field), level: 'pod' };
  return undefined;
}

/**
 * A capability name as the container runtimes read it: containerd upper-cases the name and adds
 * `CAP_`; CRI-O accepts it with or without the prefix, in any case. We accept the union, so
 * `sys_admin`, `SYS_ADMIN` and `CAP_SYS_ADMIN` all name `SYS_ADMIN`.
 */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

export interface CapabilityEntry {
  /** Normalised name, e.g. `SYS_ADMIN`. */
  readonly name: string;
  /** As written. */
  readonly raw: string;
  /** Path of the list entry. */
  readonly path: string;
}

/** The entries of `securityContext.capabilities.add` or `.drop` of a container (strings only). */
export function capabilityEntries(c: ContainerView, list: 'add' | 'drop'): CapabilityEntry[] {
  const caps = getObject(getObject(c.container, 'securityContext'), 'capabilities');
  const out: CapabilityEntry[] = [];
  getArray(caps, list).forEach((v, i) => {
    if (typeof v === 'string') out.push({ name: normalizeCapability(v), raw: v, path: joinPath(c.path, 'securityContext', 'capabilities', list, i) });
  });
  return out;
}

/**
 * True when a capability list names every capability: the runtimes compare `ALL` without regard
 * to case (and never with a `CAP_` prefix).
 */
export function isAllCapabilities(raw: string): boolean {
  return raw.trim().toUpperCase() === 'ALL';
}

/**
 * Lexical normalisation of a host path: collapses `//`, `/./`, resolves `..`, drops trailing
 * slashes, and treats `/var/run` as `/run` (a symlink to it on every current distribution).
 * Windows paths are lower-cased with `\` separators kept. Returns `/` for the root.
 */
export function normalizeHostPath(path: string): string {
  const p = path.trim();
  if (isWindowsPath(p)) return trimEndChar(p.replace(/\//g, '\\'), '\\').toLowerCase() || '\\';
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  if (parts[0] === 'var' && parts[1] === 'run') parts.splice(0, 2, 'run');
  return `/${parts.join('/')}`;
}

/** `C:\…`, `C:/…`, `\\.\pipe\…`: a Windows host path. */
export function isWindowsPath(path: string): boolean {
  return /^[A-Za-z]:([\\/]|$)/.test(path) || path.startsWith('\\\\');
}

/** True when `ancestor` is `path` itself or one of its parent folders (both normalised). */
export function isSameOrUnder(path: string, ancestor: string): boolean {
  if (ancestor === '/') return path.startsWith('/');
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

/**
 * A sysctl name in dot notation: Kubernetes also accepts `/` as the separator, and when the first
 * separator is `/`, dots and slashes swap roles (`net/ipv4/conf/eno2.100/rp_filter` is
 * `net.ipv4.conf.eno2/100.rp_filter`), as the kubelet converts them before checking.
 */
export function normalizeSysctlName(name: string): string {
  const i = name.search(/[./]/);
  if (i < 0 || name[i] === '.') return name;
  return name.replace(/[./]/g, (ch) => (ch === '.' ? '/' : '.'));
}

/** The volumes of a pod spec that are hostPath volumes, with their index and path. */
export interface HostPathVolume {
  readonly name: string;
  readonly index: number;
  /** The `hostPath.path` as written, or undefined when missing. */
  readonly hostPath: string | undefined;
  readonly volume: JsonObject;
  /** Path of `spec.volumes[i].hostPath.path` (or of `hostPath` when `path` is missing). */
  readonly fieldPath: string;
}

export function hostPathVolumes(view: PodSpecView): HostPathVolume[] {
  const out: HostPathVolume[] = [];
  getArray(view.spec, 'volumes').forEach((v, index) => {
    if (!isObject(v)) return;
    const hp = getObject(v, 'hostPath');
    if (!hp) return;
    const hostPath = getString(hp, 'path');
    out.push({
      name: getString(v, 'name') ?? `#${index}`,
      index,
      hostPath,
      volume: v,
      fieldPath: hostPath !== undefined ? joinPath(view.path, 'volumes', index, 'hostPath', 'path') : joinPath(view.path, 'volumes', index, 'hostPath'),
    });
  });
  return out;
}

/** How a container mounts a volume: not at all, read-only, or writable. */
export type MountAccess = 'none' | 'read-only' | 'writable';

/**
 * How a container mounts the named volume, through `volumeMounts` (writable unless
 * `readOnly: true`) or `volumeDevices` (always writable: a raw block device).
 */
export function mountAccess(c: ContainerView, volumeName: string): MountAccess {
  let access: MountAccess = 'none';
  for (const m of getArray(c.container, 'volumeMounts')) {
    if (getString(m, 'name') !== volumeName) continue;
    if (getBool(m, 'readOnly') === true) {
      if (access === 'none') access = 'read-only';
    } else return 'writable';
  }
  for (const d of getArray(c.container, 'volumeDevices')) if (getString(d, 'name') === volumeName) return 'writable';
  return access;
}
