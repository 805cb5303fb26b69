/**
 * Pods that controllers make from custom resources (a Prometheus or Alertmanager of the prometheus-operator, an Argo
 * Rollout, …). kspect sees the custom resource, not the pods: their labels are known only as far as the resource
 * states them (`spec.podMetadata.labels`, `spec.template.metadata.labels`), so a selector that matches no visible
 * pod may still select these. The network checks then say *not evaluated*, never "selects nothing".
 */
import type { Inventory } from '../../model/inventory.js';
import { getObject, getStringMap, type K8sObject } from '../../model/object.js';
import { NO, selectorMatchesPartly, type Selector } from '../../engines/netpol/selector.js';

/** Custom resources whose controller is known to run pods, by `group/Kind`. */
const POD_MAKING_KINDS: ReadonlySet<string> = new Set([
  'monitoring.coreos.com/Prometheus',
  'monitoring.coreos.com/PrometheusAgent',
  'monitoring.coreos.com/Alertmanager',
  'monitoring.coreos.com/ThanosRuler',
  'argoproj.io/Rollout',
  'elasticsearch.k8s.elastic.co/Elasticsearch',
  'kibana.k8s.elastic.co/Kibana',
  'kafka.strimzi.io/Kafka',
  'postgresql.cnpg.io/Cluster',
]);

/** API groups of Kubernetes itself: their kinds are not custom resources. */
function isBuiltInGroup(group: string): boolean {
  return group === '' || group.endsWith('.k8s.io') || ['apps', 'batch', 'autoscaling', 'policy', 'extensions'].includes(group);
}

export interface OperatorPods {
  /** The custom resource, e.g. `Prometheus monitoring/k8s`. */
  readonly display: string;
  readonly namespace: string;
  /** Labels the resource states for its pods. */
  readonly labels: Readonly<Record<string, string>>;
  /** Keys of `labels`: whatever else the controller adds is unknown. */
  readonly known: ReadonlySet<string>;
}

const cache = new WeakMap<Inventory, readonly OperatorPods[]>();

/** The custom resources of the input whose controllers make pods, with the pod labels they state. */
export function operatorPods(inventory: Inventory): readonly OperatorPods[] {
  const hit = cache.get(inventory);
  if (hit) return hit;
  const out: OperatorPods[] = [];
  for (const obj of inventory.objects) {
    const slash = obj.apiVersion.indexOf('/');
    const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
    if (isBuiltInGroup(group) || obj.kind === 'CustomResourceDefinition') continue;
    const spec = getObject(obj.raw, 'spec');
    const podMetadata = getObject(spec, 'podMetadata') ?? getObject(getObject(spec, 'template'), 'metadata') ?? getObject(getObject(spec, 'podTemplate'), 'metadata');
    const known = POD_MAKING_KINDS.has(`${group}/${obj.kind}`);
    if (!known && podMetadata === undefined && getObject(spec, 'podTemplate') === undefined) continue;
    const labels = getStringMap(podMetadata, 'labels');
    out.push(view(obj, labels));
  }
  cache.set(inventory, out);
  return out;
}

function view(obj: K8sObject, labels: Readonly<Record<string, string>>): OperatorPods {
  const namespace = obj.metadata.namespace ?? 'default';
  return { display: `${obj.kind} ${namespace}/${obj.metadata.name}`, namespace, labels, known: new Set(Object.keys(labels)) };
}

/**
 * The custom resources in `namespaces` whose pods the selector may select (it matches the labels they state, or
 * asks for labels they do not state).
 */
export function operatorPodsMaybeSelected(inventory: Inventory, selector: Selector, namespaces: readonly string[]): OperatorPods[] {
  return operatorPods(inventory).filter((o) => namespaces.includes(o.namespace) && selectorMatchesPartly(selector, o.labels, o.known) !== NO);
}
