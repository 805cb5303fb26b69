/** rbac-missing-role: bindings that reference a role that does not exist or is of the wrong kind, and so grant nothing. */
import { rbacEngine, type RbacIndex } from '../../engines/rbac/index.js';
import { defineCheck } from '../../framework/define.js';

export const rbacMissingRole = defineCheck({
  id: 'rbac-missing-role',
  meta: {
    title: 'Binding to a missing role',
    description:
      'A binding whose role does not exist grants nothing today — and grants whatever a role of that name will hold once someone creates it, possibly much later and for another purpose. A ClusterRoleBinding can only reference a ClusterRole; a binding to another kind is rejected by the API server. Default ClusterRoles of Kubernetes (edit, view, admin, cluster-admin, system:…) count as present.',
    severity: 'low',
    category: 'rbac',
    reads: ['*'],
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    messages: {
      missing: '{{binding}} references {{kind}} {{name}}, which is not in the input: it grants nothing until a role of that name appears',
      wrongKind: '{{binding}} references a {{kind}}, which a {{bindingKind}} cannot reference: the API server rejects it',
    },
    remediation: 'Delete the binding, or create the role it means (with a name that cannot be taken over by accident), or fix roleRef.kind.',
    references: { urls: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding'] },
    recommended: true,
  },
  create(ctx) {
    // Built on the first binding (once per run): a run without RBAC objects never builds the index. Kept for the
    // others (tens of thousands): no engine lookup per binding.
    let built: RbacIndex | undefined;
    return (obj) => {
      const index = (built ??= ctx.engine(rbacEngine));
      const b = index.bindingOf(obj);
      if (!b?.unresolved) return;
      const ref = b.record.roleRef;
      if (b.unresolved === 'wrong-kind') ctx.report({ messageId: 'wrongKind', object: obj, path: 'roleRef.kind', severity: 'medium', data: { binding: b.display, kind: ref.kind === '' ? '(no kind)' : ref.kind, bindingKind: b.record.kind } });
      else ctx.report({ messageId: 'missing', object: obj, path: 'roleRef.name', data: { binding: b.display, kind: ref.kind, name: ref.name } });
    };
  },
});
