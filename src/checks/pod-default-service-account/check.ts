/** pod-default-service-account: pods that run as their namespace's `default` ServiceAccount with its token mounted. */
import { podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { automountOf, nsKey, serviceAccountIndex, serviceAccountOf, tokenPathShadowed } from '../../model/serviceaccount.js';
import { defineCheck } from '../../framework/define.js';

export const podDefaultServiceAccount = defineCheck({
  id: 'pod-default-service-account',
  meta: {
    title: 'Pod uses the default service account',
    description:
      'Every pod of a namespace that does not name a ServiceAccount runs as `default`. Any permission granted to `default` — often added "just to make it work" — is then held by every such pod, and the pods cannot be told apart in RBAC or audit logs.',
    severity: 'low',
    category: 'workload',
    reads: ['ServiceAccount'],
    kinds: POD_SPEC_KINDS,
    messages: {
      unset: 'runs as the namespace\'s "default" service account (serviceAccountName is not set) with its token mounted',
      explicit: 'names the "default" service account and mounts its token',
      deprecated: 'runs as the "default" service account through the deprecated serviceAccount field, with its token mounted',
    },
    remediation:
      'Create a dedicated ServiceAccount per workload and set `serviceAccountName`; set `automountServiceAccountToken: false` on the `default` ServiceAccount of every namespace.',
    references: {
      cis: ['5.1.5'],
      nsa: ['Authentication and authorization: service accounts'],
      mitre: ['T1528'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/'],
    },
    recommended: true,
  },
  create(ctx) {
    const accounts = serviceAccountIndex(ctx.inventory);
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      const sa = serviceAccountOf(view);
      if (sa.name !== 'default') return;
      // Without a token the pod cannot act as `default`: nothing to report.
      if (!automountOf(view, accounts.get(nsKey(obj.metadata.namespace, 'default'))).value || tokenPathShadowed(view)) return;
      const messageId = sa.from === 'default' ? 'unset' : sa.from === 'serviceAccount' ? 'deprecated' : 'explicit';
      ctx.report({ messageId, object: obj, path: sa.path });
    };
  },
});
