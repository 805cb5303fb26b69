/**
 * etcd-at-rest-summary: one informational finding per resource read from etcd, counting its values by provider,
 * key and verdict — the summary of `kspect etcd check` in every output format.
 */
import { counted } from '../../core/text.js';
import type { K8sObject } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';
import { ETCD_API_VERSION, ETCD_VALUE, readEtcdValue } from '../../engines/encryption-at-rest/objects.js';

export const etcdAtRestSummary = defineCheck({
  id: 'etcd-at-rest-summary',
  meta: {
    title: 'How values are stored in etcd, per resource',
    description: 'Counts the values of each resource read from etcd by how they are stored: plaintext, or the provider and key that encrypted them, and whether that is the current write key. Informational: the other etcd checks report what is wrong.',
    severity: 'info',
    category: 'secrets',
    kinds: [ETCD_VALUE],
    messages: { summary: '{{resource}}: {{total}} — {{breakdown}}' },
    remediation: 'Nothing to do for the summary itself; see the findings of the other etcd checks.',
    references: { urls: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
    // Runs in `kspect etcd check`, which reads etcd; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    const byResource = new Map<string, { endpoint: string; first: K8sObject; counts: Map<string, number>; total: number }>();
    return {
      object: (obj) => {
        const v = readEtcdValue(obj);
        if (!v) return;
        const res = v.resource ? (v.resource.group === '' ? v.resource.resource : `${v.resource.resource}.${v.resource.group}`) : 'unrecognised keys';
        let entry = byResource.get(res);
        if (!entry) byResource.set(res, (entry = { endpoint: v.endpoint, first: obj, counts: new Map(), total: 0 }));
        const what = v.stored === 'plaintext' ? `plaintext ${v.keyName}` : v.stored === 'encrypted' ? `${v.provider}/${v.keyName}` : `unrecognised ${v.keyName}`;
        const k = `${what} (${v.verdict})`;
        entry.counts.set(k, (entry.counts.get(k) ?? 0) + 1);
        entry.total++;
      },
      end: () => {
        for (const [res, e] of [...byResource].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          const breakdown = [...e.counts]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, n]) => `${n} ${k}`)
            .join(', ');
          const location = e.first.origin.location;
          ctx.report({
            messageId: 'summary',
            data: { resource: res, total: counted(e.total, 'value'), breakdown },
            resource: { apiVersion: ETCD_API_VERSION, kind: 'EtcdResource', name: res },
            source: { type: 'etcd', uri: `${e.endpoint} ${res}` },
            ...(location ? { location } : {}),
          });
        }
      },
    };
  },
});
