/**
 * The table of `kspect rbac risks` states a binding's subjects once (rbacRisksShare): each danger finding then takes
 * one line with what follows its check's fixed text. The split is exact whatever names the input holds, and only the
 * table changes: the findings (JSON) are the same with and without it.
 */
import { describe, expect, it } from 'vitest';
import { checkRbac, parseManifests } from '../src/index.js';
import { rbacRisksShare } from '../src/checks/rbac-danger.js';
import { renderTable } from '../src/reporters/table.js';
import { WRITERS } from '../src/reporters/index.js';

const RBAC = 'rbac.authorization.k8s.io';
const world = (user: string): string => `apiVersion: ${RBAC}/v1
kind: ClusterRole
metadata: {name: power}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [get]}
  - {apiGroups: [""], resources: [pods], verbs: [create]}
---
apiVersion: ${RBAC}/v1
kind: RoleBinding
metadata: {name: b, namespace: dev}
roleRef: {apiGroup: ${RBAC}, kind: ClusterRole, name: power}
subjects:
  - {apiGroup: ${RBAC}, kind: User, name: ${JSON.stringify(user)}}
  - {kind: ServiceAccount, name: builder}
`;

async function reportOf(text: string): ReturnType<typeof checkRbac> {
  const parsed = parseManifests(text, 'w.yaml', { type: 'file', uri: 'w.yaml' });
  return checkRbac({ objects: parsed.objects, settings: { now: new Date(0) } });
}

function json(report: Awaited<ReturnType<typeof checkRbac>>, share: boolean): string {
  const parts: string[] = [];
  WRITERS.json?.(report, { color: false, showSuppressed: false, ...(share ? { share: rbacRisksShare() } : {}) }, (c) => parts.push(c));
  return parts.join('');
}

describe('rbac risks table: subjects once per binding', () => {
  it('states the subjects once, then one line per finding without its check\'s fixed text', async () => {
    const report = await reportOf(world('dana'));
    expect(report.findings.map((f) => f.checkId).sort()).toEqual(['rbac-pod-create', 'rbac-secrets-read']);
    const t = renderTable(report, { color: false, share: rbacRisksShare() });
    expect(t).toContain('RoleBinding dev/b  w.yaml\n  User dana, ServiceAccount dev/builder can:\n');
    expect(t).toMatch(/\n {2}:\d+ +MEDIUM +rbac-pod-create +in namespace dev, through ClusterRole power rules\[1\] \(create pods\)\n/);
    expect(t).toMatch(/\n {2}:\d+ +MEDIUM +rbac-secrets-read +in namespace dev, through ClusterRole power rules\[0\] \(get secrets\)\n/);
    expect(t.match(/User dana/g)).toHaveLength(1);
    // Without the share (scan, the library's default): each finding's whole message, as before.
    expect(renderTable(report, { color: false })).toMatch(/User dana, ServiceAccount dev\/builder can read Secrets/);
    expect(json(report, true)).toBe(json(report, false));
  });

  it('a subject whose name holds the separator: the finding is shown whole, never split inside the name', async () => {
    const name = 'eve can read Secrets (get/list/watch) in namespace dev';
    const report = await reportOf(world(name));
    const t = renderTable(report, { color: false, share: rbacRisksShare() });
    const secrets = report.findings.find((f) => f.checkId === 'rbac-secrets-read');
    expect(secrets?.message.startsWith(`User ${name}, ServiceAccount dev/builder can read Secrets`)).toBe(true);
    // The pod finding splits exactly (its separator occurs once); the secrets finding does not and is shown whole.
    expect(t).toContain(`  User ${name}, ServiceAccount dev/builder can:\n`);
    expect(t).toMatch(/rbac-pod-create +in namespace dev, through/);
    expect(t).not.toMatch(/rbac-secrets-read +in namespace dev, through/);
    expect(t).toMatch(/rbac-secrets-read +User eve can read Secrets/);
  });

  it('the lead is the danger findings\' subjects: rbac-kube-system-sa-reachable, naming fewer, is shown whole', async () => {
    const text = `apiVersion: ${RBAC}/v1
kind: ClusterRole
metadata: {name: jobs}
rules: [{apiGroups: [batch], resources: [jobs], verbs: [create]}]
---
apiVersion: ${RBAC}/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: ${RBAC}, kind: ClusterRole, name: jobs}
subjects:
  - {kind: ServiceAccount, name: ci, namespace: build}
  - {apiGroup: ${RBAC}, kind: User, name: dana}
`;
    const report = await reportOf(text);
    expect(report.findings.map((f) => f.checkId).sort()).toEqual(['rbac-kube-system-sa-reachable', 'rbac-pod-create']);
    const t = renderTable(report, { color: false, share: rbacRisksShare() });
    expect(t).toContain('  ServiceAccount build/ci, User dana can:\n');
    expect(t).toMatch(/rbac-pod-create +cluster-wide, through ClusterRole jobs rules\[0\] \(create jobs\.batch\)\n/);
    expect(t).toMatch(/rbac-kube-system-sa-reachable +ServiceAccount build\/ci can create jobs in\s+kube-system/);
  });

  it('a finding\'s line never ends in blanks, whatever its rest ends with (ASCII or other white space, or nothing)', async () => {
    const report = await reportOf(world('dana'));
    for (const end of [' ', '  ', '\u3000', '\u00a0', '\u2028', '\t', '', 'x', 'é', '\u{1F600}']) {
      const t = renderTable(report, { color: false, share: (findings) => ({ lead: 'lead', rests: findings.map((_, i) => (end === '' && i === 0 ? '' : `rest ${i}${end}`)) }) });
      const lines = t.split('\n');
      expect(lines.filter((l) => l !== l.trimEnd())).toEqual([]);
      expect(lines.filter((l) => l.startsWith('  :') && /rbac-(pod-create|secrets-read)/.test(l))).toHaveLength(2);
      if (end.trim() !== '') expect(lines.filter((l) => l.endsWith(end))).toHaveLength(end === '' ? 0 : 2);
    }
  });

  it('nothing shared (no danger finding): the layout of every other report', async () => {
    const text = `apiVersion: ${RBAC}/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {apiGroup: ${RBAC}, kind: Role, name: gone}\nsubjects: [{apiGroup: ${RBAC}, kind: User, name: dana}]\n`;
    const report = await reportOf(text);
    expect(renderTable(report, { color: false, share: rbacRisksShare() })).toBe(renderTable(report, { color: false }));
  });
});
