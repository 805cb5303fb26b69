/**
 * reliability-replicas: Deployments and StatefulSets that a single node drain or failure takes down — one replica, no
 * PodDisruptionBudget, or all replicas allowed onto one node.
 */
import { getArray, getNumber, getObject, getStringMap } from '../../model/object.js';
import { podSpecOf } from '../../model/podspec.js';
import { parseSelector, selectorMatches } from '../../engines/netpol/selector.js';
import { defineCheck } from '../../framework/define.js';

export const reliabilityReplicas = defineCheck({
  id: 'reliability-replicas',
  meta: {
    title: 'Workload not protected against node loss or drains',
    description:
      'A Deployment or StatefulSet with one replica is down whenever its node is drained or fails. With several replicas, no PodDisruptionBudget lets a drain evict them all at once, and without pod anti-affinity or topology spread constraints the scheduler may place them all on one node.',
    severity: 'low',
    category: 'reliability',
    reads: ['HorizontalPodAutoscaler', 'PodDisruptionBudget'],
    kinds: ['Deployment', 'StatefulSet'],
    messages: {
      single: '{{kind}} runs {{replicas}} replica: a node drain or failure takes it down',
      noPdb: '{{kind}} runs {{replicas}} replicas but no PodDisruptionBudget of the namespace selects its pods: a drain may evict them all at once',
      noSpread: '{{kind}} runs {{replicas}} replicas with neither pod anti-affinity nor topology spread constraints: they may all land on one node',
    },
    remediation: 'Run at least two replicas, add a PodDisruptionBudget (`maxUnavailable: 1`), and spread replicas with `topologySpreadConstraints` on `kubernetes.io/hostname` (or pod anti-affinity).',
    references: { urls: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/', 'https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      if (obj.apiVersion !== 'apps/v1') return;
      const spec = getObject(obj.raw, 'spec');
      // An HPA manages the count: spec.replicas is not the truth.
      const scaled = ctx.inventory.ofKind('HorizontalPodAutoscaler').some((h) => (h.metadata.namespace ?? 'default') === (obj.metadata.namespace ?? 'default') && isTarget(h.raw, obj.kind, obj.metadata.name));
      const replicas = getNumber(spec, 'replicas') ?? 1;
      const data = { kind: obj.kind, replicas };
      if (replicas < 2) {
        if (!scaled) ctx.report({ messageId: 'single', object: obj, path: 'spec.replicas', data });
        return;
      }
      const view = podSpecOf(obj);
      const labels = getStringMap(view?.metadata, 'labels');
      const ns = obj.metadata.namespace ?? 'default';
      const pdb = ctx.inventory.ofKind('PodDisruptionBudget').some((p) => {
        if ((p.metadata.namespace ?? 'default') !== ns) return false;
        const sel = parseSelector(getObject(getObject(p.raw, 'spec'), 'selector') ?? {}, 'spec.selector');
        return sel.errors.length === 0 && sel.selector.requirements.length > 0 && selectorMatches(sel.selector, labels);
      });
      if (!pdb) ctx.report({ messageId: 'noPdb', object: obj, path: 'spec.replicas', data });
      const affinity = getObject(getObject(view?.spec, 'affinity'), 'podAntiAffinity');
      const spread = getArray(view?.spec, 'topologySpreadConstraints').length > 0;
      if (!affinity && !spread && view) ctx.report({ messageId: 'noSpread', object: obj, path: `${view.path}.affinity`, data });
    };
  },
});

function isTarget(hpa: unknown, kind: string, name: string): boolean {
  const ref = getObject(getObject(hpa, 'spec'), 'scaleTargetRef');
  return ref?.kind === kind && ref.name === name;
}
