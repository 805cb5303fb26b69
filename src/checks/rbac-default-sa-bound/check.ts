/** rbac-default-sa-bound: roles bound to a namespace's `default` service account, which every pod without serviceAccountName uses. */
import { rbacEngine, type RbacIndex } from '../../engines/rbac/index.js';
import { defineCheck } from '../../framework/define.js';

export const rbacDefaultSaBound = defineCheck({
  id: 'rbac-default-sa-bound',
  meta: {
    title: 'Role bound to a default service account',
    description:
      'Every pod that names no serviceAccountName runs as its namespace\'s default service account and, unless automounting is off, carries its token. A role bound to default is therefore given to every such pod of the namespace — usually far more than the workload it was meant for.',
    severity: 'medium',
    category: 'rbac',
    reads: ['*'],
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    messages: { bound: '{{role}} is bound to ServiceAccount {{namespace}}/default {{scope}}: every pod of {{namespace}} without a serviceAccountName gets it' },
    remediation: 'Create a dedicated service account for the workload that needs the role, bind the role to it, and set serviceAccountName in its pod template. Keep default without permissions (and automountServiceAccountToken: false).',
    references: { cis: ['5.1.5'], mitre: ['T1078'], urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#use-the-default-service-account-to-access-the-api-server'] },
    recommended: true,
  },
  create(ctx) {
    // Built on the first binding (once per run): a run without RBAC objects never builds the index. Kept for the
    // others (tens of thousands): no engine lookup per binding.
    let built: RbacIndex | undefined;
    return (obj) => {
      const index = (built ??= ctx.engine(rbacEngine));
      const b = index.bindingOf(obj);
      const role = b?.role;
      if (!b || !role || role.rules.length === 0) return;
      for (const s of b.record.subjects) {
        if (s.kind !== 'ServiceAccount' || s.name !== 'default') continue;
        ctx.report({
          messageId: 'bound',
          object: obj,
          path: `subjects[${s.index}]`,
          data: { role: role.display, namespace: s.namespace ?? '', scope: b.record.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${b.record.namespace ?? 'default'}` },
        });
      }
    };
  },
});
