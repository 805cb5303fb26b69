/**
 * One list of dangerous permissions: every permission check of the rbac registry is an entry of the RBAC engine's
 * danger catalogue (what `findDangers` — the library — and `kspect rbac risks` report), and every entry is found by
 * its check on a role that grants its first probe.
 */
import { describe, expect, it } from 'vitest';
import { allDangers } from '../engines/rbac/index.js';
import { rbacChecks } from './registry/rbac.js';
import { runCheckOn, TEST_SETTINGS } from './support/tester.js';

/** rbac checks that judge something else than a permission a binding grants. */
const NOT_PERMISSIONS = new Set(['rbac-anonymous-access', 'rbac-default-sa-bound', 'rbac-escalation-path', 'rbac-kube-system-sa-reachable', 'rbac-missing-role', 'rbac-missing-subject']);

describe('the danger catalogue is the one list', () => {
  const dangers = allDangers('1.35');
  it('every permission check of the registry is in the catalogue, and every catalogue entry is a registered check', () => {
    const checks = rbacChecks.map((c) => c.id).filter((id) => !NOT_PERMISSIONS.has(id)).sort();
    expect(dangers.map((d) => d.id).sort()).toEqual(checks);
  });
  it.each(dangers.filter((d) => d.probes.length > 0).map((d) => [d.id, d] as const))('%s: a ClusterRole granting its first probe, bound cluster-wide, is reported', (id, d) => {
    const p = d.probes[0];
    if (!p) return;
    const [group, resource] = [p.group, p.resource];
    const names = d.names !== undefined ? `\n    resourceNames: [${d.names.join(', ')}]` : '';
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
rules:
  - apiGroups: ["${group}"]
    resources: ["${resource}"]
    verbs: [${p.verbs.map((v) => `"${v}"`).join(', ')}]${names}
${id === 'rbac-csr-approve' ? `  - apiGroups: [certificates.k8s.io]\n    resources: [signers]\n    verbs: [approve]\n    resourceNames: [kubernetes.io/kube-apiserver-client]\n` : ''}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dana}]
`;
    const check = rbacChecks.find((c) => c.id === id);
    expect(check, id).toBeDefined();
    if (!check) return;
    const r = runCheckOn(check, yaml, 'rbac.yaml', undefined, { ...TEST_SETTINGS, k8sVersion: '1.35' });
    expect(r.findings.map((f) => f.checkId), id).toEqual([id]);
  });
});
