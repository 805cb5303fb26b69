/** netpol-selector-no-match: peers whose selectors match no namespace or pod of the input. */
import { netpolEngineFactory } from '../../engines/netpol/index.js';
import { isEmptySelector, NO, selectorMatchesPartly } from '../../engines/netpol/selector.js';
import { NAMESPACE_NAME_LABEL } from '../../engines/netpol/endpoints.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { operatorPodsMaybeSelected } from '../netpol-policy-selects-nothing/operator-pods.js';

const NAME_ONLY = new Set([NAMESPACE_NAME_LABEL]);
/** Namespaces every cluster has, whether or not the input declares them. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export const netpolSelectorNoMatch = defineCheck({
  id: 'netpol-selector-no-match',
  meta: {
    title: 'NetworkPolicy peer matches nothing',
    description:
      'A from/to peer whose namespaceSelector matches no namespace, or whose podSelector matches no pod, admits nothing. The flow it was written for is then blocked, or someone later "fixes" it with a far wider rule. Usually a label typo.',
    severity: 'low',
    category: 'network',
    reads: ['*'],
    kinds: [],
    messages: {
      namespace: 'NetworkPolicy {{namespace}}/{{name}}: namespaceSelector {{selector}} matches no namespace in the input',
      pod: 'NetworkPolicy {{namespace}}/{{name}}: podSelector {{selector}} matches no pod of {{where}} in the input',
    },
    remediation: 'Correct the selector to the labels the namespaces or pod templates really carry.',
    references: { urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors'] },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const engine = ctx.engine(netpolEngineFactory);
        ctx.judged(engine.policies.length);
        const namespaces = [...engine.namespaces.values()].map((n) => ({ name: n.name, labels: n.labels, known: n.object !== undefined }));
        // System namespaces carry only their name label unless the input says otherwise.
        for (const n of SYSTEM_NAMESPACES) if (!engine.namespaces.has(n)) namespaces.push({ name: n, labels: { [NAMESPACE_NAME_LABEL]: n }, known: true });
        const populated = new Set(engine.endpoints.map((e) => e.namespace));
        for (const p of engine.policies)
          for (const rule of [...p.ingress, ...p.egress])
            rule.peers.forEach((peer, i) => {
              if (peer.type !== 'selector') return;
              const data = { namespace: p.namespace, name: p.name };
              const nsSel = peer.namespaceSelector;
              const designated = nsSel ? namespaces.filter((n) => selectorMatchesPartly(nsSel, n.labels, n.known ? undefined : NAME_ONLY) !== NO).map((n) => n.name) : [p.namespace];
              if (nsSel && !isEmptySelector(nsSel) && designated.length === 0) {
                ctx.report({ messageId: 'namespace', data: { ...data, selector: nsSel.text }, object: p.object, path: joinPath(peer.path, 'namespaceSelector') });
                return;
              }
              const podSel = peer.podSelector;
              if (!podSel || isEmptySelector(podSel)) return;
              // Only where the input holds the workloads of every namespace the peer designates.
              if (designated.length === 0 || designated.some((n) => !populated.has(n))) return;
              if (engine.matchedByPeer(rule, i).length > 0) return;
              const made = operatorPodsMaybeSelected(ctx.inventory, podSel, designated);
              if (made.length > 0) {
                ctx.notEvaluated({
                  reason: 'missing-input',
                  object: p.object,
                  message: `NetworkPolicy ${p.namespace}/${p.name}: ${joinPath(peer.path, 'podSelector')} ${podSel.text} matches no pod of the input, but may match the pods a controller makes from ${made.map((m) => m.display).join(', ')}, which the input does not hold`,
                });
                return;
              }
              const where = nsSel ? (isEmptySelector(nsSel) ? 'any namespace' : `namespaces ${nsSel.text}`) : `namespace ${p.namespace}`;
              ctx.report({ messageId: 'pod', data: { ...data, selector: podSel.text, where }, object: p.object, path: joinPath(peer.path, 'podSelector') });
            });
      },
    };
  },
});
