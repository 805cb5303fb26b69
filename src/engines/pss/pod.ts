/**
 * Decoding a pod spec and its metadata from untyped JSON into the typed view the Pod Security checks read,
 * the way the API server would see it: wrong-typed fields are recorded as malformed (the API server would
 * reject the object before admission), `null` means unset, and the API server's defaulting that changes a
 * decision is applied (a volume with no source becomes `emptyDir`; in a Pod with `hostNetwork: true` a
 * container port without `hostPort` gets `hostPort = containerPort`).
 */
import { isArray, isObject, type JsonObject } from '../../model/object.js';
import { joinPath, type PathSegment } from '../../model/path.js';

/** A decoded value and the field path it was read from. */
export interface Field<T> {
  readonly value: T;
  readonly path: string;
}

/** A field whose type the API server would not accept. */
export interface Malformed {
  readonly path: string;
  readonly expected: string;
}

export interface Capabilities {
  readonly path: string;
  readonly add: readonly Field<string>[];
  readonly drop: readonly Field<string>[];
  /** Path of the `drop` list (which may not exist). */
  readonly dropPath: string;
}

export interface SELinuxOptions {
  readonly path: string;
  readonly type: Field<string>;
  readonly user: Field<string>;
  readonly role: Field<string>;
}

/** The security-context fields the checks read; pod-level contexts leave the container-only fields unset. */
export interface SecurityContext {
  /** Path of `securityContext` (which may not exist). */
  readonly path: string;
  readonly present: boolean;
  readonly privileged?: Field<boolean>;
  readonly allowPrivilegeEscalation?: Field<boolean>;
  readonly runAsNonRoot?: Field<boolean>;
  readonly runAsUser?: Field<number>;
  readonly procMount?: Field<string>;
  readonly capabilities?: Capabilities;
  /** `seccompProfile.type`, present when `seccompProfile` is set (`''` when it has no type). */
  readonly seccompType?: Field<string>;
  /** `appArmorProfile.type`, present when `appArmorProfile` is set. */
  readonly appArmorType?: Field<string>;
  readonly seLinuxOptions?: SELinuxOptions;
  readonly hostProcess?: Field<boolean>;
  /** Pod level only: `sysctls[*].name`. */
  readonly sysctls: readonly Field<string>[];
}

export type ContainerKind = 'initContainers' | 'containers' | 'ephemeralContainers';

export interface HostPort {
  readonly port: number;
  readonly path: string;
  /** True when the port comes from `containerPort` through the hostNetwork defaulting of Pods. */
  readonly defaulted: boolean;
}

export interface Container {
  /** `name` as written (`''` when missing, as the API server's Go types would have it). */
  readonly name: string;
  readonly kind: ContainerKind;
  readonly index: number;
  readonly path: string;
  readonly securityContext: SecurityContext;
  /** Non-zero host ports. */
  readonly hostPorts: readonly HostPort[];
  /** Non-empty `host` of probes' and lifecycle handlers' httpGet / tcpSocket. */
  readonly probeHosts: readonly Field<string>[];
}

export interface Volume {
  readonly name: string;
  readonly path: string;
  /** Volume source fields set (non-null), in API order; `['emptyDir']` after defaulting when none is. */
  readonly sources: readonly string[];
  readonly defaulted: boolean;
}

export interface Annotation {
  readonly key: string;
  readonly value: string;
  readonly path: string;
}

/** Everything the Pod Security checks read from one pod (or pod template). */
export interface PodView {
  readonly specPath: string;
  readonly metadataPath: string;
  readonly annotations: readonly Annotation[];
  readonly hostNetwork?: Field<boolean>;
  readonly hostPID?: Field<boolean>;
  readonly hostIPC?: Field<boolean>;
  readonly hostUsers?: Field<boolean>;
  readonly osName?: Field<string>;
  readonly securityContext: SecurityContext;
  readonly volumes: readonly Volume[];
  /** Init containers, containers, then ephemeral containers (the order admission visits them). */
  readonly containers: readonly Container[];
  readonly malformed: readonly Malformed[];
}

/** Every field of core/v1 VolumeSource, in API order. */
export const VOLUME_SOURCES: readonly string[] = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

class Decoder {
  readonly malformed: Malformed[] = [];

  private get(obj: JsonObject | undefined, key: string): unknown {
    if (!obj) return undefined;
    const v = obj[key];
    return v === null ? undefined : v;
  }

  private bad(path: string, expected: string): void {
    this.malformed.push({ path, expected });
  }

  object(obj: JsonObject | undefined, key: string, base: string): JsonObject | undefined {
    const v = this.get(obj, key);
    if (v === undefined) return undefined;
    if (isObject(v)) return v;
    this.bad(joinPath(base, key), 'an object');
    return undefined;
  }

