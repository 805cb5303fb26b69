/**
 * The fields Falco rules read from Kubernetes audit events: `ka.*` of the k8saudit plugin (0.18.0) and `json.*` /
 * `jevt.*` of the json plugin, with their exact extraction rules (learned from falcosecurity/plugins
 * plugins/k8saudit/pkg/k8saudit/extract.go and plugins/json; not copied): a value that is not a string is rendered as
 * compact JSON, a missing key means the field is not extracted, a value of the wrong type fails the extraction —
 * and a field that is not extracted makes every comparison on it false. The plugin's own quirks are kept (see
 * docs/audit.md): `ka.sourceips` reads requestObject.rules.sourceIPs, `eff_run_as_user` reads spec.runAsUser,
 * image repositories are cut at the first ':'.
 */
import { isObject, type JsonObject, type JsonValue } from '../../model/object.js';

/** One audit event as the plugins see it. */
export interface FalcoEvent {
  readonly obj: JsonObject;
  /** The event time in nanoseconds since the epoch (from stageTimestamp), as a decimal string. */
  readonly rawtime: string;
  /** Memoised `jevt.obj` (two-space indented JSON). */
  indented?: string;
  /** Memoised macro results and field values of this event for one compiled ruleset (see compile.ts). */
  cache?: EventCache;
}

/** A memoised field that could not be extracted. */
export const NOT_EXTRACTED: unique symbol = Symbol('not-extracted');

export interface EventCache {
  /** The compiled ruleset the slots belong to: another ruleset starts a fresh cache. */
  readonly owner: object;
  readonly macros: (boolean | undefined)[];
  readonly fields: (Extracted | typeof NOT_EXTRACTED)[];
}

/** The event's cache for the ruleset `owner`. */
export function cacheOf(ev: FalcoEvent, owner: object): EventCache {
  const c = ev.cache;
  if (c !== undefined && c.owner === owner) return c;
  const fresh: EventCache = { owner, macros: [], fields: [] };
  ev.cache = fresh;
  return fresh;
}

/** A field value: one string, several (list fields), or undefined when it cannot be extracted. */
export type Extracted = string | readonly string[] | undefined;

export type ArgKind = 'none' | 'key' | 'index';

export interface FieldInfo {
  readonly name: string;
  readonly list: boolean;
  /** `key`: a required argument (jevt.value[/stage]); `index`: an optional non-negative integer. */
  readonly arg: ArgKind;
  readonly plugin: 'k8saudit' | 'json';
  readonly deprecated?: string;
}

export interface FieldArg {
  readonly key?: string;
  readonly index?: number;
  /** A JSON pointer key split and unescaped once (json.value / jevt.value). */
  readonly pointer?: readonly string[];
}

type Extractor = (ev: FalcoEvent, arg: FieldArg) => Extracted;

// ---------------------------------------------------------------------------------------------------------------
// fastjson-like helpers

/** fastjson's Value.Get(key): object member, or array element by decimal index. */
function get(v: JsonValue | undefined, key: string): JsonValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    if (!/^\d+$/.test(key)) return undefined;
    return (v as readonly JsonValue[])[Number(key)];
  }
  if (typeof v === 'object') return Object.hasOwn(v, key) ? (v as JsonObject)[key] : undefined;
  return undefined;
}

