/**
 * One list of dangerous permissions: every permission check of the rbac registry is an entry of the RBAC engine's
 * danger catalogue (what `findDangers` — the library — and `kspect rbac risks` report), and every entry is found by
 * its check on a role that grants its first probe.
 */
import { describe, expect, it } from 'vitest';
import { allDangers, buildRbacIndex, findDangers, isSystemSubject, subjectDisplay, subjectOf, type DangerHit, type RbacIndex, type RoleEntry } from '../engines/rbac/index.js';
import { loadYamlText } from '../engines/rbac/testutil.testutil.js';
import type { K8sObject } from '../model/object.js';
import type { Finding } from '../core/finding.js';
import { bindingFactsOf, rbacRisksShare } from './rbac-danger.js';
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

describe('bindingFactsOf', () => {
  /** The reference: findDangers' hits of input bindings grouped by object, in order, each group's subjects as text. */
  const reference = (index: RbacIndex): [K8sObject, DangerHit[], string][] => {
    const groups = new Map<K8sObject, [DangerHit[], string]>();
    for (const h of findDangers(index)) {
      const obj = h.binding.record.object;
      if (!obj || h.binding.record.isDefault) continue;
      const g = groups.get(obj);
      if (g) g[0].push(h);
      else groups.set(obj, [[h], h.subjects.filter((s) => !isSystemSubject(s)).map(subjectDisplay).join(', ')]);
    }
    return [...groups].map(([o, [hits, text]]) => [o, hits, text]);
  };
  it('gives every binding the hits findDangers finds, in order and whole (bindings of one, several and no dangers, default bindings, system subjects)', () => {
    const rules = ['{apiGroups: [""], resources: [secrets], verbs: [get]}', '{apiGroups: [""], resources: [pods], verbs: [create]}', '{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}', '{apiGroups: [""], resources: [configmaps], verbs: [get]}', '{apiGroups: [""], resources: ["pods/exec", serviceaccounts/token], verbs: [create, get]}', '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind, escalate]}'];
    const docs: string[] = [];
    for (let r = 0; r < 12; r++) docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r${r}}\nrules: [${rules.filter((_, i) => (r >> i) % 2 === 1 || i === r % rules.length).join(', ')}]`);
    for (let b = 0; b < 40; b++) {
      const subjects = b % 5 === 0 ? '[{kind: Group, name: system:nodes}]' : `[{kind: ServiceAccount, name: sa-${b}, namespace: ns-${b % 3}}, {apiGroup: rbac.authorization.k8s.io, kind: User, name: u-${b}}]`;
      docs.push(b % 2 === 0
        ? `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb-${b}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${b % 7 === 0 ? 'edit' : `r${b % 12}`}}\nsubjects: ${subjects}`
        : `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb-${b}, namespace: ns-${b % 3}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r${b % 12}}\nsubjects: ${subjects}`);
    }
    const index = buildRbacIndex(loadYamlText(docs.join('\n---\n')), { defaults: 'all' });
    // Bindings whose subjects are all Kubernetes components have nothing to report: left out.
    const want = reference(index).filter(([, , text]) => text !== '');
    const facts = bindingFactsOf(index).byObject;
    /** A binding's facts as findDangers' hits. */
    const hitsOf = (o: K8sObject): DangerHit[] => {
      const f = facts.get(o);
      const b = index.bindingOf(o);
      if (!f || !b) return [];
      return f.dangers.map((d) => ({ danger: d.danger, binding: b, role: f.role as RoleEntry, rule: d.rule, probe: d.probe, scope: f.scope, severity: f.scope === 'cluster' ? d.danger.severity.cluster : d.danger.severity.namespace, subjects: b.record.subjects.map(subjectOf) }));
    };
    const got = want.map(([o]): [K8sObject, DangerHit[], string] => [o, hitsOf(o), facts.get(o)?.subjects ?? '']);
    const dangerous = [...facts.keys()].filter((o) => facts.get(o)?.missing === undefined);
    expect(new Set(dangerous)).toEqual(new Set(want.map(([o]) => o)));
    expect(want.some(([, hits]) => hits.length > 2)).toBe(true);
    expect(want.some(([, hits]) => hits.length === 1)).toBe(true);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      expect(got[i]?.[0]).toBe(want[i]?.[0]);
      expect(got[i]?.[1]).toEqual(want[i]?.[1]);
      expect(got[i]?.[1].map((h) => [h.danger.id, h.rule.index, h.scope])).toEqual(want[i]?.[1].map((h) => [h.danger.id, h.rule.index, h.scope]));
      expect(got[i]?.[2]).toBe(want[i]?.[2]);
    }
  });
});

describe('rbacRisksShare', () => {
  const pod = allDangers().find((d) => d.id === 'rbac-pod-create')?.what ?? '';
  const secrets = allDangers().find((d) => d.id === 'rbac-secrets-read')?.what ?? '';
  const finding = (checkId: string, message: string): Finding => ({ checkId, message }) as unknown as Finding;
  const share = rbacRisksShare();
  it('states the subjects once and each finding what follows its check\'s text', () => {
    const got = share([finding('rbac-pod-create', `User a, Group g can ${pod} cluster-wide, through X`), finding('rbac-secrets-read', `User a, Group g can ${secrets} in namespace n, through Y`)]);
    expect(got).toEqual({ lead: 'User a, Group g can:', rests: ['cluster-wide, through X', 'in namespace n, through Y'] });
  });
  it('shows whole a finding whose separator occurs twice, names other subjects or belongs to no danger check', () => {
    const got = share([
      finding('rbac-kube-system-sa-reachable', 'ServiceAccount n/s can create pods in kube-system'),
      finding('rbac-pod-create', `User x can ${pod} can ${pod} there`),
      finding('rbac-pod-create', `User b can ${pod} cluster-wide`),
      finding('rbac-secrets-read', `User c can ${secrets} cluster-wide`),
      finding('rbac-missing-role', 'RoleBinding n/b references Role r, which is not in the input'),
      finding('rbac-secrets-read', `User b can ${secrets} in namespace n`),
    ]);
    // The lead: the first danger finding that splits, not rbac-kube-system-sa-reachable's (it names fewer subjects).
    expect(got).toEqual({ lead: 'User b can:', rests: [undefined, undefined, 'cluster-wide', undefined, undefined, 'in namespace n'] });
    expect(share([finding('rbac-kube-system-sa-reachable', 'ServiceAccount n/s can create pods')])).toEqual({ lead: 'ServiceAccount n/s can:', rests: ['create pods'] });
    expect(share([finding('rbac-missing-role', 'x can y'), finding('rbac-pod-create', `can ${pod} here`)])).toBeUndefined();
  });
});
