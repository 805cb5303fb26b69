/** `--default-namespace`: namespace-less namespaced objects land in a namespace, as `kubectl apply -n NS` places them. */
import { CLUSTER_SCOPED, getObject, getString, isConfigFile, isObject, type JsonObject, type K8sObject } from '../model/object.js';

/** Kinds a CustomResourceDefinition of the input declares cluster-scoped. */
function clusterScopedCrdKinds(objects: readonly K8sObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = getObject(o.raw, 'spec');
    if (getString(spec, 'scope') !== 'Cluster') continue;
    const kind = getString(getObject(spec, 'names'), 'kind');
    if (kind !== undefined) out.add(kind);
  }
  return out;
}

/**
 * Place every namespaced object without `metadata.namespace` in `namespace`. Cluster-scoped kinds (built-in, or
 * declared so by a CRD of the input) and component configuration files are left alone. Objects are not mutated.
 */
export function withDefaultNamespace(objects: readonly K8sObject[], namespace: string): K8sObject[] {
  const crdCluster = clusterScopedCrdKinds(objects);
  return objects.map((o) => {
    if (o.metadata.namespace !== undefined || CLUSTER_SCOPED.has(o.kind) || crdCluster.has(o.kind) || isConfigFile(o) || o.apiVersion.startsWith('kspect.dev/')) return o;
    const meta: JsonObject = isObject(o.raw.metadata) ? { ...o.raw.metadata, namespace } : { namespace };
    return { ...o, metadata: { ...o.metadata, namespace }, raw: { ...o.raw, metadata: meta } };
  });
}
