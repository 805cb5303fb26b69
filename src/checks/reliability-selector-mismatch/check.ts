/** reliability-selector-mismatch: workload selectors that do not select their own pod template. */
import { getObject, getStringMap } from '../../model/object.js';
import { podSpecOf } from '../../model/podspec.js';
import { parseSelector, selectorMatches } from '../../engines/netpol/selector.js';
import { defineCheck } from '../../framework/define.js';

export const reliabilitySelectorMismatch = defineCheck({
  id: 'reliability-selector-mismatch',
  meta: {
    title: 'Selector does not match the pod template',
    description:
      'A Deployment, ReplicaSet, StatefulSet or DaemonSet whose `spec.selector` does not match the labels of its own pod template is refused by the API server ("selector does not match template labels"); under the old extensions API it created pods it could never find again. The manifest does not deploy.',
    severity: 'medium',
    category: 'reliability',
    kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
    messages: { mismatch: '{{kind}} selector {{selector}} does not match its pod template labels ({{labels}}): the API server refuses it' },
    remediation: 'Make `spec.template.metadata.labels` carry every label `spec.selector` asks for.',
    references: { urls: ['https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const raw = getObject(getObject(obj.raw, 'spec'), 'selector');
      const view = podSpecOf(obj);
      if (raw === undefined || !view) return;
      const sel = parseSelector(raw, 'spec.selector');
      if (sel.errors.length > 0 || sel.selector.requirements.length === 0) return;
      const labels = getStringMap(view.metadata, 'labels');
      if (selectorMatches(sel.selector, labels)) return;
      const shown = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || 'none';
      ctx.report({ messageId: 'mismatch', object: obj, path: 'spec.selector', data: { kind: obj.kind, selector: sel.selector.text, labels: shown } });
    };
  },
});
