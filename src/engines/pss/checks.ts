/**
 * The Pod Security Standards controls, one function per control and policy-version behaviour, and the
 * registry saying from which policy version each behaviour applies and which baseline control a
 * restricted control replaces. The control ids, levels, versions and allowed values follow the
 * admission controller (k8s.io/pod-security-admission, policy/check_*.go); the wording is ours.
 */
import type { PssCheckLevel } from './policy.js';
import type { Container, Field, PodView, SecurityContext } from './pod.js';

/** What one control found wrong with a pod. */
export interface ControlFailure {
  /** Short reason, the same label the admission controller uses (e.g. `host namespaces`). */
  readonly reason: string;
  /** What exactly is forbidden, naming the containers, volumes and values. */
  readonly detail: string;
  /** Field paths of the offending fields (or of the field that must be set), most useful first. */
  readonly paths: readonly string[];
  /** Names of the containers involved. */
  readonly containers: readonly string[];
}

export type ControlFn = (pod: PodView) => ControlFailure | undefined;

export const PSS_CHECK_IDS = [
  'allowPrivilegeEscalation',
  'appArmorProfile',
  'capabilities_baseline',
  'capabilities_restricted',
  'hostNamespaces',
  'hostPathVolumes',
  'hostPorts',
  'hostProbesAndHostLifecycle',
  'privileged',
  'procMount',
  'procMount_restricted',
  'restrictedVolumes',
  'runAsNonRoot',
  'runAsUser',
  'seLinuxOptions',
  'seccompProfile_baseline',
  'seccompProfile_restricted',
  'sysctls',
  'windowsHostProcess',
] as const;
export type PssCheckId = (typeof PSS_CHECK_IDS)[number];

export interface VersionedControl {
  /** First policy minor version (v1.N) this behaviour applies to. */
  readonly since: number;
  readonly run: ControlFn;
  /** Baseline controls this restricted control replaces at the restricted level. */
  readonly overrides?: readonly PssCheckId[];
}

export interface PssCheckDefinition {
  readonly id: PssCheckId;
  readonly level: PssCheckLevel;
  /** The control's name in the Pod Security Standards document. */
  readonly control: string;
  /** Behaviours by policy version, oldest first. */
  readonly versions: readonly VersionedControl[];
}

// ---------------------------------------------------------------------------------------------
// Wording helpers

