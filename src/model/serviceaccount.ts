/**
 * Which ServiceAccount a pod runs as and whether its token is mounted, following the API server:
 * `serviceAccountName` wins over the deprecated `serviceAccount` alias, an empty name becomes `default`
 * (ServiceAccount admission), and the pod's `automountServiceAccountToken` wins over the ServiceAccount's,
 * which wins over the default (true).
 */
import type { Inventory } from './inventory.js';
import { getArray, getBool, getString, isObject, type K8sObject } from './object.js';
import { joinPath } from './path.js';
import type { PodSpecView } from './podspec.js';

/** Where the ServiceAccount admission plugin mounts the token. */
export const SA_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface ServiceAccountUse {
  readonly name: string;
  /** Which field decided it; `default` when neither is set. */
  readonly from: 'serviceAccountName' | 'serviceAccount' | 'default';
  /** Path of the deciding field (of `serviceAccountName` when neither is set). */
  readonly path: string;
}

export function serviceAccountOf(view: PodSpecView): ServiceAccountUse {
  const name = getString(view.spec, 'serviceAccountName');
  if (name !== undefined && name !== '') return { name, from: 'serviceAccountName', path: joinPath(view.path, 'serviceAccountName') };
  const deprecated = getString(view.spec, 'serviceAccount');
  if (deprecated !== undefined && deprecated !== '') return { name: deprecated, from: 'serviceAccount', path: joinPath(view.path, 'serviceAccount') };
  return { name: 'default', from: 'default', path: joinPath(view.path, 'serviceAccountName') };
}

/** Key of a namespaced name; objects without a namespace share the empty one (they land in the same context namespace). */
export function nsKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** ServiceAccounts of the inventory by namespace/name. */
export function serviceAccountIndex(inventory: Inventory): ReadonlyMap<string, K8sObject> {
  const out = new Map<string, K8sObject>();
  for (const sa of inventory.ofKind('ServiceAccount')) if (sa.apiVersion === 'v1') out.set(nsKey(sa.metadata.namespace, sa.metadata.name), sa);
  return out;
}

export interface AutomountDecision {
  readonly value: boolean;
  /** Who decided: the pod spec, the ServiceAccount object, or the default. */
  readonly by: 'pod' | 'serviceaccount' | 'default';
  /** Path of the pod's field (set or not). */
  readonly path: string;
}

export function automountOf(view: PodSpecView, sa: K8sObject | undefined): AutomountDecision {
  const path = joinPath(view.path, 'automountServiceAccountToken');
  const own = getBool(view.spec, 'automountServiceAccountToken');
  if (own !== undefined) return { value: own, by: 'pod', path };
  const fromSa = sa ? getBool(sa.raw, 'automountServiceAccountToken') : undefined;
  if (fromSa !== undefined) return { value: fromSa, by: 'serviceaccount', path };
  return { value: true, by: 'default', path };
}

/**
 * Whether every init and regular container already mounts something at exactly the token path:
 * admission then adds the token to none of them (it compares the path verbatim, and leaves
 * ephemeral containers alone).
 */
export function tokenPathShadowed(view: PodSpecView): boolean {
  let any = false;
  for (const kind of ['initContainers', 'containers']) {
    for (const c of getArray(view.spec, kind)) {
      if (!isObject(c)) continue;
      any = true;
      const mounts = getArray(c, 'volumeMounts');
      if (!mounts.some((m) => getString(m, 'mountPath') === SA_TOKEN_MOUNT_PATH)) return false;
    }
  }
  return any;
}

/** ServiceAccounts named as subjects of RoleBindings/ClusterRoleBindings in the inventory (namespace/name keys). */
export function boundServiceAccounts(inventory: Inventory): ReadonlySet<string> {
  const out = new Set<string>();
  for (const b of inventory.ofKinds(['RoleBinding', 'ClusterRoleBinding'])) {
    const bindingNs = b.kind === 'RoleBinding' ? b.metadata.namespace : undefined;
    for (const s of getArray(b.raw, 'subjects')) {
      if (getString(s, 'kind') !== 'ServiceAccount') continue;
      const name = getString(s, 'name');
      if (name === undefined) continue;
      const ns = getString(s, 'namespace');
      out.add(nsKey(ns !== undefined && ns !== '' ? ns : bindingNs, name));
    }
  }
  return out;
}

