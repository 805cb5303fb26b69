/** rbac-anonymous-access: permissions granted to unauthenticated clients or to every authenticated user. */
import { rbacEngine, ruleDisplay, subjectDisplay, type SubjectRecord, type SubjectRef, type RbacIndex } from '../../engines/rbac/index.js';
import { defineCheck } from '../../framework/define.js';

const EVERYONE: readonly { kind: string; name: string; who: string; severity: 'critical' | 'high' }[] = [
  { kind: 'User', name: 'system:anonymous', who: 'anonymous requests', severity: 'critical' },
  { kind: 'Group', name: 'system:unauthenticated', who: 'every unauthenticated client', severity: 'critical' },
  { kind: 'Group', name: 'system:authenticated', who: 'every authenticated user and service account', severity: 'high' },
];

/** Whether a subject's name starts with `system:` — a loop, not a closure per binding (every binding is asked). */
function anySystemName(subjects: readonly SubjectRecord[]): boolean {
  for (let i = 0; i < subjects.length; i++) if ((subjects[i] as SubjectRecord).name.startsWith('system:')) return true;
  return false;
}

export const rbacAnonymousAccess = defineCheck({
  id: 'rbac-anonymous-access',
  meta: {
    title: 'Permissions granted to anonymous or all authenticated users',
    description:
      'A binding to system:anonymous or system:unauthenticated gives its role to anyone who can reach the API server, without credentials. A binding to system:authenticated gives it to every user and every service account of every pod — one compromised workload is enough. Kubernetes itself grants these groups only discovery, health and self-review permissions.',
    severity: 'critical',
    category: 'rbac',
    reads: ['*'],
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    messages: { granted: '{{role}} is granted to {{who}} ({{subject}}) {{scope}}, e.g. rules[{{rule}}] ({{ruleText}})' },
    remediation: 'Bind the role to the specific users, groups or service accounts that need it. Disable anonymous authentication (--anonymous-auth=false) or limit it to health endpoints.',
    references: { cis: ['5.1.7', '1.2.1'], mitre: ['T1078.001'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles'] },
    recommended: true,
  },
  create(ctx) {
    // Built on the first binding (once per run): a run without RBAC objects never builds the index. Kept for the
    // others (tens of thousands): no engine lookup per binding.
    let built: RbacIndex | undefined;
    return (obj) => {
      const index = (built ??= ctx.engine(rbacEngine));
      const b = index.bindingOf(obj);
      // Every name of EVERYONE starts with `system:` (most bindings name none such: nothing to look for).
      if (!b || !anySystemName(b.record.subjects)) return;
      const role = b.role;
      if (b.unresolved === 'missing-role' && !b.record.isDefault) {
        const everyone = EVERYONE.find((e) => b.record.subjects.some((x) => x.kind === e.kind && x.name === e.name));
        if (everyone) ctx.notEvaluated({ reason: 'missing-input', object: obj, message: `${b.display} grants ${b.record.roleRef.kind} ${b.record.roleRef.name} to ${everyone.who}, but that role is not in the input: what they get is unknown` });
        return;
      }
      if (!role || role.rules.length === 0 || b.record.isDefault) return;
      for (const e of EVERYONE) {
        const s = b.record.subjects.find((x) => x.kind === e.kind && x.name === e.name);
        if (!s) continue;
        const first = role.rules[0];
        const subject: SubjectRef = { kind: s.kind, name: s.name };
        ctx.report({
          messageId: 'granted',
          object: obj,
          path: `subjects[${s.index}]`,
          severity: e.severity,
          data: {
            role: role.display,
            who: e.who,
            subject: subjectDisplay(subject),
            scope: b.record.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${b.record.namespace ?? 'default'}`,
            rule: first?.index ?? 0,
            ruleText: first ? ruleDisplay(first.rule) : '',
          },
        });
      }
    };
  },
});
