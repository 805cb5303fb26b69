/**
 * Where kube-apiserver keeps each resource in etcd: `<prefix>/<resource path>/[<namespace>/]<name>`.
 * Built-in resources are stored under their lower-case resource name, except the few Kubernetes compiles special
 * prefixes for (nodes under `minions`, services under `services/specs`, …); resources served by CRDs and by the
 * aggregator's own types are stored under `<group>/<resource>`. Cohabiting resources share storage with the group
 * listed here (e.g. events.k8s.io events are core events in etcd).
 */
import type { GroupResource } from './config.js';

/** Built-in resources (Kubernetes 1.35) that are persisted, by the group that owns their storage. */
const BUILT_IN: Readonly<Record<string, readonly string[]>> = {
  '': ['configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'podtemplates', 'replicationcontrollers', 'resourcequotas', 'secrets', 'serviceaccounts', 'services'],
  'admissionregistration.k8s.io': ['mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations'],
  apps: ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  autoscaling: ['horizontalpodautoscalers'],
  batch: ['cronjobs', 'jobs'],
  'certificates.k8s.io': ['certificatesigningrequests', 'clustertrustbundles', 'podcertificaterequests'],
  'coordination.k8s.io': ['leasecandidates', 'leases'],
  'discovery.k8s.io': ['endpointslices'],
  'flowcontrol.apiserver.k8s.io': ['flowschemas', 'prioritylevelconfigurations'],
  'internal.apiserver.k8s.io': ['storageversions'],
  'networking.k8s.io': ['ingressclasses', 'ingresses', 'ipaddresses', 'networkpolicies', 'servicecidrs'],
  'node.k8s.io': ['runtimeclasses'],
  policy: ['poddisruptionbudgets'],
  'rbac.authorization.k8s.io': ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  'resource.k8s.io': ['deviceclasses', 'devicetaintrules', 'resourceclaims', 'resourceclaimtemplates', 'resourceslices'],
  'scheduling.k8s.io': ['priorityclasses'],
  'storage.k8s.io': ['csidrivers', 'csinodes', 'csistoragecapacities', 'storageclasses', 'volumeattachments', 'volumeattributesclasses'],
  'storagemigration.k8s.io': ['storageversionmigrations'],
};

/** Storage paths Kubernetes compiles in for some built-in resources. */
const SPECIAL_PATHS: Readonly<Record<string, string>> = {
  replicationcontrollers: 'controllers',
  endpoints: 'services/endpoints',
  nodes: 'minions',
  services: 'services/specs',
  'ingresses.networking.k8s.io': 'ingress',
};

/** Cluster-scoped built-in resources (no namespace segment in the key). */
const CLUSTER_SCOPED = new Set([
  'namespaces', 'nodes', 'persistentvolumes', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies',
  'validatingadmissionpolicybindings', 'validatingwebhookconfigurations', 'certificatesigningrequests', 'clustertrustbundles', 'flowschemas', 'prioritylevelconfigurations',
  'storageversions', 'ingressclasses', 'ipaddresses', 'servicecidrs', 'runtimeclasses', 'clusterrolebindings', 'clusterroles', 'deviceclasses', 'devicetaintrules',
  'resourceslices', 'priorityclasses', 'csidrivers', 'csinodes', 'storageclasses', 'volumeattachments', 'volumeattributesclasses', 'storageversionmigrations',
  'customresourcedefinitions', 'apiservices',
]);

const GROUP_OF = new Map<string, string>();
for (const [group, resources] of Object.entries(BUILT_IN)) for (const r of resources) GROUP_OF.set(r, group);
const PATH_TO_RESOURCE = new Map<string, string>();
for (const [resource, path] of Object.entries(SPECIAL_PATHS)) PATH_TO_RESOURCE.set(path, resource.split('.')[0] as string);

function key(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** The storage path of a resource below the etcd prefix, e.g. `secrets`, `minions`, `cert-manager.io/certificates`. */
export function storagePathOf(gr: GroupResource): string {
  const special = SPECIAL_PATHS[key(gr)];
  if (special !== undefined) return special;
  if (GROUP_OF.get(gr.resource) === gr.group) return gr.resource;
  if (gr.group === 'events.k8s.io' && gr.resource === 'events') return 'events';
  if (gr.group === 'extensions' && gr.resource === 'ingresses') return 'ingress';
  return `${gr.group}/${gr.resource}`;
}

/** True when kspect knows the resource is built in (storage path without a group). */
export function isBuiltIn(gr: GroupResource): boolean {
  return GROUP_OF.get(gr.resource) === gr.group;
}

export interface KeyInfo {
  /** The group/resource owning the value's storage, or undefined when the key is not one kspect recognises. */
  readonly resource?: GroupResource;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * Parse an etcd key written by kube-apiserver. `prefix` is `--etcd-prefix` (default `/registry`).
 * Keys of unrecognised layout (allocator ranges, leases of the API server's own, unknown built-ins) have no resource.
 */
export function parseKey(fullKey: string, prefix = '/registry'): KeyInfo {
  const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const rest = fullKey.startsWith(p) ? fullKey.slice(p.length) : fullKey.replace(/^\/+/, '');
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  let resource: GroupResource | undefined;
  let tail: string[];
  if (first.includes('.') && parts.length >= 3) {
    resource = { group: first, resource: parts[1] ?? '' };
    tail = parts.slice(2);
  } else if (parts.length >= 3 && PATH_TO_RESOURCE.has(`${first}/${parts[1] ?? ''}`)) {
    const r = PATH_TO_RESOURCE.get(`${first}/${parts[1] ?? ''}`) as string;
    resource = { group: GROUP_OF.get(r) ?? '', resource: r };
    tail = parts.slice(2);
  } else {
    const r = PATH_TO_RESOURCE.get(first) ?? first;
    if (r === 'ingress' || first === 'ingress') resource = { group: 'networking.k8s.io', resource: 'ingresses' };
    else if (GROUP_OF.has(r)) resource = { group: GROUP_OF.get(r) as string, resource: r };
    tail = parts.slice(1);
  }
  if (!resource) return { name: parts.slice(1).join('/') || rest };
  const scoped = CLUSTER_SCOPED.has(resource.resource) || (resource.group.includes('.') && !isBuiltIn(resource) && tail.length === 1);
  if (scoped || tail.length === 1) return { resource, name: tail.join('/') };
  return { resource, namespace: tail[0] as string, name: tail.slice(1).join('/') };
}
