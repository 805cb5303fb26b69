/**
 * pod-resources-missing: containers without CPU/memory requests and limits, after the defaulting
 * Kubernetes applies — requests default to limits, a LimitRange of the namespace (when in the input)
 * fills in defaults at admission, and pod-level resources bound every container.
 */
import type { Inventory } from '../../model/inventory.js';
import { getArray, getObject, getString, isObject, type JsonObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { nsKey } from '../../model/serviceaccount.js';
import { defineCheck } from '../../framework/define.js';

type Field = 'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory';
const FIELDS: readonly Field[] = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

function has(list: JsonObject | undefined, resource: string): boolean {
  const v = list?.[resource];
  return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';
}

/**
 * The fields a namespace's LimitRanges fill in for containers, after LimitRange defaulting:
 * `default` (limits) falls back to `max`; `defaultRequest` falls back to `default`, then to `min`.
 */
export function limitRangeDefaults(inventory: Inventory): ReadonlyMap<string, ReadonlySet<Field>> {
  const out = new Map<string, Set<Field>>();
  for (const lr of inventory.ofKind('LimitRange')) {
    const key = nsKey(lr.metadata.namespace, '');
    let set = out.get(key);
    if (!set) out.set(key, (set = new Set()));
    for (const item of getArray(getObject(lr.raw, 'spec'), 'limits')) {
      if (!isObject(item) || getString(item, 'type') !== 'Container') continue;
      for (const r of ['cpu', 'memory'] as const) {
        const limit = has(getObject(item, 'default'), r) || has(getObject(item, 'max'), r);
        if (limit) set.add(`limits.${r}`);
        if (limit || has(getObject(item, 'defaultRequest'), r) || has(getObject(item, 'min'), r)) set.add(`requests.${r}`);
      }
    }
  }
  return out;
}

export const podResourcesMissing = defineCheck({
  id: 'pod-resources-missing',
  meta: {
    title: 'Container without resource requests or limits',
    description:
      'A container without a memory limit can exhaust its node\'s memory and get neighbours OOM-killed; without a CPU limit it can starve them; without requests the scheduler packs pods blindly and the pod lands in the BestEffort class, the first evicted under pressure. A compromised or buggy workload becomes a denial of service for the node.',
    severity: 'medium',
    category: 'workload',
    reads: ['LimitRange'],
    kinds: POD_SPEC_KINDS,
    messages: {
      missing: 'container "{{container}}" has no {{missing}}',
    },
    remediation:
      'Set `resources.requests` and `resources.limits` for cpu and memory on every container (at least a memory limit), or give the namespace a LimitRange with defaults and a ResourceQuota.',
    references: {
      nsa: ['Pod security: resource policies (LimitRange, ResourceQuota)'],
      mitre: ['T1499', 'T1496'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/', 'https://kubernetes.io/docs/concepts/policy/limit-range/'],
    },
    recommended: true,
  },
  create(ctx) {
    const defaults = limitRangeDefaults(ctx.inventory);
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      const fromLimitRange = defaults.get(nsKey(obj.metadata.namespace, '')) ?? new Set<Field>();
      const podResources = getObject(view.spec, 'resources');
      for (const c of containersOf(view)) {
        // Ephemeral containers may not set resources at all.
        if (c.kind === 'ephemeralContainers') continue;
        const res = getObject(c.container, 'resources');
        const requests = getObject(res, 'requests');
        const limits = getObject(res, 'limits');
        const missing = FIELDS.filter((f) => {
          const [kind, r] = f.split('.') as ['requests' | 'limits', 'cpu' | 'memory'];
          if (fromLimitRange.has(f)) return false;
          // Pod-level resources bound all containers together.
          if (has(getObject(podResources, 'limits'), r) || (kind === 'requests' && has(getObject(podResources, 'requests'), r))) return false;
          // The API server defaults a missing request to the limit.
          return kind === 'limits' ? !has(limits, r) : !has(requests, r) && !has(limits, r);
        });
        if (missing.length === 0) continue;
        ctx.report({
          messageId: 'missing',
          data: { container: c.name, missing: missing.join(', ') },
          object: obj,
          container: c.name,
          path: joinPath(c.path, 'resources'),
          ...(missing.includes('limits.memory') ? {} : { severity: 'low' as const }),
          evidence: `missing: ${missing.join(', ')}`,
        });
      }
    };
  },
});
