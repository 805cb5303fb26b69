/**
 * A binding to a role that is not in the input: `rbac can-i`, `who-can`, `access` and `risks` say the answer is
 * incomplete — "unknown" naming the missing role, exit 2 — and never answer a confident "no" (built CLI).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/report.js';
import { runCli } from './support/cli.js';

const INPUT = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-elsewhere}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ops-tools}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: olga}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-role, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app-secrets}
subjects: [{kind: ServiceAccount, name: app, namespace: shop}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: olga}, {apiGroup: rbac.authorization.k8s.io, kind: User, name: vic}]
`;

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-rbac-unknown-'));
  file = join(dir, 'input.yaml');
  writeFileSync(file, INPUT);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('can-i with a binding to a missing role', () => {
  it('unknown, naming the missing role, exit 2 — not "no"', async () => {
    const r = await runCli(['rbac', 'can-i', 'delete', 'nodes', '--as', 'olga', '-i', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^unknown\n/);
    expect(r.stdout).toContain('ClusterRoleBinding ops-elsewhere references ClusterRole ops-tools, which is not in the input');
  });
  it('yes stays yes when a known rule allows it; no stays no when no missing role applies', async () => {
    expect((await runCli(['rbac', 'can-i', 'list', 'pods', '-n', 'shop', '--as', 'olga', '-i', file])).code).toBe(0);
    const no = await runCli(['rbac', 'can-i', 'delete', 'nodes', '--as', 'vic', '-i', file]);
    expect([no.code, no.stdout.split('\n')[0]]).toEqual([1, 'no']);
  });
  it('a service account whose Role is missing, in its namespace only', async () => {
    expect((await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'shop', '--as', 'system:serviceaccount:shop:app', '-i', file])).code).toBe(2);
    expect((await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'other', '--as', 'system:serviceaccount:shop:app', '-i', file])).code).toBe(1);
  });
  it('json says so', async () => {
    const r = await runCli(['rbac', 'can-i', 'delete', 'nodes', '--as', 'olga', '-i', file, '--format', 'json']);
    const j = JSON.parse(r.stdout) as { allowed: boolean; answer: string; reason: string; unknown: { missingRole: { kind: string; name: string } }[] };
    expect([r.code, j.allowed, j.answer, j.reason, j.unknown.map((u) => u.missingRole.name)]).toEqual([2, false, 'unknown', 'unknown', ['ops-tools']]);
  });
});

describe('who-can, access and risks with a binding to a missing role', () => {
  it('who-can lists the undecided subjects and says the answer is incomplete', async () => {
    const r = await runCli(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', '-i', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/User olga \(unknown\)\s+cluster\s+ClusterRoleBinding ops-elsewhere\s+ClusterRole ops-tools \(not in the input\)\s+unknown/);
    expect(r.stdout).toMatch(/ServiceAccount shop\/app \(unknown\)\s+shop\s+RoleBinding shop\/app-role\s+Role app-secrets \(not in the input\)/);
    expect(r.stdout).toContain('incomplete: 2 bindings in scope reference roles that are not in the input; their subjects may be allowed too');
    const j = JSON.parse((await runCli(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', '-i', file, '--format', 'json'])).stdout) as { complete: boolean; unknown: { missingRole: { name: string }; scope: string }[] };
    expect([j.complete, j.unknown.map((u) => `${u.missingRole.name}@${u.scope}`)]).toEqual([false, ['ops-tools@cluster', 'app-secrets@shop']]);
    // Out of the RoleBinding's namespace only the ClusterRoleBinding is undecided.
    const other = JSON.parse((await runCli(['rbac', 'who-can', 'get', 'secrets', '-n', 'other', '-i', file, '--format', 'json'])).stdout) as { unknown: { missingRole: { name: string } }[] };
    expect(other.unknown.map((u) => u.missingRole.name)).toEqual(['ops-tools']);
  });
  it('access names what is unknown, per scope', async () => {
    const r = await runCli(['rbac', 'access', 'olga', '-i', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Cluster-wide[^\n]*:\n {2}unknown: ClusterRoleBinding ops-elsewhere references ClusterRole ops-tools, which is not in the input/);
    const sa = await runCli(['rbac', 'access', 'system:serviceaccount:shop:app', '-i', file, '--format', 'json']);
    const j = JSON.parse(sa.stdout) as { complete: boolean; scopes: { scope: string; unknown?: string[] }[] };
    expect([sa.code, j.complete, j.scopes.find((s) => s.scope === 'shop')?.unknown?.length]).toEqual([2, false, 1]);
    expect((await runCli(['rbac', 'access', 'vic', '-i', file])).code).toBe(0);
  });
  it('risks: one not-evaluated item per such binding (not one per check), every danger check not evaluated, and --fail-on-not-evaluated fails', async () => {
    const r = await runCli(['rbac', 'risks', file, '--format', 'json', '--fail-on', 'none']);
    const j = JSON.parse(r.stdout) as Report;
    expect(j.notEvaluated.map((n) => [n.checkId, n.reason, n.message])).toEqual([
      [undefined, 'missing-input', 'ClusterRoleBinding ops-elsewhere references ClusterRole ops-tools, which is not in the input: what it grants is unknown'],
      [undefined, 'missing-input', 'RoleBinding shop/app-role references Role app-secrets, which is not in the input: what it grants is unknown'],
    ]);
    expect(j.summary.notEvaluated).toBe(2);
    const secrets = j.results?.find((x) => x.id === 'rbac-secrets-read');
    expect([secrets?.outcome, secrets?.notEvaluated]).toEqual(['not-evaluated', 2]);
    // Said by the report (a finding of rbac-missing-role and a not-evaluated item on each binding), as in a scan: not
    // a third time as an input problem, nor on stderr.
    expect(j.findings.filter((f) => f.checkId === 'rbac-missing-role').map((f) => f.resource?.name)).toEqual(['ops-elsewhere', 'app-role']);
    expect(j.problems.filter((p) => p.code === 'rbac-missing-role')).toEqual([]);
    expect(r.stderr).not.toContain('not in the input');
    expect((await runCli(['rbac', 'risks', file, '--fail-on', 'none'])).code).toBe(0);
    expect((await runCli(['rbac', 'risks', file, '--fail-on', 'none', '--fail-on-not-evaluated'])).code).toBe(1);
  });
  it('risks: the warning stays for the bindings the report does not name (checks that do not say it), naming only those', async () => {
    // rbac-default-sa-bound neither reports nor cannot-evaluates a binding to a missing role: the warning says it.
    const none = await runCli(['rbac', 'risks', file, '--checks', 'rbac-default-sa-bound', '--format', 'json', '--fail-on', 'none']);
    expect((JSON.parse(none.stdout) as Report).problems.map((p) => p.message)).toEqual([
      '2 bindings reference roles that are not in the input (ClusterRoleBinding ops-elsewhere → ClusterRole ops-tools, RoleBinding shop/app-role → Role app-secrets); what they grant is unknown',
    ]);
    expect(none.stderr.split('\n').filter((l) => l.includes('not in the input'))).toHaveLength(1);
    // A binding without subjects is not evaluated by no check (it grants no one anything): the warning names it alone.
    const lone = join(dir, 'lone.yaml');
    writeFileSync(lone, `${INPUT}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: nobody, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}\n`);
    const partial = JSON.parse((await runCli(['rbac', 'risks', lone, '--checks', 'rbac-secrets-read', '--format', 'json', '--fail-on', 'none'])).stdout) as Report;
    expect([partial.notEvaluated.length, partial.problems.filter((p) => p.code === 'rbac-missing-role').map((p) => p.message)]).toEqual([
      2,
      ['RoleBinding shop/nobody references Role gone, which is not in the input; what it grants is unknown'],
    ]);
    // With rbac-missing-role, its finding says it: no warning.
    const all = JSON.parse((await runCli(['rbac', 'risks', lone, '--format', 'json', '--fail-on', 'none'])).stdout) as Report;
    expect([all.findings.filter((f) => f.checkId === 'rbac-missing-role').length, all.problems]).toEqual([3, []]);
  });
  it('paths: not evaluated for those bindings, never "no escalation path found"; --fail-on-not-evaluated fails', async () => {
    const j = JSON.parse((await runCli(['rbac', 'paths', file, '--format', 'json', '--fail-on', 'none'])).stdout) as { notEvaluated: { checkId?: string; reason: string; message: string }[] };
    expect(j.notEvaluated.map((n) => n.reason)).toEqual(['missing-input', 'missing-input']);
    expect(j.notEvaluated.some((n) => n.message.includes('ClusterRoleBinding ops-elsewhere') && n.message.includes('which is not in the input'))).toBe(true);
    const t = await runCli(['rbac', 'paths', file, '--fail-on', 'none']);
    expect(t.code).toBe(0);
    expect(t.stdout).not.toContain('no escalation path found');
    expect((await runCli(['rbac', 'paths', file, '--fail-on', 'none', '--fail-on-not-evaluated'])).code).toBe(1);
  });
  it('scan: the danger checks say not evaluated for those bindings instead of passing them', async () => {
    const r = await runCli(['scan', file, '--format', 'json']);
    const j = JSON.parse(r.stdout) as { notEvaluated: { checkId?: string; reason: string; message: string }[]; results: { id: string; outcome: string }[] };
    const unknown = j.notEvaluated.filter((n) => n.message.includes('which is not in the input'));
    expect(unknown.map((n) => [n.checkId, n.reason])).toEqual([
      [undefined, 'missing-input'],
      [undefined, 'missing-input'],
    ]);
    expect(j.results.find((x) => x.id === 'rbac-secrets-read')?.outcome).toBe('not-evaluated');
  });
});

describe('the missing role is said once', () => {
  it.each([
    ['can-i', ['rbac', 'can-i', 'delete', 'nodes', '--as', 'olga']],
    ['who-can', ['rbac', 'who-can', 'get', 'secrets', '-n', 'shop']],
    ['access', ['rbac', 'access', 'olga']],
  ])('%s: in the answer, not again on stderr', async (_name, args) => {
    const r = await runCli([...args, '-i', file]);
    expect(r.code).toBe(2);
    const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('ClusterRole ops-tools'));
    expect(lines.length, `${r.stdout}\n${r.stderr}`).toBeGreaterThan(0);
    expect(r.stderr, 'stderr repeats what the answer says').not.toContain('ops-tools');
  });
  it('with -o FILE the terminal still hears of it', async () => {
    const r = await runCli(['rbac', 'can-i', 'delete', 'nodes', '--as', 'olga', '-i', file, '-o', join(dir, 'answer.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.includes('ops-tools'))).toHaveLength(1);
  });
});

describe('RBAC objects the RBAC engine cannot read (built CLI)', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kspect-rbac-invalid-'));
    file = join(dir, 'rbac.yaml');
    writeFileSync(file, `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ns}
rules: "everything"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: ns}
subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec: {containers: [{name: c, image: nginx:1.27}]}
`);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('scan reports them as rbac risks does — input errors, exit 2 (0 with --allow-invalid) — whatever checks run', async () => {
    const errors = (r: Report): string[] => r.problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.line ?? ''} ${p.message}`);
    const risks = await runCli(['rbac', 'risks', file, '--format', 'json']);
    const expected = errors(JSON.parse(risks.stdout) as Report);
    expect(expected).toEqual([
      'rbac-invalid-rule 4 Role ns/r rules: rules must be a list',
      'rbac-invalid-binding 6 RoleBinding ns/b roleRef: roleRef is required; the binding grants nothing',
    ]);
    expect(risks.code).toBe(2);
    for (const args of [[], ['--checks', 'pod-privileged'], ['--format', 'html']]) {
      const scan = await runCli(['scan', file, ...(args[0] === '--format' ? ['-o', join(dir, 'r.html')] : []), ...args, ...(args[0] === '--format' ? [] : ['--format', 'json'])]);
      expect(scan.code).toBe(2);
      expect(scan.stderr).toContain('Role ns/r rules: rules must be a list');
      if (args[0] !== '--format') expect(errors(JSON.parse(scan.stdout) as Report)).toEqual(expected);
    }
    expect((await runCli(['scan', file, '--allow-invalid'])).code).toBe(0);
  });
});