function getPath(v: JsonValue | undefined, keys: readonly string[]): JsonValue | undefined {
  let cur = v;
  for (const k of keys) {
    cur = get(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** A JSON value as the plugin renders it: strings as they are, everything else as compact JSON. */
export function asString(v: JsonValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const NA = Symbol('not-available');
const WRONG = Symbol('wrong-type');
type Fail = typeof NA | typeof WRONG;

/** The plugin's getValuesRecursive: walk keys; arrays fan out (or take one index); a missing element stays a hole. */
function valuesRecursive(v: JsonValue | undefined, index: number | undefined, keys: readonly string[]): (JsonValue | undefined)[] | Fail {
  let cur: JsonValue | undefined = v;
  for (let i = 0; i < keys.length; i++) {
    if (Array.isArray(cur)) {
      if (index === undefined) {
        const res: (JsonValue | undefined)[] = [];
        for (const el of cur as readonly JsonValue[]) {
          const sub = valuesRecursive(el, index, keys.slice(i));
          if (sub === NA) res.push(undefined);
          else if (sub === WRONG) return WRONG;
          else res.push(...sub);
        }
        return res;
      }
      const arr = cur as readonly JsonValue[];
      if (index >= arr.length) return NA;
      cur = arr[index];
    }
    const k = keys[i] ?? '';
    cur = k === '' ? cur : get(cur, k);
    if (cur === undefined) return NA;
  }
  return [cur];
}

function stringsOrFail(vals: readonly (JsonValue | undefined)[]): string[] | undefined {
  const out: string[] = [];
  for (const v of vals) {
    if (v === undefined) return undefined;
    out.push(asString(v) as string);
  }
  return out;
}

function stringsSkipHoles(vals: readonly (JsonValue | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of vals) if (v !== undefined) out.push(asString(v) as string);
  return out;
}

function hasAuditId(ev: FalcoEvent): boolean {
  return ev.obj.auditID !== undefined;
}

function fromKeys(keys: readonly string[], list = false): Extractor {
  return (ev) => {
    const v = getPath(ev.obj, keys);
    if (v === undefined) return undefined;
    if (!list) return asString(v);
    if (!Array.isArray(v)) return undefined;
    const out: string[] = [];
    for (const el of v as readonly JsonValue[]) out.push(asString(el) as string);
    return out;
  };
}

function containerValues(ev: FalcoEvent, list: string, index: number | undefined, ...sub: string[]): (JsonValue | undefined)[] | Fail {
  return valuesRecursive(ev.obj, index, ['requestObject', 'spec', list, ...sub]);
}

function containerImages(ev: FalcoEvent, list: string, index: number | undefined): string[] | undefined {
  const arr = containerValues(ev, list, index, 'image');
  if (arr === NA || arr === WRONG) return undefined;
  return stringsOrFail(arr);
}

function repositories(images: readonly string[]): string[] {
  return images.map((i) => (i.split(':')[0] ?? '').split('@')[0] ?? '');
}

function joinedArrays(ev: FalcoEvent, list: string, index: number | undefined, key: string): string[] | undefined {
  const arr = containerValues(ev, list, index, key);
  if (arr === NA || arr === WRONG) return undefined;
  const out: string[] = [];
  for (const a of arr) {
    if (a === undefined) continue;
    if (!Array.isArray(a)) return undefined;
    const parts: string[] = [];
    for (const x of a as readonly JsonValue[]) {
      if (typeof x !== 'string') return undefined;
      parts.push(x);
    }
    out.push(parts.join(' '));
  }
  return out.length === 0 ? undefined : out;
}

function hostPorts(ev: FalcoEvent, list: string, index: number | undefined): string[] | undefined {
  const arr = containerValues(ev, list, index, 'ports');
  if (arr === NA || arr === WRONG) return undefined;
  const out: string[] = [];
  for (const ports of arr) {
    if (ports === undefined) continue;
    if (!Array.isArray(ports)) return undefined;
    for (const p of ports as readonly JsonValue[]) {
      const hp = get(p, 'hostPort');
      const cp = get(p, 'containerPort');
      if (hp !== undefined) out.push(asString(hp) as string);
      else if (cp !== undefined) out.push(asString(cp) as string);
    }
  }
  return out;
}

function effective(ev: FalcoEvent, list: string, index: number | undefined, key: string): string[] | undefined {
  // As the plugin does: the pod default is read from spec.<key> and per-container values from <container>.<key>.
  const pod = getPath(ev.obj, ['requestObject', 'spec', key]);
  const def = pod !== undefined ? (asString(pod) as string) : '0';
  const arr = containerValues(ev, list, index, key);
  if (arr === NA || arr === WRONG) return undefined;
  return arr.map((v) => (v === undefined ? def : (asString(v) as string)));
}

function containerField(list: string, field: string): Extractor {
  return (ev, arg) => {
    const i = arg.index;
    const skipHoles = (...sub: string[]): string[] | undefined => {
      const arr = containerValues(ev, list, i, ...sub);
      return arr === NA || arr === WRONG ? undefined : stringsSkipHoles(arr);
    };
    switch (field) {
      case 'args':
      case 'command':
        return joinedArrays(ev, list, i, field);
      case 'name': {
        const arr = containerValues(ev, list, i, 'name');
        return arr === NA || arr === WRONG ? undefined : stringsOrFail(arr);
      }
      case 'image':
        return containerImages(ev, list, i);
      case 'image.repository': {
        const imgs = containerImages(ev, list, i);
        return imgs ? repositories(imgs) : undefined;
      }
      case 'host_port':
        return hostPorts(ev, list, i);
      case 'privileged':
        return skipHoles('securityContext', 'privileged');
      case 'allow_privilege_escalation':
        return skipHoles('securityContext', 'allowPrivilegeEscalation');
      case 'read_only_fs':
        return skipHoles('securityContext', 'readOnlyRootFilesystem');
      case 'run_as_user':
        return skipHoles('securityContext', 'runAsUser');
      case 'run_as_group':
        return skipHoles('securityContext', 'runAsGroup');
      case 'eff_run_as_user':
        return effective(ev, list, i, 'runAsUser');
      case 'eff_run_as_group':
        return effective(ev, list, i, 'runAsGroup');
      case 'proc_mount':
        return skipHoles('securityContext', 'procMount');
      case 'add_capabilities':
        return skipHoles('securityContext', 'capabilities', 'add');
      default:
        return undefined;
    }
  };
}

function subjectNames(kind: string, namespaced: boolean): Extractor {
  return (ev) => {
    const subjects = getPath(ev.obj, ['requestObject', 'subjects']);
    if (subjects === undefined) return [];
    if (!Array.isArray(subjects)) return undefined;
    const out: string[] = [];
    for (const s of subjects as readonly JsonValue[]) {
      const k = get(s, 'kind');
      const n = get(s, 'name');
      if (k === undefined || n === undefined) continue;
      if (asString(k) !== kind) continue;
      let name = asString(n) as string;
      if (namespaced) {
        const ns = get(s, 'namespace');
        if (ns === undefined) continue;
        name = `${asString(ns) ?? ''}:${name}`;
      }
      out.push(name);
    }
    return out;
  };
}

function rulesField(key: string): Extractor {
  return (ev, arg) => {
    const arr = valuesRecursive(ev.obj, arg.index, ['requestObject', 'rules', key]);
    if (arr === NA || arr === WRONG) return undefined;
    const out: string[] = [];
    for (const v of arr) if (Array.isArray(v)) out.push(...stringsSkipHoles(v as readonly JsonValue[]));
    return out;
  };
}

/** Go's url.ParseQuery over the query of a request URI; undefined when Go would fail. */
function queryParam(uri: string, key: string): string | undefined | typeof WRONG {
  const hash = uri.indexOf('#');
  const u = hash >= 0 ? uri.slice(0, hash) : uri;
  const q = u.indexOf('?');
  if (q < 0) return undefined;
  const raw = u.slice(q + 1);
  let first: string | undefined;
  let failed = false;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) {
      failed = true;
      continue;
    }
    const eq = part.indexOf('=');
    const k = unescapeQuery(eq >= 0 ? part.slice(0, eq) : part);
    const v = unescapeQuery(eq >= 0 ? part.slice(eq + 1) : '');
    if (k === undefined || v === undefined) {
      failed = true;
      continue;
    }
    if (k === key && first === undefined) first = v;
  }
  return failed ? WRONG : first;
}

function unescapeQuery(s: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '%') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '+') bytes.push(0x20);
    else for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// The field table.

const K: Record<string, { list?: boolean; arg?: ArgKind; deprecated?: string; x: Extractor }> = {
  'ka.auditid': { x: fromKeys(['auditID']) },
  'ka.stage': { x: fromKeys(['stage']) },
  'ka.auth.decision': { x: fromKeys(['annotations', 'authorization.k8s.io/decision']) },
  'ka.auth.reason': { x: fromKeys(['annotations', 'authorization.k8s.io/reason']) },
  'ka.auth.openshift.decision': { x: fromKeys(['annotations', 'authentication.openshift.io/decision']) },
  'ka.validations.admission.policy.failure': { x: fromKeys(['annotations', 'validation.policy.admission.k8s.io/validation_failure']) },
  'ka.security.pod.violations': { x: fromKeys(['annotations', 'pod-security.kubernetes.io/audit-violations']) },
  'ka.auth.openshift.username': { x: fromKeys(['annotations', 'authentication.openshift.io/username']) },
  'ka.user.name': { x: fromKeys(['user', 'username']) },
  'ka.user.groups': { list: true, x: fromKeys(['user', 'groups'], true) },
  'ka.impuser.name': { x: fromKeys(['impersonatedUser', 'username']) },
  'ka.verb': { x: fromKeys(['verb']) },
  'ka.uri': { x: fromKeys(['requestURI']) },
  'ka.uri.param': {
    arg: 'key',
    x: (ev, arg) => {
      const uri = get(ev.obj, 'requestURI');
      if (uri === undefined) return undefined;
      const r = queryParam(asString(uri) as string, arg.key ?? '');
      return r === WRONG ? undefined : r;
    },
  },
  'ka.target.name': { x: fromKeys(['objectRef', 'name']) },
  'ka.target.namespace': { x: fromKeys(['objectRef', 'namespace']) },
  'ka.target.resource': { x: fromKeys(['objectRef', 'resource']) },
  'ka.target.subresource': { x: fromKeys(['objectRef', 'subresource']) },
  'ka.target.pod.name': {
    x: (ev) => {
      const ref = get(ev.obj, 'objectRef');
      const res = get(ref, 'resource');
      const sub = get(ref, 'subresource');
      if (res !== 'pods' || (typeof sub === 'string' && sub !== '')) return undefined;
      return fromKeys(['responseObject', 'metadata', 'name'])(ev, {});
    },
  },
  'ka.req.binding.subjects': { list: true, x: fromKeys(['requestObject', 'subjects'], true) },
  'ka.req.binding.subjects.user_names': { list: true, x: subjectNames('User', false) },
  'ka.req.binding.subjects.serviceaccount_names': { list: true, x: subjectNames('ServiceAccount', false) },
  'ka.req.binding.subjects.serviceaccount_ns_names': { list: true, x: subjectNames('ServiceAccount', true) },
  'ka.req.binding.subjects.group_names': { list: true, x: subjectNames('Group', false) },
  'ka.req.binding.role': { x: fromKeys(['requestObject', 'roleRef', 'name']) },
  'ka.req.binding.subject.has_name': { arg: 'key', deprecated: 'always "true" (kept for old rule files)', x: () => 'true' },
  'ka.req.configmap.name': { x: fromKeys(['objectRef', 'name']) },
  'ka.req.configmap.obj': { x: fromKeys(['requestObject', 'data']) },
  'ka.req.container.image': {
    deprecated: 'use ka.req.pod.containers.image',
    x: (ev) => containerImages(ev, 'containers', 0)?.[0],
  },
  'ka.req.container.image.repository': {
    deprecated: 'use ka.req.pod.containers.image.repository',
    x: (ev) => {
      const imgs = containerImages(ev, 'containers', 0);
      return imgs ? repositories(imgs)[0] : undefined;
    },
  },
  'ka.req.pod.host_ipc': { x: fromKeys(['requestObject', 'spec', 'hostIPC']) },
  'ka.req.pod.host_network': { x: fromKeys(['requestObject', 'spec', 'hostNetwork']) },
  'ka.req.container.host_network': { deprecated: 'use ka.req.pod.host_network', x: fromKeys(['requestObject', 'spec', 'hostNetwork']) },
  'ka.req.pod.host_pid': { x: fromKeys(['requestObject', 'spec', 'hostPID']) },
  'ka.req.container.privileged': {
    deprecated: 'use ka.req.pod.containers.privileged',
    x: (ev) => {
      const arr = containerValues(ev, 'containers', undefined, 'securityContext', 'privileged');
      if (arr === NA || arr === WRONG) return undefined;
      return arr.some((v) => v === true) ? 'true' : 'false';
    },
  },
  'ka.req.pod.run_as_user': { x: fromKeys(['requestObject', 'spec', 'securityContext', 'runAsUser']) },
  'ka.req.pod.run_as_group': { x: fromKeys(['requestObject', 'spec', 'securityContext', 'runAsGroup']) },
  'ka.req.role.rules': { list: true, x: fromKeys(['requestObject', 'rules'], true) },
  'ka.req.role.rules.apiGroups': { list: true, arg: 'index', x: rulesField('apiGroups') },
  'ka.req.role.rules.nonResourceURLs': { list: true, arg: 'index', x: rulesField('nonResourceURLs') },
  'ka.req.role.rules.verbs': { list: true, arg: 'index', x: rulesField('verbs') },
  'ka.req.role.rules.resources': { list: true, arg: 'index', x: rulesField('resources') },
  'ka.req.pod.fs_group': { x: fromKeys(['requestObject', 'spec', 'securityContext', 'fsGroup']) },
  'ka.req.pod.supplemental_groups': { list: true, x: fromKeys(['requestObject', 'spec', 'securityContext', 'supplementalGroups'], true) },
  'ka.req.service.type': { x: fromKeys(['requestObject', 'spec', 'type']) },
  'ka.req.service.ports': {
    list: true,
    arg: 'index',
    x: (ev, arg) => {
      const arr = valuesRecursive(ev.obj, arg.index, ['requestObject', 'spec', 'ports']);
      return arr === NA || arr === WRONG ? undefined : stringsSkipHoles(arr);
    },
  },
  'ka.req.volume.hostpath': {
    arg: 'key',
    deprecated: 'use ka.req.pod.volumes.hostpath',
    x: (ev, arg) => {
      const arr = valuesRecursive(ev.obj, undefined, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']);
      if (arr === NA || arr === WRONG) return undefined;
      const key = arg.key ?? '';
      const prefix = key.endsWith('*');
      const base = key.slice(0, -1);
      for (const v of stringsSkipHoles(arr)) if ((prefix && v.startsWith(base)) || key === v) return 'true';
      return 'false';
    },
  },
  'ka.req.pod.volumes.hostpath': {
    list: true,
    arg: 'index',
    x: (ev, arg) => {
      const arr = valuesRecursive(ev.obj, arg.index, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']);
      return arr === NA || arr === WRONG ? undefined : stringsSkipHoles(arr);
    },
  },
  'ka.req.pod.volumes.flexvolume_driver': {
    list: true,
    arg: 'index',
    x: (ev, arg) => {
      const arr = valuesRecursive(ev.obj, arg.index, ['requestObject', 'spec', 'volumes', 'flexVolume', 'driver']);
      return arr === NA || arr === WRONG ? undefined : stringsSkipHoles(arr);
    },
  },
  'ka.req.pod.volumes.volume_type': {
    list: true,
    arg: 'index',
    x: (ev, arg) => {
      const arr = valuesRecursive(ev.obj, arg.index, ['requestObject', 'spec', 'volumes', '']);
      if (arr === NA || arr === WRONG) return undefined;
      const out: string[] = [];
      for (const v of arr) if (isObject(v)) for (const k of Object.keys(v)) if (k !== 'name') out.push(k);
      return out;
    },
  },
  'ka.resp.name': { x: fromKeys(['responseObject', 'metadata', 'name']) },
  'ka.response.code': { x: fromKeys(['responseStatus', 'code']) },
  'ka.response.reason': { x: fromKeys(['responseStatus', 'reason']) },
  'ka.useragent': { x: fromKeys(['userAgent']) },
  // The plugin reads these from requestObject.rules.sourceIPs (sic): kept as it is.
  'ka.sourceips': { list: true, arg: 'index', x: rulesField('sourceIPs') },
  'ka.cluster.name': { x: fromKeys(['annotations', 'cluster_name']) },
};

const CONTAINER_FIELDS = ['name', 'image', 'image.repository', 'command', 'args', 'privileged', 'allow_privilege_escalation', 'read_only_fs', 'run_as_user', 'eff_run_as_user', 'run_as_group', 'eff_run_as_group', 'proc_mount', 'add_capabilities'];
for (const [list, withPort] of [['containers', true], ['initContainers', true], ['ephemeralContainers', false]] as const) {
  for (const f of [...CONTAINER_FIELDS, ...(withPort ? ['host_port'] : [])]) K[`ka.req.pod.${list}.${f}`] = { list: true, arg: 'index', x: containerField(list, f) };
}

/** A json.value argument as the json plugin reads it: a leading '/' dropped, split on '/', ~1 → '/', ~0 → '~'. */
export function jsonPointer(key: string): string[] {
  const k = key.startsWith('/') ? key.slice(1) : key;
  return k.split('/').map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonValue(ev: FalcoEvent, arg: FieldArg): Extracted {
  const key = arg.key ?? '';
  if (key === '') return JSON.stringify(ev.obj);
  let v: JsonValue | undefined = ev.obj;
  for (const seg of arg.pointer ?? jsonPointer(key)) {
    v = get(v, seg);
    if (v === undefined) return undefined;
  }
  return asString(v);
}

function jsonObj(ev: FalcoEvent): Extracted {
  ev.indented ??= JSON.stringify(ev.obj, null, 2);
  return ev.indented;
}

const J: Record<string, { arg?: ArgKind; x: Extractor }> = {
  'json.value': { arg: 'key', x: jsonValue },
  'json.obj': { x: jsonObj },
  'json.rawtime': { x: (ev) => ev.rawtime },
  'jevt.value': { arg: 'key', x: jsonValue },
  'jevt.obj': { x: jsonObj },
  'jevt.rawtime': { x: (ev) => ev.rawtime },
};

export interface FieldSpec extends FieldInfo {
  readonly extract: Extractor;
}

const FIELDS = new Map<string, FieldSpec>();
for (const [name, f] of Object.entries(K))
  FIELDS.set(name, {
    name,
    list: f.list ?? false,
    arg: f.arg ?? 'none',
    plugin: 'k8saudit',
    ...(f.deprecated !== undefined ? { deprecated: f.deprecated } : {}),
    // Every ka.* field needs an auditID: other JSON is not an audit event to the plugin.
    extract: (ev, arg) => (hasAuditId(ev) ? f.x(ev, arg) : undefined),
  });
for (const [name, f] of Object.entries(J)) FIELDS.set(name, { name, list: false, arg: f.arg ?? 'none', plugin: 'json', extract: f.x });

/** The field of this name, or undefined. */
export function fieldSpec(name: string): FieldSpec | undefined {
  return FIELDS.get(name);
}

/** Every field name, sorted. */
export function fieldNames(): string[] {
  return [...FIELDS.keys()].sort();
}

/** Validate a field argument as libsinsp does for plugin fields; returns the parsed argument or an error message. */
export function parseFieldArg(spec: FieldInfo, arg: string | undefined): { ok: true; arg: FieldArg } | { ok: false; error: string } {
  if (arg === undefined) {
    if (spec.arg === 'key') return { ok: false, error: `${spec.name} requires an argument but none provided` };
    return { ok: true, arg: {} };
  }
  if (spec.arg === 'none') return { ok: false, error: `${spec.name} does not allow nor require an argument but one is provided: ${arg}` };
  if (spec.arg === 'index') {
    if (arg === '' || (arg.length > 1 && arg.startsWith('0'))) return { ok: false, error: `${spec.name} has an invalid index argument starting with 0: ${arg}` };
    if (!/^\d+$/.test(arg)) return { ok: false, error: `${spec.name} has an invalid index argument not composed only by digits: ${arg}` };
    const n = Number(arg);
    if (!Number.isSafeInteger(n)) return { ok: false, error: `${spec.name} has an invalid index argument not representable on 64 bit: ${arg}` };
    return { ok: true, arg: { index: n } };
  }
  return { ok: true, arg: { key: arg, ...(spec.plugin === 'json' ? { pointer: jsonPointer(arg) } : {}) } };
}

/** Extract a field; list fields with no value count as not extracted, as libsinsp does. */
export function extract(spec: FieldSpec, ev: FalcoEvent, arg: FieldArg): Extracted {
  const v = spec.extract(ev, arg);
  if (Array.isArray(v) && v.length === 0) return undefined;
  return v;
}
