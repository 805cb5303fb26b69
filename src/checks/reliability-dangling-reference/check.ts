/**
 * reliability-dangling-reference: Services that select no pod, Ingresses whose backend Service is missing, and
 * HorizontalPodAutoscalers whose target is missing — judged only where the input holds that namespace's workloads.
 */
import { getArray, getObject, getString, getStringMap, type K8sObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import type { Inventory } from '../../model/inventory.js';
import { defineCheck } from '../../framework/define.js';

const WORKLOAD_KINDS = POD_SPEC_KINDS.filter((k) => k !== 'PodTemplate');

function ns(o: K8sObject): string {
  return o.metadata.namespace ?? 'default';
}

interface NamespaceIndex {
  readonly podLabels: ReadonlyMap<string, Readonly<Record<string, string>>[]>;
  readonly names: ReadonlySet<string>;
}

function index(inventory: Inventory): NamespaceIndex {
  const podLabels = new Map<string, Readonly<Record<string, string>>[]>();
  const names = new Set<string>();
  for (const o of inventory.ofKinds(WORKLOAD_KINDS)) {
    const view = podSpecOf(o);
    if (!view) continue;
    const list = podLabels.get(ns(o)) ?? [];
    list.push(getStringMap(view.metadata, 'labels'));
    podLabels.set(ns(o), list);
  }
  for (const o of inventory.objects) names.add(`${ns(o)}/${o.kind}/${o.metadata.name}`);
  return { podLabels, names };
}

export const reliabilityDanglingReference = defineCheck({
  id: 'reliability-dangling-reference',
  meta: {
    title: 'Reference to something the input does not hold',
    description:
      'A Service whose selector matches no pod has no endpoints; an Ingress rule whose backend Service does not exist answers 503; a HorizontalPodAutoscaler whose target does not exist scales nothing. Usually a renamed workload or a label typo.',
    severity: 'low',
    category: 'reliability',
    reads: ['*'],
    kinds: ['Service', 'Ingress', 'HorizontalPodAutoscaler'],
    messages: {
      service: 'Service selector {{selector}} matches no pod template of namespace {{namespace}} in the input: it has no endpoints',
      ingress: 'Ingress routes to Service {{namespace}}/{{service}}, which is not in the input',
      hpa: 'HorizontalPodAutoscaler targets {{kind}} {{namespace}}/{{name}}, which is not in the input',
    },
    remediation: 'Point the reference at the object that exists (fix the selector labels or the name), or delete the leftover.',
    references: { urls: ['https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors'] },
    recommended: false,
  },
  create(ctx) {
    let idx: NamespaceIndex | undefined;
    return (obj) => {
      idx ??= index(ctx.inventory);
      const namespace = ns(obj);
      // Judge only namespaces whose workloads the input holds: a folder of Services alone is not dangling.
      const pods = idx.podLabels.get(namespace);
      if (pods === undefined) return;
      const spec = getObject(obj.raw, 'spec');
      if (obj.kind === 'Service' && obj.apiVersion === 'v1') {
        const sel = getStringMap(spec, 'selector');
        const entries = Object.entries(sel);
        if (entries.length === 0 || getString(spec, 'type') === 'ExternalName') return;
        if (pods.some((l) => entries.every(([k, v]) => l[k] === v))) return;
        ctx.report({ messageId: 'service', object: obj, path: 'spec.selector', data: { selector: entries.map(([k, v]) => `${k}=${v}`).join(','), namespace } });
        return;
      }
      if (obj.kind === 'Ingress' && obj.apiVersion.startsWith('networking.k8s.io/')) {
        const backends: [string, string][] = [];
        const def = getString(getObject(getObject(spec, 'defaultBackend'), 'service'), 'name');
        if (def !== undefined) backends.push([def, 'spec.defaultBackend.service.name']);
        getArray(spec, 'rules').forEach((r, i) => { getArray(getObject(r, 'http'), 'paths').forEach((p, j) => {
            const name = getString(getObject(getObject(p, 'backend'), 'service'), 'name');
            if (name !== undefined) backends.push([name, joinPath('spec', 'rules', i, 'http', 'paths', j, 'backend', 'service', 'name')]);
          }); },
        );
        const seen = new Set<string>();
        for (const [service, path] of backends) {
          if (seen.has(service) || idx.names.has(`${namespace}/Service/${service}`)) continue;
          seen.add(service);
          ctx.report({ messageId: 'ingress', object: obj, path, data: { namespace, service } });
        }
        return;
      }
      if (obj.kind === 'HorizontalPodAutoscaler') {
        const ref = getObject(spec, 'scaleTargetRef');
        const kind = getString(ref, 'kind');
        const name = getString(ref, 'name');
        if (kind === undefined || name === undefined || !WORKLOAD_KINDS.includes(kind)) return;
        if (idx.names.has(`${namespace}/${kind}/${name}`)) return;
        ctx.report({ messageId: 'hpa', object: obj, path: 'spec.scaleTargetRef', data: { kind, namespace, name } });
      }
    };
  },
});
