/**
 * Turning a question as kubectl asks it (`get pods/exec -n prod --name web`) into the request the
 * authorizer sees: cluster-scoped resources carry no namespace, a request on a namespace carries its
 * own name as namespace, custom resources take their scope from their CustomResourceDefinition.
 */
import type { K8sObject } from '../../model/object.js';
import { getObject, getString } from '../../model/object.js';
import { parseResourceArg, type Request } from './rules.js';

/** Built-in cluster-scoped resources, as `resource.group` (core: `resource`). */
export const CLUSTER_SCOPED_RESOURCES: ReadonlySet<string> = new Set([
  'nodes',
  'namespaces',
  'persistentvolumes',
  'componentstatuses',
  'clusterroles.rbac.authorization.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
  'certificatesigningrequests.certificates.k8s.io',
  'clustertrustbundles.certificates.k8s.io',
  'signers.certificates.k8s.io',
  'storageclasses.storage.k8s.io',
  'csidrivers.storage.k8s.io',
  'csinodes.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'volumeattributesclasses.storage.k8s.io',
  'validatingwebhookconfigurations.admissionregistration.k8s.io',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io',
  'validatingadmissionpolicies.admissionregistration.k8s.io',
  'validatingadmissionpolicybindings.admissionregistration.k8s.io',
  'mutatingadmissionpolicies.admissionregistration.k8s.io',
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io',
  'customresourcedefinitions.apiextensions.k8s.io',
  'apiservices.apiregistration.k8s.io',
  'priorityclasses.scheduling.k8s.io',
  'runtimeclasses.node.k8s.io',
  'ingressclasses.networking.k8s.io',
  'ipaddresses.networking.k8s.io',
  'servicecidrs.networking.k8s.io',
  'flowschemas.flowcontrol.apiserver.k8s.io',
  'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io',
  'tokenreviews.authentication.k8s.io',
  'selfsubjectreviews.authentication.k8s.io',
  'selfsubjectaccessreviews.authorization.k8s.io',
  'selfsubjectrulesreviews.authorization.k8s.io',
  'subjectaccessreviews.authorization.k8s.io',
  'users',
  'groups',
  'userextras.authentication.k8s.io',
  'uids.authentication.k8s.io',
  'podsecuritypolicies.policy',
  'resourceslices.resource.k8s.io',
  'deviceclasses.resource.k8s.io',
]);

/** Scopes of custom resources declared by CRDs in the input: `plural.group` → cluster-scoped? */
export function crdScopes(objects: readonly K8sObject[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = getObject(o.raw, 'spec');
    const group = getString(spec, 'group');
    const plural = getString(getObject(spec, 'names'), 'plural');
    if (group === undefined || plural === undefined) continue;
    out.set(`${plural}.${group}`, getString(spec, 'scope') === 'Cluster');
  }
  return out;
}

export interface Question {
  readonly verb: string;
  /** kubectl notation: `pods`, `pods/exec`, `deployments.apps/scale`, `/healthz`. */
  readonly resource: string;
  /** Namespace of the question; undefined = across all namespaces (or cluster-scoped). */
  readonly namespace?: string;
  readonly name?: string;
}

/** Build the authorizer request for a question. */
export function requestOf(q: Question, crds: ReadonlyMap<string, boolean> = new Map()): Request {
  const parsed = parseResourceArg(q.resource);
  if (parsed.kind === 'nonResource') return { kind: 'nonResource', verb: q.verb, path: parsed.path };
  const key = parsed.apiGroup === '' ? parsed.resource : `${parsed.resource}.${parsed.apiGroup}`;
  const clusterScoped = CLUSTER_SCOPED_RESOURCES.has(key) || crds.get(key) === true;
  let namespace = clusterScoped ? undefined : q.namespace;
  // A request on a namespace object is made "in" that namespace (its RoleBindings apply).
  if (parsed.resource === 'namespaces' && parsed.apiGroup === '' && q.name !== undefined) namespace = q.name;
  return {
    kind: 'resource',
    verb: q.verb,
    apiGroup: parsed.apiGroup,
    resource: parsed.resource,
    ...(parsed.subresource !== undefined ? { subresource: parsed.subresource } : {}),
    ...(namespace !== undefined && namespace !== '' ? { namespace } : {}),
    ...(q.name !== undefined && q.name !== '' ? { name: q.name } : {}),
  };
}

/**
 * Is this a request on a namespaced resource made without a namespace (so that "in any namespace" makes
 * sense)? Cluster-scoped resources and non-resource URLs are answered by ClusterRoleBindings alone.
 */
export function isNamespacedRequest(r: Request, crds: ReadonlyMap<string, boolean> = new Map()): boolean {
  if (r.kind !== 'resource') return false;
  const key = r.apiGroup === '' ? r.resource : `${r.resource}.${r.apiGroup}`;
  return !CLUSTER_SCOPED_RESOURCES.has(key) && crds.get(key) !== true;
}

/** kubectl notation of a request. */
export function requestDisplay(r: Request): string {
  if (r.kind === 'nonResource') return `${r.verb} ${r.path}`;
  const res = `${r.resource}${r.apiGroup === '' ? '' : `.${r.apiGroup}`}${r.subresource !== undefined ? `/${r.subresource}` : ''}`;
  return `${r.verb} ${res}${r.name !== undefined ? ` ${r.name}` : ''}${r.namespace !== undefined ? ` in namespace ${r.namespace}` : ' cluster-wide'}`;
}
