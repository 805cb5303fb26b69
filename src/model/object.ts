/**
 * Typed, read-only views of Kubernetes objects, each with its origin (file, document, line),
 * and helpers to read fields of unknown JSON safely.
 */
import type { FileLocation, ResourceRef, SourceRef } from '../core/finding.js';

export type JsonValue = string | number | boolean | null | JsonArray | JsonObject;
export type JsonArray = readonly JsonValue[];
export interface JsonObject {
  readonly [key: string]: JsonValue | undefined;
}

/** Where an object came from, and how to find one of its fields in the source. */
export interface Origin {
  readonly source: SourceRef;
  /** 0-based index of the YAML document in its file, when it came from a file. */
  readonly docIndex?: number;
  /** Index inside a `List`'s items, when it was unwrapped from one. */
  readonly listIndex?: number;
  /** Location of the document (or list item) start. */
  readonly location?: FileLocation;
  /** Location of the field at `path` (relative to the object), or of its nearest existing ancestor. */
  locate(path: string): FileLocation | undefined;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Kubernetes object as read from any source. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  /** The whole object, as parsed. */
  readonly raw: JsonObject;
  readonly origin: Origin;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isArray(v: unknown): v is JsonArray {
  return Array.isArray(v);
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → ``. */
export function apiGroupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function getObject(v: unknown, key: string): JsonObject | undefined {
  if (!isObject(v)) return undefined;
  const x = v[key];
  return isObject(x) ? x : undefined;
}

export function getArray(v: unknown, key: string): JsonArray {
  if (!isObject(v)) return [];
  const x = v[key];
  return isArray(x) ? x : [];
}

export function getString(v: unknown, key: string): string | undefined {
  if (!isObject(v)) return undefined;
  const x = v[key];
  return typeof x === 'string' ? x : undefined;
}

export function getBool(v: unknown, key: string): boolean | undefined {
  if (!isObject(v)) return undefined;
  const x = v[key];
  return typeof x === 'boolean' ? x : undefined;
}

export function getNumber(v: unknown, key: string): number | undefined {
  if (!isObject(v)) return undefined;
  const x = v[key];
  return typeof x === 'number' ? x : undefined;
}

/** String-to-string map (labels, annotations, matchLabels); non-string values are dropped. */
export function getStringMap(v: unknown, key: string): Readonly<Record<string, string>> {
  const o = getObject(v, key);
  if (!o) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) {
    if (typeof x !== 'string') continue;
    // A key `__proto__` is a key like any other (an assignment would try to set the prototype and drop it).
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, writable: true, enumerable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

export function resourceOf(obj: K8sObject, container?: string): ResourceRef {
  const { apiVersion, kind } = obj;
  const { namespace, name } = obj.metadata;
  // One literal per shape (the keys of those present, in this order): compact objects of a fixed layout — a large
  // scan holds one per object and container.
  if (namespace !== undefined) return container !== undefined ? { apiVersion, kind, namespace, name, container } : { apiVersion, kind, namespace, name };
  return container !== undefined ? { apiVersion, kind, name, container } : { apiVersion, kind, name };
}

/** `Kind namespace/name` for messages. */
export function displayName(obj: K8sObject): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

const NO_LOCATION = (): undefined => undefined;

/** The labels or annotations of an object that has none. */
const NO_STRINGS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * `getStringMap` for an object's own labels and annotations, without a copy when the map holds only strings (nearly
 * always): the map of the parsed value itself, read-only like the rest of it. A large scan holds every object.
 */
export function stringMapOf(meta: JsonObject | undefined, key: string): Readonly<Record<string, string>> {
  const o = getObject(meta, key);
  if (!o) return NO_STRINGS;
  for (const k in o) if (typeof o[k] !== 'string') return getStringMap(meta, key);
  return o as Readonly<Record<string, string>>;
}

/**
 * API groups of component configuration files (read from disk by a component, never stored in the API server):
 * they need no metadata.name.
 */
const CONFIG_GROUPS: ReadonlySet<string> = new Set([
  'apiserver.config.k8s.io',
  'apiserver.k8s.io',
  'audit.k8s.io',
  'kubelet.config.k8s.io',
  'kubeproxy.config.k8s.io',
  'kubescheduler.config.k8s.io',
  'kubecontrollermanager.config.k8s.io',
  'kubeadm.k8s.io',
  'kustomize.config.k8s.io',
  'pod-security.admission.config.k8s.io',
  'eventratelimit.admission.k8s.io',
  'imagepolicy.k8s.io',
  'client.authentication.k8s.io',
]);

/** True for component configuration files (EncryptionConfiguration, audit Policy, KubeletConfiguration, kubeconfig, Kustomization …). */
export function isConfigFile(obj: Pick<K8sObject, 'apiVersion' | 'kind'>): boolean {
  return CONFIG_GROUPS.has(apiGroupOf(obj.apiVersion)) || (obj.kind === 'Config' && obj.apiVersion === 'v1');
}

/**
 * Build a K8sObject from parsed JSON; returns undefined when it is not a Kubernetes object
 * (no apiVersion or kind). Objects without a name are given `<unnamed>` (callers report it).
 */
export function toK8sObject(raw: unknown, origin: Origin | undefined, defaultNamespace?: string): K8sObject | undefined {
  if (!isObject(raw)) return undefined;
  const apiVersion = raw.apiVersion;
  const kind = raw.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return undefined;
  const meta = getObject(raw, 'metadata');
  const name = getString(meta, 'name') ?? getString(meta, 'generateName') ?? '<unnamed>';
  const namespace = getString(meta, 'namespace') ?? (defaultNamespace !== undefined && !CLUSTER_SCOPED.has(kind) ? defaultNamespace : undefined);
  const labels = stringMapOf(meta, 'labels');
  const annotations = stringMapOf(meta, 'annotations');
  return {
    apiVersion,
    kind,
    // One literal per shape (with or without namespace): compact objects of a fixed layout.
    metadata: namespace !== undefined ? { name, namespace, labels, annotations } : { name, labels, annotations },
    raw,
    origin: origin ?? { source: { type: 'file', uri: '<memory>' }, locate: NO_LOCATION },
  };
}

/** Kinds that have no namespace. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'APIService',
  'CertificateSigningRequest',
  'IngressClass',
  'RuntimeClass',
  'PodSecurityPolicy',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ClusterIssuer',
  'ClusterTrustBundle',
]);
