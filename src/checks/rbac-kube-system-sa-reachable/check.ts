/** rbac-kube-system-sa-reachable: workload service accounts that can become a kube-system service account. */
import { isAdminEquivalentRole, ProbeSet, rbacEngine, ruleDisplay, subjectDisplay, type Probe, type RbacIndex } from '../../engines/rbac/index.js';
import { defineCheck } from '../../framework/define.js';

/** Ways to act as another service account of a namespace. */
const BECOME: readonly { probe: Probe; how: string }[] = [
  { probe: { verbs: ['create'], group: '', resource: 'pods' }, how: 'create pods' },
  { probe: { verbs: ['create'], group: 'apps', resource: 'deployments' }, how: 'create deployments' },
  { probe: { verbs: ['create'], group: 'apps', resource: 'daemonsets' }, how: 'create daemonsets' },
  { probe: { verbs: ['create'], group: 'apps', resource: 'statefulsets' }, how: 'create statefulsets' },
  { probe: { verbs: ['create'], group: 'apps', resource: 'replicasets' }, how: 'create replicasets' },
  { probe: { verbs: ['create'], group: 'batch', resource: 'jobs' }, how: 'create jobs' },
  { probe: { verbs: ['create'], group: 'batch', resource: 'cronjobs' }, how: 'create cronjobs' },
  { probe: { verbs: ['create'], group: '', resource: 'replicationcontrollers' }, how: 'create replicationcontrollers' },
  { probe: { verbs: ['create'], group: '', resource: 'serviceaccounts/token' }, how: 'create service-account tokens' },
  { probe: { verbs: ['impersonate'], group: '', resource: 'serviceaccounts' }, how: 'impersonate service accounts' },
];
/** The probes of BECOME, matched against each role once. */
const BECOME_PROBES = new ProbeSet(BECOME.map((b) => b.probe));

export const rbacKubeSystemSaReachable = defineCheck({
  id: 'rbac-kube-system-sa-reachable',
  meta: {
    title: 'Workload service account can become a kube-system service account',
    description:
      'kube-system runs the cluster\'s controllers and add-ons, whose service accounts hold some of the most powerful roles of the cluster. A workload\'s service account that can create pods (or workloads), mint tokens or impersonate service accounts in kube-system can act as any of them: compromising that one workload compromises the control plane\'s identities.',
    severity: 'high',
    category: 'rbac',
    reads: ['*'],
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    messages: { reachable: '{{subjects}} can {{how}} in kube-system ({{scope}}), and so act as any kube-system service account, through {{role}} rules[{{rule}}] ({{ruleText}})' },
    remediation: 'Do not let workload service accounts create pods, tokens or impersonate in kube-system; deploy into kube-system only through the cluster\'s own pipeline.',
    references: { mitre: ['T1078', 'T1610'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'] },
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
      if (!b || !role || b.record.isDefault) return;
      if (b.record.kind === 'RoleBinding' && b.record.namespace !== 'kube-system') return;
      // Full access is reported once, by rbac-cluster-admin-binding.
      if (isAdminEquivalentRole(role)) return;
      const subjects = b.record.subjects.filter((s) => s.kind === 'ServiceAccount' && s.namespace !== 'kube-system');
      if (subjects.length === 0) return;
      const grants = BECOME_PROBES.grants(role);
      for (let i = 0; i < BECOME.length; i++) {
        // The first rule of the role that grants it.
        const rule = grants.byProbe[i]?.[0]?.rule;
        if (!rule) continue;
        const how = (BECOME[i] as (typeof BECOME)[number]).how;
        ctx.report({
          messageId: 'reachable',
          object: obj,
          path: 'roleRef',
          data: {
            subjects: subjects.map((s) => subjectDisplay({ kind: 'ServiceAccount', name: s.name, namespace: s.namespace ?? '' })).join(', '),
            how,
            scope: b.record.kind === 'ClusterRoleBinding' ? 'granted cluster-wide' : 'granted by a RoleBinding in kube-system',
            role: role.display,
            rule: rule.index,
            ruleText: ruleDisplay(rule.rule),
          },
        });
        return;
      }
    };
  },
});