function quoted(items: readonly string[]): string {
  return items.map((s) => JSON.stringify(s)).join(', ');
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function containersPhrase(names: readonly string[]): string {
  return `${plural(names.length, 'container', 'containers')} ${quoted(names)}`;
}

/** `pod and containers "a", "b"` plus the matching verb form. */
function settersPhrase(parts: readonly string[], singular: boolean): { who: string; verb: (one: string, many: string) => string } {
  return { who: parts.join(' and '), verb: (one, many) => (parts.length === 1 && singular ? one : many) };
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function isWindows(pod: PodView): boolean {
  return pod.osName?.value === 'windows';
}

/** Pods that run in their own user namespace (`hostUsers: false`). */
function inUserNamespace(pod: PodView): boolean {
  return pod.hostUsers?.value === false;
}

// ---------------------------------------------------------------------------------------------
// Baseline controls

const hostNamespaces: ControlFn = (pod) => {
  const set = [pod.hostNetwork, pod.hostPID, pod.hostIPC].filter((f): f is Field<boolean> => f?.value === true);
  if (set.length === 0) return undefined;
  const names = set.map((f) => `${f.path.slice(f.path.lastIndexOf('.') + 1)}=true`);
  return { reason: 'host namespaces', detail: `${names.join(', ')} (allowed: false or unset)`, paths: set.map((f) => f.path), containers: [] };
};

const privileged: ControlFn = (pod) => {
  const bad = pod.containers.filter((c) => c.securityContext.privileged?.value === true);
  if (bad.length === 0) return undefined;
  const names = bad.map((c) => c.name);
  return {
    reason: 'privileged',
    detail: `${containersPhrase(names)} ${plural(bad.length, 'sets', 'set')} securityContext.privileged=true (allowed: false or unset)`,
    paths: bad.flatMap((c) => (c.securityContext.privileged ? [c.securityContext.privileged.path] : [])),
    containers: names,
  };
};

const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const capabilitiesBaseline: ControlFn = (pod) => {
  const names: string[] = [];
  const paths: string[] = [];
  const caps: string[] = [];
  for (const c of pod.containers) {
    const added = (c.securityContext.capabilities?.add ?? []).filter((a) => !DEFAULT_CAPABILITIES.has(a.value));
    if (added.length === 0) continue;
    names.push(c.name);
    for (const a of added) {
      paths.push(a.path);
      caps.push(a.value);
    }
  }
  if (names.length === 0) return undefined;
  const values = sortedUnique(caps);
  return {
    reason: 'non-default capabilities',
    detail: `${containersPhrase(names)} ${plural(names.length, 'adds', 'add')} ${plural(values.length, 'capability', 'capabilities')} ${quoted(values)} beyond the default set in securityContext.capabilities.add`,
    paths,
    containers: names,
  };
};

const hostPathVolumes: ControlFn = (pod) => {
  const bad = pod.volumes.filter((v) => v.sources.includes('hostPath'));
  if (bad.length === 0) return undefined;
  return {
    reason: 'hostPath volumes',
    detail: `${plural(bad.length, 'volume', 'volumes')} ${quoted(bad.map((v) => v.name))} ${plural(bad.length, 'mounts', 'mount')} a hostPath`,
    paths: bad.map((v) => `${v.path}.hostPath`),
    containers: [],
  };
};

const hostPorts: ControlFn = (pod) => {
  const bad = pod.containers.filter((c) => c.hostPorts.length > 0);
  if (bad.length === 0) return undefined;
  const ports = sortedUnique(bad.flatMap((c) => c.hostPorts.map((p) => String(p.port))));
  const defaulted = bad.some((c) => c.hostPorts.some((p) => p.defaulted));
  return {
    reason: 'hostPort',
    detail: `${containersPhrase(bad.map((c) => c.name))} ${plural(bad.length, 'uses', 'use')} ${plural(ports.length, 'hostPort', 'hostPorts')} ${ports.join(', ')}${
      defaulted ? ' (a Pod with hostNetwork=true gets hostPort = containerPort)' : ''
    }`,
    paths: bad.flatMap((c) => c.hostPorts.map((p) => p.path)),
    containers: bad.map((c) => c.name),
  };
};

const hostProbesAndHostLifecycle: ControlFn = (pod) => {
  const bad = pod.containers.filter((c) => c.probeHosts.length > 0);
  if (bad.length === 0) return undefined;
  const names = sortedUnique(bad.map((c) => c.name));
  const hosts = sortedUnique(bad.flatMap((c) => c.probeHosts.map((h) => h.value)));
  return {
    reason: 'probe or lifecycle host',
    detail: `${containersPhrase(names)} ${plural(names.length, 'sets', 'set')} probe or lifecycle ${plural(hosts.length, 'host', 'hosts')} ${quoted(hosts)} (allowed: empty or unset)`,
    paths: bad.flatMap((c) => c.probeHosts.map((h) => h.path)),
    containers: names,
  };
};

/** The pod-level and container-level fields (read by `pick`) whose value is forbidden. */
function offending<T>(pod: PodView, pick: (sc: SecurityContext) => Field<T> | undefined, bad: (value: T) => boolean): { pod?: Field<T>; containers: Container[]; fields: Field<T>[] } {
  const podField = pick(pod.securityContext);
  const fields: Field<T>[] = [];
  const podBad = podField !== undefined && bad(podField.value);
  if (podBad) fields.push(podField);
  const containers: Container[] = [];
  for (const c of pod.containers) {
    const f = pick(c.securityContext);
    if (f !== undefined && bad(f.value)) {
      containers.push(c);
      fields.push(f);
    }
  }
  return { ...(podBad ? { pod: podField } : {}), containers, fields };
}

/** Which security contexts (pod, containers) set a forbidden value of some field. */
function settersOf(podBad: boolean, containers: readonly Container[]): { who: string; verb: (one: string, many: string) => string } {
  const parts: string[] = [];
  if (podBad) parts.push('pod');
  if (containers.length > 0) parts.push(containersPhrase(containers.map((c) => c.name)));
  return settersPhrase(parts, !podBad ? containers.length === 1 : containers.length === 0);
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_APPARMOR_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

const appArmorProfile: ControlFn = (pod) => {
  const o = offending(pod, (sc) => sc.appArmorType, (v) => !ALLOWED_APPARMOR_TYPES.has(v));
  const annotations = pod.annotations
    .filter((a) => a.key.startsWith(APPARMOR_ANNOTATION_PREFIX))
    .filter((a) => !(a.value === '' || a.value === 'runtime/default' || a.value.startsWith('localhost/')))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (o.fields.length === 0 && annotations.length === 0) return undefined;
  const types = sortedUnique(o.fields.map((f) => f.value));
  const parts: string[] = [];
  if (o.fields.length > 0) {
    const s = settersOf(o.pod !== undefined, o.containers);
    parts.push(`${s.who} ${s.verb('sets', 'set')} appArmorProfile.type to ${quoted(types)} (allowed: RuntimeDefault, Localhost)`);
  }
  if (annotations.length > 0)
    parts.push(`${plural(annotations.length, 'annotation', 'annotations')} ${annotations.map((a) => `${a.key}=${JSON.stringify(a.value)}`).join(', ')} (allowed: runtime/default, localhost/*, empty)`);
  return {
    reason: plural(types.length + annotations.length, 'forbidden AppArmor profile', 'forbidden AppArmor profiles'),
    detail: parts.join('; '),
    paths: [...o.fields.map((f) => f.path), ...annotations.map((a) => a.path)],
    containers: o.containers.map((c) => c.name),
  };
};

function seLinuxOptions(allowedTypes: ReadonlySet<string>): ControlFn {
  return (pod) => {
    const types = new Set<string>();
    const users = new Set<string>();
    const roles = new Set<string>();
    const paths: string[] = [];
    const bad = (sc: SecurityContext): boolean => {
      const o = sc.seLinuxOptions;
      if (!o) return false;
      let ok = true;
      if (!allowedTypes.has(o.type.value)) {
        ok = false;
        types.add(o.type.value);
        paths.push(o.type.path);
      }
      if (o.user.value !== '') {
        ok = false;
        users.add(o.user.value);
        paths.push(o.user.path);
      }
      if (o.role.value !== '') {
        ok = false;
        roles.add(o.role.value);
        paths.push(o.role.path);
      }
      return !ok;
    };
    const podBad = bad(pod.securityContext);
    const containers = pod.containers.filter((c) => bad(c.securityContext));
    if (!podBad && containers.length === 0) return undefined;
    const what: string[] = [];
    if (types.size > 0) what.push(`${plural(types.size, 'type', 'types')} ${quoted(sortedUnique(types))} (allowed: ${[...allowedTypes].filter((t) => t !== '').join(', ')} or unset)`);
    if (users.size > 0) what.push(`${plural(users.size, 'user', 'users')} ${quoted(sortedUnique(users))} (user must not be set)`);
    if (roles.size > 0) what.push(`${plural(roles.size, 'role', 'roles')} ${quoted(sortedUnique(roles))} (role must not be set)`);
    const s = settersOf(podBad, containers);
    return { reason: 'seLinuxOptions', detail: `${s.who} ${s.verb('sets', 'set')} forbidden securityContext.seLinuxOptions: ${what.join('; ')}`, paths, containers: containers.map((c) => c.name) };
  };
}

const SELINUX_TYPES_1_0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_TYPES_1_31: ReadonlySet<string> = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

const procMountAny: ControlFn = (pod) => {
  const bad = pod.containers.filter((c) => c.securityContext.procMount !== undefined && c.securityContext.procMount.value !== 'Default');
  if (bad.length === 0) return undefined;
  const values = sortedUnique(bad.flatMap((c) => (c.securityContext.procMount ? [c.securityContext.procMount.value] : [])));
  return {
    reason: 'procMount',
    detail: `${containersPhrase(bad.map((c) => c.name))} ${plural(bad.length, 'sets', 'set')} securityContext.procMount to ${quoted(values)} (allowed: Default or unset)`,
    paths: bad.flatMap((c) => (c.securityContext.procMount ? [c.securityContext.procMount.path] : [])),
    containers: bad.map((c) => c.name),
  };
};

/** From v1.35 the baseline lets pods in their own user namespace choose any procMount. */
const procMountBaseline1_35: ControlFn = (pod) => (inUserNamespace(pod) ? undefined : procMountAny(pod));

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** Before v1.19, seccomp was set with alpha annotations. */
const seccompBaselineAnnotations: ControlFn = (pod) => {
  const byKey = new Map(pod.annotations.map((a) => [a.key, a]));
  const keys = [SECCOMP_POD_ANNOTATION, ...pod.containers.map((c) => SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name)];
  const bad = sortedUnique(keys)
    .flatMap((k) => {
      const a = byKey.get(k);
      return a ? [a] : [];
    })
    .filter((a) => !(a.value === 'runtime/default' || a.value === 'docker/default' || a.value.startsWith('localhost/')));
  if (bad.length === 0) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `forbidden ${plural(bad.length, 'annotation', 'annotations')} ${bad.map((a) => `${a.key}=${JSON.stringify(a.value)}`).join(', ')} (allowed: runtime/default, docker/default, localhost/*)`,
    paths: bad.map((a) => a.path),
    containers: pod.containers.filter((c) => bad.some((a) => a.key === SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name)).map((c) => c.name),
  };
};

const ALLOWED_SECCOMP_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** Explicitly forbidden seccompProfile types, shared by the baseline (v1.19+) and restricted controls. */
function explicitSeccomp(pod: PodView): ControlFailure | undefined {
  const o = offending(pod, (sc) => sc.seccompType, (v) => !ALLOWED_SECCOMP_TYPES.has(v));
  if (o.fields.length === 0) return undefined;
  const s = settersOf(o.pod !== undefined, o.containers);
  return {
    reason: 'seccompProfile',
    detail: `${s.who} ${s.verb('sets', 'set')} securityContext.seccompProfile.type to ${quoted(sortedUnique(o.fields.map((f) => f.value)))} (allowed: RuntimeDefault, Localhost)`,
    paths: o.fields.map((f) => f.path),
    containers: o.containers.map((c) => c.name),
  };
}

const seccompBaselineFields: ControlFn = (pod) => explicitSeccomp(pod);

function sysctls(allowed: ReadonlySet<string>): ControlFn {
  return (pod) => {
    const bad = pod.securityContext.sysctls.filter((s) => !allowed.has(s.value));
    if (bad.length === 0) return undefined;
    return { reason: 'forbidden sysctls', detail: bad.map((s) => s.value).join(', '), paths: bad.map((s) => s.path), containers: [] };
  };
}

const SYSCTLS_1_0: ReadonlySet<string> = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']);
const SYSCTLS_1_27: ReadonlySet<string> = new Set([...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports']);
const SYSCTLS_1_29: ReadonlySet<string> = new Set([...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const SYSCTLS_1_32: ReadonlySet<string> = new Set([...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
const SYSCTLS_1_37: ReadonlySet<string> = new Set([...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']);

/** The sysctls the baseline allows at each policy version that changed the list. */
export const ALLOWED_SYSCTLS: readonly { readonly since: number; readonly names: ReadonlySet<string> }[] = [
  { since: 0, names: SYSCTLS_1_0 },
  { since: 27, names: SYSCTLS_1_27 },
  { since: 29, names: SYSCTLS_1_29 },
  { since: 32, names: SYSCTLS_1_32 },
  { since: 37, names: SYSCTLS_1_37 },
];

const windowsHostProcess: ControlFn = (pod) => {
  const o = offending(pod, (sc) => sc.hostProcess, (v) => v);
  if (o.fields.length === 0) return undefined;
  const s = settersOf(o.pod !== undefined, o.containers);
  return {
    reason: 'hostProcess',
    detail: `${s.who} ${s.verb('sets', 'set')} securityContext.windowsOptions.hostProcess=true (allowed: false or unset)`,
    paths: o.fields.map((f) => f.path),
    containers: o.containers.map((c) => c.name),
  };
};

// ---------------------------------------------------------------------------------------------
// Restricted controls

const allowPrivilegeEscalation1_8: ControlFn = (pod) => {
  const bad = pod.containers.filter((c) => c.securityContext.allowPrivilegeEscalation?.value !== false);
  if (bad.length === 0) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersPhrase(bad.map((c) => c.name))} ${plural(bad.length, 'does', 'do')} not set securityContext.allowPrivilegeEscalation=false`,
    paths: bad.map((c) => c.securityContext.allowPrivilegeEscalation?.path ?? `${c.securityContext.path}.allowPrivilegeEscalation`),
    containers: bad.map((c) => c.name),
  };
};

/** From v1.25, restricted controls that Windows pods cannot satisfy do not apply to `spec.os.name: windows`. */
function exceptWindows(fn: ControlFn): ControlFn {
  return (pod) => (isWindows(pod) ? undefined : fn(pod));
}

const capabilitiesRestricted1_22: ControlFn = (pod) => {
  const missingDrop: Container[] = [];
  const adding: Container[] = [];
  const paths: string[] = [];
  const added: string[] = [];
  for (const c of pod.containers) {
    const caps = c.securityContext.capabilities;
    if (!caps?.drop.some((d) => d.value === 'ALL')) {
      missingDrop.push(c);
      paths.push(caps?.dropPath ?? `${c.securityContext.path}.capabilities.drop`);
    }
    const forbidden = (caps?.add ?? []).filter((a) => a.value !== 'NET_BIND_SERVICE');
    if (forbidden.length > 0) {
      adding.push(c);
      for (const a of forbidden) {
        paths.push(a.path);
        added.push(a.value);
      }
    }
  }
  if (missingDrop.length === 0 && adding.length === 0) return undefined;
  const parts: string[] = [];
  if (missingDrop.length > 0) parts.push(`${containersPhrase(missingDrop.map((c) => c.name))} ${plural(missingDrop.length, 'does', 'do')} not drop "ALL" in securityContext.capabilities.drop`);
  if (adding.length > 0) {
    const values = sortedUnique(added);
    parts.push(`${containersPhrase(adding.map((c) => c.name))} ${plural(adding.length, 'adds', 'add')} ${quoted(values)} to securityContext.capabilities.add (only "NET_BIND_SERVICE" may be added)`);
  }
  return { reason: 'unrestricted capabilities', detail: parts.join('; '), paths, containers: sortedUnique([...missingDrop, ...adding].map((c) => c.name)) };
};

const ALLOWED_VOLUME_SOURCES: ReadonlySet<string> = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);
/** The restricted volume types the admission controller names, in the order it looks for them. */
const NAMED_RESTRICTED_SOURCES: readonly string[] = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

const restrictedVolumes: ControlFn = (pod) => {
  const bad = pod.volumes.filter((v) => !v.sources.some((s) => ALLOWED_VOLUME_SOURCES.has(s)));
  if (bad.length === 0) return undefined;
  const typeOf = (sources: readonly string[]): string => NAMED_RESTRICTED_SOURCES.find((s) => sources.includes(s)) ?? 'unknown';
  const types = sortedUnique(bad.map((v) => typeOf(v.sources)));
  return {
    reason: 'restricted volume types',
    detail: `${plural(bad.length, 'volume', 'volumes')} ${quoted(bad.map((v) => v.name))} ${plural(bad.length, 'uses', 'use')} restricted volume ${plural(types.length, 'type', 'types')} ${quoted(types)}`,
    paths: bad.map((v) => {
      const t = typeOf(v.sources);
      return t === 'unknown' ? v.path : `${v.path}.${t}`;
    }),
    containers: [],
  };
};

const runAsNonRoot1_0: ControlFn = (pod) => {
  const o = offending(pod, (sc) => sc.runAsNonRoot, (v) => !v);
  if (o.fields.length > 0) {
    const s = settersOf(o.pod !== undefined, o.containers);
    return {
      reason: 'runAsNonRoot != true',
      detail: `${s.who} ${s.verb('sets', 'set')} securityContext.runAsNonRoot=false`,
      paths: o.fields.map((f) => f.path),
      containers: o.containers.map((c) => c.name),
    };
  }
  const podTrue = pod.securityContext.runAsNonRoot?.value === true;
  const implicit = podTrue ? [] : pod.containers.filter((c) => c.securityContext.runAsNonRoot === undefined);
  if (implicit.length === 0) return undefined;
  return {
    reason: 'runAsNonRoot != true',
    detail: `neither the pod nor ${containersPhrase(implicit.map((c) => c.name))} ${plural(implicit.length, 'sets', 'set')} securityContext.runAsNonRoot=true`,
    paths: [`${pod.securityContext.path}.runAsNonRoot`, ...implicit.map((c) => `${c.securityContext.path}.runAsNonRoot`)],
    containers: implicit.map((c) => c.name),
  };
};

/** From v1.35, pods in their own user namespace may run as root inside it. */
const runAsNonRoot1_35: ControlFn = (pod) => (inUserNamespace(pod) ? undefined : runAsNonRoot1_0(pod));

const runAsUser1_23: ControlFn = (pod) => {
  const o = offending(pod, (sc) => sc.runAsUser, (v) => v === 0);
  if (o.fields.length === 0) return undefined;
  const s = settersOf(o.pod !== undefined, o.containers);
  return {
    reason: 'runAsUser=0',
    detail: `${s.who} ${s.verb('sets', 'set')} runAsUser=0 (allowed: a non-zero user or unset)`,
    paths: o.fields.map((f) => f.path),
    containers: o.containers.map((c) => c.name),
  };
};

const runAsUser1_35: ControlFn = (pod) => (inUserNamespace(pod) ? undefined : runAsUser1_23(pod));

const seccompRestricted1_19: ControlFn = (pod) => {
  const explicit = explicitSeccomp(pod);
  if (explicit) return explicit;
  const podSet = pod.securityContext.seccompType !== undefined; // and allowed, or explicitSeccomp would have failed
  const implicit = podSet ? [] : pod.containers.filter((c) => c.securityContext.seccompType === undefined);
  if (implicit.length === 0) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `neither the pod nor ${containersPhrase(implicit.map((c) => c.name))} ${plural(implicit.length, 'sets', 'set')} securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    paths: [`${pod.securityContext.path}.seccompProfile.type`, ...implicit.map((c) => `${c.securityContext.path}.seccompProfile.type`)],
    containers: implicit.map((c) => c.name),
  };
};

// ---------------------------------------------------------------------------------------------
// The registry

export const PSS_CHECKS: readonly PssCheckDefinition[] = [
  { id: 'hostNamespaces', level: 'baseline', control: 'Host Namespaces', versions: [{ since: 0, run: hostNamespaces }] },
  { id: 'privileged', level: 'baseline', control: 'Privileged Containers', versions: [{ since: 0, run: privileged }] },
  { id: 'capabilities_baseline', level: 'baseline', control: 'Capabilities', versions: [{ since: 0, run: capabilitiesBaseline }] },
  { id: 'hostPathVolumes', level: 'baseline', control: 'HostPath Volumes', versions: [{ since: 0, run: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', control: 'Host Ports', versions: [{ since: 0, run: hostPorts }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', control: 'Host Probes / Lifecycle Hooks', versions: [{ since: 34, run: hostProbesAndHostLifecycle }] },
  { id: 'appArmorProfile', level: 'baseline', control: 'AppArmor', versions: [{ since: 0, run: appArmorProfile }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    control: 'SELinux',
    versions: [
      { since: 0, run: seLinuxOptions(SELINUX_TYPES_1_0) },
      { since: 31, run: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    control: '/proc Mount Type',
    versions: [
      { since: 0, run: procMountAny },
      { since: 35, run: procMountBaseline1_35 },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    control: 'Seccomp',
    versions: [
      { since: 0, run: seccompBaselineAnnotations },
      { since: 19, run: seccompBaselineFields },
    ],
  },
  { id: 'sysctls', level: 'baseline', control: 'Sysctls', versions: ALLOWED_SYSCTLS.map(({ since, names }) => ({ since, run: sysctls(names) })) },
  { id: 'windowsHostProcess', level: 'baseline', control: 'HostProcess', versions: [{ since: 0, run: windowsHostProcess }] },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    control: 'Privilege Escalation',
    versions: [
      { since: 8, run: allowPrivilegeEscalation1_8 },
      { since: 25, run: exceptWindows(allowPrivilegeEscalation1_8) },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    control: 'Capabilities',
    versions: [
      { since: 22, run: capabilitiesRestricted1_22, overrides: ['capabilities_baseline'] },
      { since: 25, run: exceptWindows(capabilitiesRestricted1_22), overrides: ['capabilities_baseline'] },
    ],
  },
  { id: 'procMount_restricted', level: 'restricted', control: '/proc Mount Type', versions: [{ since: 35, run: procMountAny, overrides: ['procMount'] }] },
  { id: 'restrictedVolumes', level: 'restricted', control: 'Volume Types', versions: [{ since: 0, run: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    control: 'Running as Non-root',
    versions: [
      { since: 0, run: runAsNonRoot1_0 },
      { since: 35, run: runAsNonRoot1_35 },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    control: 'Running as Non-root user',
    versions: [
      { since: 23, run: runAsUser1_23 },
      { since: 35, run: runAsUser1_35 },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    control: 'Seccomp',
    versions: [
      { since: 19, run: seccompRestricted1_19, overrides: ['seccompProfile_baseline'] },
      { since: 25, run: exceptWindows(seccompRestricted1_19), overrides: ['seccompProfile_baseline'] },
    ],
  },
];

/** The newest policy version any control defines: `latest` evaluates at this one. */
export const PSS_NEWEST_MINOR: number = Math.max(...PSS_CHECKS.flatMap((c) => c.versions.map((v) => v.since)));
