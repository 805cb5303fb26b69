/**
 * What `kspect etcd check` puts in the inventory: one `EtcdValue` per value read (its key, resource and how it is
 * stored — never the value) and one `EtcdEndpoint` with etcd's posture. Checks read these like any other object,
 * so suppression, configuration and every report format work unchanged.
 */
import type { ResourceRef, SourceRef } from '../../core/finding.js';
import { getArray, getObject, getString, isObject, toK8sObject, type JsonObject, type K8sObject } from '../../model/object.js';
import type { GroupResource } from './config.js';
import type { Evaluation, Verdict } from './evaluate.js';

export const ETCD_API_VERSION = 'kspect.dev/v1alpha1';
export const ETCD_VALUE = 'EtcdValue';
export const ETCD_ENDPOINT = 'EtcdEndpoint';

/** The Kind of a group/resource for display, for the resources kspect knows; otherwise the resource name. */
const KINDS: Readonly<Record<string, string>> = {
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  pods: 'Pod',
  serviceaccounts: 'ServiceAccount',
  events: 'Event',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  namespaces: 'Namespace',
  services: 'Service',
  customresourcedefinitions: 'CustomResourceDefinition',
};

export interface EtcdValueView {
  readonly key: string;
  readonly resource?: GroupResource;
  readonly namespace?: string;
  readonly name: string;
  readonly stored: 'plaintext' | 'encrypted' | 'unrecognised-envelope';
  /** Provider that wrote it (`identity` for plaintext). */
  readonly provider: string;
  /** Key name, KMS provider name, or plaintext encoding. */
  readonly keyName: string;
  readonly verdict: Verdict;
  readonly detail: string;
  readonly writeProvider?: string;
  readonly endpoint: string;
}

export function etcdValueObject(v: EtcdValueView): K8sObject {
  const raw: JsonObject = {
    apiVersion: ETCD_API_VERSION,
    kind: ETCD_VALUE,
    metadata: { name: v.key },
    spec: {
      key: v.key,
      ...(v.resource ? { group: v.resource.group, resource: v.resource.resource } : {}),
      ...(v.namespace !== undefined ? { namespace: v.namespace } : {}),
      name: v.name,
      stored: v.stored,
      provider: v.provider,
      keyName: v.keyName,
      verdict: v.verdict,
      detail: v.detail,
      ...(v.writeProvider !== undefined ? { writeProvider: v.writeProvider } : {}),
      endpoint: v.endpoint,
    },
  };
  return toK8sObject(raw, { source: { type: 'etcd', uri: v.key }, locate: () => undefined }) as K8sObject;
}

export function viewFromEvaluation(key: string, info: { resource?: GroupResource; namespace?: string; name: string }, e: Evaluation, endpoint: string): EtcdValueView {
  const s = e.stored;
  return {
    key,
    ...(info.resource ? { resource: info.resource } : {}),
    ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
    name: info.name,
    stored: s.state,
    provider: s.state === 'plaintext' ? 'identity' : s.state === 'encrypted' ? (s.provider === 'kms' ? `kms-${s.version}` : s.provider) : 'unknown',
    keyName: s.state === 'plaintext' ? s.encoding : s.state === 'encrypted' ? s.keyName : s.prefix,
    verdict: e.verdict,
    detail: e.detail,
    ...(e.writeProvider !== undefined ? { writeProvider: e.writeProvider } : {}),
    endpoint,
  };
}

/** Read an EtcdValue back; undefined when the object is not one. */
export function readEtcdValue(obj: K8sObject): EtcdValueView | undefined {
  if (obj.kind !== ETCD_VALUE) return undefined;
  const spec = getObject(obj.raw, 'spec');
  const key = getString(spec, 'key');
  const verdict = getString(spec, 'verdict') as Verdict | undefined;
  const stored = getString(spec, 'stored');
  if (key === undefined || verdict === undefined || (stored !== 'plaintext' && stored !== 'encrypted' && stored !== 'unrecognised-envelope')) return undefined;
  const group = getString(spec, 'group');
  const resource = getString(spec, 'resource');
  const namespace = getString(spec, 'namespace');
  const writeProvider = getString(spec, 'writeProvider');
  return {
    key,
    ...(group !== undefined && resource !== undefined ? { resource: { group, resource } } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    name: getString(spec, 'name') ?? key,
    stored,
    provider: getString(spec, 'provider') ?? '',
    keyName: getString(spec, 'keyName') ?? '',
    verdict,
    detail: getString(spec, 'detail') ?? '',
    ...(writeProvider !== undefined ? { writeProvider } : {}),
    endpoint: getString(spec, 'endpoint') ?? '',
  };
}

/** The object a value belongs to, for findings: `v1 Secret ns/name`. */
export function resourceRefOf(v: EtcdValueView): ResourceRef {
  const r = v.resource;
  const kind = r ? (KINDS[r.resource] ?? r.resource) : 'EtcdKey';
  const apiVersion = r ? (r.group === '' ? 'v1' : r.group) : ETCD_API_VERSION;
  return { apiVersion, kind, ...(v.namespace !== undefined ? { namespace: v.namespace } : {}), name: v.name };
}

export function sourceOf(v: EtcdValueView): SourceRef {
  return { type: 'etcd', uri: v.key };
}

export interface EtcdEndpointView {
  readonly endpoint: string;
  readonly plaintextListener: boolean;
  readonly unauthenticatedAccess: 'yes' | 'no' | 'unknown';
  readonly unauthenticatedDetail: string;
  readonly metrics: readonly { readonly url: string; readonly open: 'yes' | 'no' | 'unknown'; readonly detail: string }[];
  readonly version?: string;
}

export function etcdEndpointObject(p: EtcdEndpointView): K8sObject {
  const raw: JsonObject = {
    apiVersion: ETCD_API_VERSION,
    kind: ETCD_ENDPOINT,
    metadata: { name: p.endpoint },
    spec: {
      endpoint: p.endpoint,
      plaintextListener: p.plaintextListener,
      unauthenticatedAccess: p.unauthenticatedAccess,
      unauthenticatedDetail: p.unauthenticatedDetail,
      metrics: p.metrics.map((m) => ({ url: m.url, open: m.open, detail: m.detail })),
      ...(p.version !== undefined ? { version: p.version } : {}),
    },
  };
  return toK8sObject(raw, { source: { type: 'etcd', uri: p.endpoint }, locate: () => undefined }) as K8sObject;
}

export function readEtcdEndpoint(obj: K8sObject): EtcdEndpointView | undefined {
  if (obj.kind !== ETCD_ENDPOINT) return undefined;
  const spec = getObject(obj.raw, 'spec');
  const endpoint = getString(spec, 'endpoint');
  if (endpoint === undefined) return undefined;
  const ua = getString(spec, 'unauthenticatedAccess');
  const probe = (x: string | undefined): 'yes' | 'no' | 'unknown' => (x === 'yes' || x === 'no' ? x : 'unknown');
  const version = getString(spec, 'version');
  return {
    endpoint,
    plaintextListener: isObject(spec) && spec.plaintextListener === true,
    unauthenticatedAccess: probe(ua),
    unauthenticatedDetail: getString(spec, 'unauthenticatedDetail') ?? '',
    metrics: getArray(spec, 'metrics').map((m) => ({ url: getString(m, 'url') ?? '', open: probe(getString(m, 'open')), detail: getString(m, 'detail') ?? '' })),
    ...(version !== undefined ? { version } : {}),
  };
}

export function endpointRef(p: EtcdEndpointView): ResourceRef {
  return { apiVersion: ETCD_API_VERSION, kind: ETCD_ENDPOINT, name: p.endpoint };
}
