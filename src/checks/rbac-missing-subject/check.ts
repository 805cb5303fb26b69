/** rbac-missing-subject: bindings to service accounts that the input's namespace does not have. */
import { rbacEngine, type RbacIndex } from '../../engines/rbac/index.js';
import { defineCheck } from '../../framework/define.js';

export const rbacMissingSubject = defineCheck({
  id: 'rbac-missing-subject',
  meta: {
    title: 'Binding to a missing service account',
    description:
      'A binding to a service account that does not exist is dormant: whoever later creates a service account of that name — in a namespace where they may create service accounts — receives the role. Users and groups cannot be checked (Kubernetes has no objects for them); service accounts can, when the input holds the namespace\'s ServiceAccounts.',
    severity: 'low',
    category: 'rbac',
    reads: ['*'],
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    messages: { missing: '{{binding}} binds ServiceAccount {{namespace}}/{{name}}, which the input does not define (it defines other service accounts of {{namespace}})' },
    remediation: 'Remove the subject from the binding, or create the service account it means.',
    references: { urls: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects'] },
    recommended: true,
  },
  create(ctx) {
    // Service accounts defined as objects, by namespace: a namespace is judged only when it has some.
    const defined = new Map<string, Set<string>>();
    for (const o of ctx.inventory.ofKind('ServiceAccount')) {
      const ns = o.metadata.namespace ?? 'default';
      let set = defined.get(ns);
      if (!set) defined.set(ns, (set = new Set()));
      set.add(o.metadata.name);
    }
    // Built on the first binding (once per run): a run without RBAC objects never builds the index. Kept for the
    // others (tens of thousands): no engine lookup per binding.
    let built: RbacIndex | undefined;
    return (obj) => {
      const index = (built ??= ctx.engine(rbacEngine));
      const b = index.bindingOf(obj);
      if (!b) return;
      for (const s of b.record.subjects) {
        if (s.kind !== 'ServiceAccount' || s.name === 'default' || s.namespace === undefined) continue;
        const known = defined.get(s.namespace);
        if (!known || known.has(s.name)) continue;
        ctx.report({ messageId: 'missing', object: obj, path: `subjects[${s.index}]`, data: { binding: b.display, namespace: s.namespace, name: s.name } });
      }
    };
  },
});