  array(obj: JsonObject | undefined, key: string, base: string): readonly unknown[] {
    const v = this.get(obj, key);
    if (v === undefined) return [];
    if (isArray(v)) return v;
    this.bad(joinPath(base, key), 'a list');
    return [];
  }

  bool(obj: JsonObject | undefined, key: string, base: string): Field<boolean> | undefined {
    const v = this.get(obj, key);
    const path = joinPath(base, key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return { value: v, path };
    this.bad(path, 'a boolean');
    return undefined;
  }

  int(obj: JsonObject | undefined, key: string, base: string): Field<number> | undefined {
    const v = this.get(obj, key);
    const path = joinPath(base, key);
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return { value: v, path };
    this.bad(path, 'an integer');
    return undefined;
  }

  string(obj: JsonObject | undefined, key: string, base: string): Field<string> | undefined {
    const v = this.get(obj, key);
    const path = joinPath(base, key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return { value: v, path };
    this.bad(path, 'a string');
    return undefined;
  }

  /** A string field that reads as `''` when unset (Go's zero value). */
  text(obj: JsonObject | undefined, key: string, base: string): Field<string> {
    return this.string(obj, key, base) ?? { value: '', path: joinPath(base, key) };
  }

  /** Items of a list that are objects, with their paths; other items are malformed. */
  objects(obj: JsonObject | undefined, key: string, base: string): { item: JsonObject; path: string; index: number }[] {
    const out: { item: JsonObject; path: string; index: number }[] = [];
    this.array(obj, key, base).forEach((item, index) => {
      const path = joinPath(base, key, index);
      if (item === null) return;
      if (isObject(item)) out.push({ item, path, index });
      else this.bad(path, 'an object');
    });
    return out;
  }

  strings(obj: JsonObject | undefined, key: string, base: string): Field<string>[] {
    const out: Field<string>[] = [];
    this.array(obj, key, base).forEach((item, index) => {
      const path = joinPath(base, key, index);
      if (typeof item === 'string') out.push({ value: item, path });
      else this.bad(path, 'a string');
    });
    return out;
  }

  securityContext(owner: JsonObject, base: string, level: 'pod' | 'container'): SecurityContext {
    const path = joinPath(base, 'securityContext');
    const sc = this.object(owner, 'securityContext', base);
    const seccomp = this.object(sc, 'seccompProfile', path);
    const apparmor = this.object(sc, 'appArmorProfile', path);
    const seLinux = this.object(sc, 'seLinuxOptions', path);
    const windows = this.object(sc, 'windowsOptions', path);
    const seLinuxPath = joinPath(path, 'seLinuxOptions');
    const common = {
      path,
      present: sc !== undefined,
      ...opt('runAsNonRoot', this.bool(sc, 'runAsNonRoot', path)),
      ...opt('runAsUser', this.int(sc, 'runAsUser', path)),
      ...opt('seccompType', seccomp ? this.text(seccomp, 'type', joinPath(path, 'seccompProfile')) : undefined),
      ...opt('appArmorType', apparmor ? this.text(apparmor, 'type', joinPath(path, 'appArmorProfile')) : undefined),
      ...opt(
        'seLinuxOptions',
        seLinux
          ? { path: seLinuxPath, type: this.text(seLinux, 'type', seLinuxPath), user: this.text(seLinux, 'user', seLinuxPath), role: this.text(seLinux, 'role', seLinuxPath) }
          : undefined,
      ),
      ...opt('hostProcess', this.bool(windows, 'hostProcess', joinPath(path, 'windowsOptions'))),
    };
    if (level === 'pod') {
      const sysctls = this.objects(sc, 'sysctls', path).flatMap(({ item, path: p }) => {
        const name = this.string(item, 'name', p);
        return name ? [name] : [];
      });
      return { ...common, sysctls };
    }
    const caps = this.object(sc, 'capabilities', path);
    const capsPath = joinPath(path, 'capabilities');
    return {
      ...common,
      sysctls: [],
      ...opt('privileged', this.bool(sc, 'privileged', path)),
      ...opt('allowPrivilegeEscalation', this.bool(sc, 'allowPrivilegeEscalation', path)),
      ...opt('procMount', this.string(sc, 'procMount', path)),
      ...opt('capabilities', caps ? { path: capsPath, add: this.strings(caps, 'add', capsPath), drop: this.strings(caps, 'drop', capsPath), dropPath: joinPath(capsPath, 'drop') } : undefined),
    };
  }

  handlerHosts(handler: JsonObject | undefined, base: string): Field<string>[] {
    const out: Field<string>[] = [];
    for (const action of ['httpGet', 'tcpSocket']) {
      const a = this.object(handler, action, base);
      const host = this.string(a, 'host', joinPath(base, action));
      if (host && host.value !== '') out.push(host);
    }
    return out;
  }

  container(item: JsonObject, kind: ContainerKind, index: number, path: string, hostNetworkDefaulting: boolean): Container {
    const hostPorts: HostPort[] = [];
    for (const { item: port, path: portPath } of this.objects(item, 'ports', path)) {
      const hostPort = this.int(port, 'hostPort', portPath);
      const containerPort = this.int(port, 'containerPort', portPath);
      if (hostPort && hostPort.value !== 0) hostPorts.push({ port: hostPort.value, path: hostPort.path, defaulted: false });
      else if (hostNetworkDefaulting && containerPort && containerPort.value !== 0 && kind !== 'ephemeralContainers')
        hostPorts.push({ port: containerPort.value, path: containerPort.path, defaulted: true });
    }
    const probeHosts: Field<string>[] = [];
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      probeHosts.push(...this.handlerHosts(this.object(item, probe, path), joinPath(path, probe)));
    }
    const lifecycle = this.object(item, 'lifecycle', path);
    const lifecyclePath = joinPath(path, 'lifecycle');
    for (const hook of ['postStart', 'preStop']) {
      probeHosts.push(...this.handlerHosts(this.object(lifecycle, hook, lifecyclePath), joinPath(lifecyclePath, hook)));
    }
    return {
      name: this.string(item, 'name', path)?.value ?? '',
      kind,
      index,
      path,
      securityContext: this.securityContext(item, path, 'container'),
      hostPorts,
      probeHosts,
    };
  }
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export interface PodInput {
  /** The pod spec (`spec` of a Pod, `spec.template.spec` of a workload). */
  readonly spec: unknown;
  readonly specPath: string;
  /** The pod's (or pod template's) metadata. */
  readonly metadata: unknown;
  readonly metadataPath: string;
  /**
   * True for a Pod object, false for a pod template. Only Pods get the hostNetwork hostPort defaulting
   * (pod templates have not since Kubernetes 1.28).
   */
  readonly isPod: boolean;
}

/** Decode a pod (or pod template) for the Pod Security checks. */
export function decodePod(input: PodInput): PodView {
  const d = new Decoder();
  const spec: JsonObject = isObject(input.spec) ? input.spec : {};
  if (!isObject(input.spec)) d.malformed.push({ path: input.specPath, expected: 'an object' });
  const sp = input.specPath;

  const annotations: Annotation[] = [];
  if (input.metadata !== undefined && input.metadata !== null && !isObject(input.metadata)) d.malformed.push({ path: input.metadataPath, expected: 'an object' });
  const meta = isObject(input.metadata) ? input.metadata : undefined;
  const ann = d.object(meta, 'annotations', input.metadataPath);
  if (ann) {
    const annPath = joinPath(input.metadataPath, 'annotations');
    for (const [key, value] of Object.entries(ann)) {
      const path = joinPath(annPath, key);
      if (typeof value === 'string') annotations.push({ key, value, path });
      else if (value !== null && value !== undefined) d.malformed.push({ path, expected: 'a string' });
    }
  }

  const hostNetwork = d.bool(spec, 'hostNetwork', sp);
  const os = d.object(spec, 'os', sp);
  const containers: Container[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    for (const { item, path, index } of d.objects(spec, kind, sp)) containers.push(d.container(item, kind, index, path, input.isPod && hostNetwork?.value === true));
  }
  const volumes: Volume[] = d.objects(spec, 'volumes', sp).map(({ item, path }) => {
    const sources = VOLUME_SOURCES.filter((s) => d.object(item, s, path) !== undefined);
    return { name: d.string(item, 'name', path)?.value ?? '', path, sources: sources.length > 0 ? sources : ['emptyDir'], defaulted: sources.length === 0 };
  });

  return {
    specPath: sp,
    metadataPath: input.metadataPath,
    annotations,
    ...opt('hostNetwork', hostNetwork),
    ...opt('hostPID', d.bool(spec, 'hostPID', sp)),
    ...opt('hostIPC', d.bool(spec, 'hostIPC', sp)),
    ...opt('hostUsers', d.bool(spec, 'hostUsers', sp)),
    ...opt('osName', d.string(os, 'name', joinPath(sp, 'os'))),
    securityContext: d.securityContext(spec, sp, 'pod'),
    volumes,
    containers,
    malformed: d.malformed,
  };
}

/** Path of a field under a base path (re-exported for the checks). */
export function fieldPath(base: string, ...segments: readonly PathSegment[]): string {
  return joinPath(base, ...segments);
}
