/** End-to-end tests of `kspect rbac …` and of the rbac-* checks in `kspect scan`, spawning the built CLI. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { FORMATS } from '../src/reporters/index.js';

const SECRET = 'kspect-planted-secret-Rb4cQ8nM2';
const SECRET_B64 = Buffer.from(SECRET).toString('base64');

const CLUSTER = `apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: dev}
---
apiVersion: v1
kind: Secret
metadata:
  name: builder-token
  namespace: dev
  annotations: {kubernetes.io/service-account.name: builder}
type: kubernetes.io/service-account-token
data: {token: ${SECRET_B64}}
stringData: {extra: ${SECRET}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-maker}
rules:
  - {apiGroups: [""], resources: ["pods"], verbs: ["create", "get"]}
  - {apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["builder-token"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dana-pods, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dana}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: builder-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: builder, namespace: dev}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-view, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}]
`;

const BROKEN = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: typo}
rulez: []
`;

let dir = '';
let file = '';
let broken = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-rbac-'));
  file = join(dir, 'cluster.yaml');
  broken = join(dir, 'broken.yaml');
  writeFileSync(file, CLUSTER);
  writeFileSync(broken, BROKEN);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kspect rbac can-i', () => {
  it('yes: exit 0 with the binding, role and rule', async () => {
    const r = await runCli(['rbac', 'can-i', 'create', 'pods', '-n', 'dev', '--as', 'dana', '-i', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^yes\n/);
    expect(r.stdout).toContain('RoleBinding dev/dana-pods → ClusterRole pod-maker rules[0]: create,get pods');
    expect(r.stdout).toMatch(/cluster\.yaml:\d+/);
  });
  it('no: exit 1 and why, with the namespaces where it would be allowed', async () => {
    const r = await runCli(['rbac', 'can-i', 'create', 'pods', '-n', 'prod', '--as', 'dana', '-i', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^no\n/);
    expect(r.stdout).toContain('allowed in namespace dev');
  });
  it('service accounts, groups and default roles (view, with aggregation)', async () => {
    expect((await runCli(['rbac', 'can-i', 'delete', 'nodes', '--as', 'system:serviceaccount:dev:builder', '-i', file])).code).toBe(0);
    expect((await runCli(['rbac', 'can-i', 'list', 'deployments.apps', '-n', 'dev', '--as', 'erin', '--as-group', 'devs', '-i', file])).code).toBe(0);
    expect((await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'dev', '--as', 'erin', '--as-group', 'devs', '-i', file])).code).toBe(1);
    expect((await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'dev', '--as', 'dana', '--name', 'builder-token', '-i', file])).code).toBe(0);
    expect((await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'dev', '--as', 'dana', '-i', file])).code).toBe(1);
    expect((await runCli(['rbac', 'can-i', 'get', '/healthz', '--as', 'system:anonymous', '-i', file, '--with-defaults'])).code).toBe(0);
    expect((await runCli(['rbac', 'can-i', 'get', '/healthz', '--as', 'system:anonymous', '-i', file])).code).toBe(1);
  });
  it('a system:serviceaccount: name that is not a valid service account is a plain user, not an error', async () => {
    for (const as of ['system:serviceaccount:Dev:builder', 'system:serviceaccount:dev:builder:x', 'system:serviceaccount:dev']) {
      const r = await runCli(['rbac', 'can-i', 'delete', 'nodes', '--as', as, '-i', file, '--format', 'json']);
      expect([r.code, r.stderr], as).toEqual([1, '']);
      expect((JSON.parse(r.stdout) as { groups: string[] }).groups, as).toEqual(['system:authenticated']);
    }
    expect((await runCli(['rbac', 'can-i', 'delete', 'nodes', '--as', 'system:serviceaccount:dev:builder', '-i', file])).code).toBe(0);
  });
  it('--format json and --quiet', async () => {
    const r = await runCli(['rbac', 'can-i', 'create', 'pods', '-n', 'dev', '--as', 'dana', '-i', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { allowed: boolean; groups: string[]; grants: { binding: { name: string }; ruleIndex: number }[] };
    expect(j.allowed).toBe(true);
    expect(j.groups).toEqual(['system:authenticated']);
    expect(j.grants.map((g) => [g.binding.name, g.ruleIndex])).toEqual([['dana-pods', 0]]);
    const q = await runCli(['rbac', 'can-i', 'create', 'pods', '-n', 'prod', '--as', 'dana', '-i', file, '-q']);
    expect([q.code, q.stdout]).toEqual([1, '']);
  });
  it('reads stdin with -i -', async () => {
    const r = await runCli(['rbac', 'can-i', 'create', 'pods', '-n', 'dev', '--as', 'dana', '-i', '-'], { stdin: CLUSTER });
    expect(r.code).toBe(0);
  });
  it('usage errors: one line, exit 2', async () => {
    for (const args of [
      ['rbac', 'can-i', 'get', 'pods', '-i', file],
      ['rbac', 'can-i', 'get', '-i', file, '--as', 'x'],
      ['rbac', 'can-i', 'get', 'pods', '--as', 'x'],
      ['rbac', 'nope'],
      ['rbac', 'who-can', 'get', 'pods', '-i', file, '--format', 'dot'],
      ['rbac', 'can-i', 'get', 'pods', '--as-group', 'g', '-i', file],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^kspect: /);
    }
  });
  it('bad input: a one-line error naming file and line, the rest still answered, exit 2', async () => {
    const r = await runCli(['rbac', 'can-i', 'create', 'pods', '-n', 'dev', '--as', 'dana', '-i', file, '-i', broken]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^yes/);
    expect(r.stderr).toMatch(/broken\.yaml:4:\d+: ClusterRole typo rulez: unknown field "rulez"/);
    expect((await runCli(['rbac', 'can-i', 'create', 'pods', '-n', 'dev', '--as', 'dana', '-i', file, '-i', broken, '--allow-invalid'])).code).toBe(0);
  });
  it('--help', async () => {
    const r = await runCli(['rbac', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('who-can');
  });
});

describe('kspect rbac who-can, access, risks, paths', () => {
  it('who-can lists subjects with scope and path, and system:masters', async () => {
    const r = await runCli(['rbac', 'who-can', 'create', 'pods', '-i', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ServiceAccount dev/builder');
    expect(r.stdout).toMatch(/User dana\s+dev\s+RoleBinding dev\/dana-pods/);
    expect(r.stdout).toContain('Group system:masters');
    const j = JSON.parse((await runCli(['rbac', 'who-can', 'create', 'pods', '-n', 'prod', '-i', file, '--format', 'json'])).stdout) as { subjects: { subject: { name: string }; scope: string }[] };
    expect(j.subjects.map((s) => `${s.subject.name}@${s.scope}`)).toEqual(['builder@cluster']);
  });
  it('access shows what a subject can do, per scope', async () => {
    const r = await runCli(['rbac', 'access', 'dana', '-i', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Namespace dev');
    expect(r.stdout).toMatch(/pods\s+\[\]\s+\[create get\]/);
    expect(r.stdout).toMatch(/secrets\s+\[builder-token\]\s+\[get\]/);
    const j = JSON.parse((await runCli(['rbac', 'access', 'group:devs', '-i', file, '--format', 'json'])).stdout) as { scopes: { scope: string; rules: unknown[] }[] };
    expect(j.scopes.find((s) => s.scope === 'dev')?.rules.length).toBeGreaterThan(10);
  });
  it('risks: the one Report of the rbac checks, gated like scan (default --fail-on high)', async () => {
    const r = await runCli(['rbac', 'risks', file]);
    expect(r.code).toBe(1);
    // The table states a binding's subjects once, then each finding on one line without its check's fixed text.
    expect(r.stdout).toMatch(/ClusterRoleBinding builder-admin .*\n {2}ServiceAccount dev\/builder can:\n {2}:\d+ +CRITICAL rbac-cluster-admin-binding +cluster-wide, through ClusterRole cluster-admin rules\[0\]/);
    expect(r.stdout).toMatch(/RoleBinding dev\/dana-pods .*\n {2}User dana can:\n {2}:\d+ +MEDIUM +rbac-pod-create +in namespace dev, through ClusterRole pod-maker rules\[0\] \(create,get pods\)\n/);
    // Every other format keeps each finding's whole message.
    const md = (await runCli(['rbac', 'risks', file, '-f', 'markdown', '--fail-on', 'none'])).stdout;
    expect(md).toContain('ServiceAccount dev/builder can do everything');
    expect((await runCli(['rbac', 'risks', file, '--fail-on', 'none'])).code).toBe(0);
    const j = JSON.parse((await runCli(['rbac', 'risks', file, '--format', 'json'])).stdout) as { schemaVersion: number; findings: { checkId: string; resource: { kind: string; name: string } }[] };
    expect(j.schemaVersion).toBe(3);
    expect(j.findings.map((f) => `${f.checkId} ${f.resource.kind}/${f.resource.name}`)).toEqual(['rbac-pod-create RoleBinding/dana-pods', 'rbac-cluster-admin-binding ClusterRoleBinding/builder-admin']);
    for (const format of FORMATS) expect((await runCli(['rbac', 'risks', file, '-f', format, '--fail-on', 'none'])).code, format).toBe(0);
  });
  it('paths: a Report of rbac-escalation-path; dot and mermaid draw the graph', async () => {
    const t = await runCli(['rbac', 'paths', file]);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/User dana\s+\S*cluster\.yaml/);
    expect(t.stdout).toContain('rbac-escalation-path');
    const j = JSON.parse((await runCli(['rbac', 'paths', file, '--from', 'dana', '--format', 'json'])).stdout) as { findings: { checkId: string; message: string; resource: { kind: string; name: string } }[] };
    expect(j.findings.map((f) => `${f.checkId} ${f.resource.kind}/${f.resource.name}`)).toEqual(['rbac-escalation-path User/dana']);
    expect(j.findings[0]?.message).toBe('User dana can become cluster-admin in 2 steps: (1) read token Secret dev/builder-token of builder (RoleBinding dev/dana-pods → ClusterRole pod-maker rules[1]) ⇒ ServiceAccount dev/builder; (2) already cluster-admin equivalent ⇒ cluster-admin');
    expect(JSON.parse((await runCli(['rbac', 'paths', file, '--from', 'erin', '-f', 'json'])).stdout)).toMatchObject({ findings: [] });
    const dot = await runCli(['rbac', 'paths', file, '--format', 'dot']);
    expect(dot.stdout).toMatch(/^digraph escalation \{/);
    expect(dot.stdout).toContain('"User:dana" -> "ServiceAccount:dev/builder" [label="read-token-secret"]');
    const mm = await runCli(['rbac', 'paths', file, '--format', 'mermaid']);
    expect(mm.stdout).toMatch(/^flowchart LR\n/);
    expect(mm.stdout).toContain('-->|read-token-secret|');
  });
  it('rbac leaves V8 heap growth as it is (what it reads is held to the end); scan collects early', async () => {
    const spy = { nodeArgs: ['--import', pathToFileURL(join(REPO_ROOT, 'test/support/v8-flags-spy.js')).href] };
    for (const args of [['rbac', 'risks', file], ['rbac', 'paths', file], ['rbac', 'can-i', 'get', 'pods', '--as', 'dana', file]]) {
      const r = await runCli(args, spy);
      expect(r.stderr, args.join(' ')).toContain('v8 flags set: []');
    }
    const scan = await runCli(['scan', file], spy);
    expect(scan.stderr).toContain('v8 flags set: ["--heap-growing-percent=50"]');
    // A cluster alone is held to the end (as rbac's input is): V8's growth is left as it is. Nothing listens on port 1.
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
    const live = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--request-timeout', '5s'], spy);
    expect(live.code).toBe(2);
    expect(live.stderr).toContain('v8 flags set: []');
  });

  it('old spellings fail with one line naming the new one', async () => {
    const f = await runCli(['rbac', 'risks', '-f', file]);
    expect([f.code, f.stdout]).toEqual([2, '']);
    expect(f.stderr).toBe(`kspect: -f is the format now (table, json, sarif, junit, markdown, html, policyreport); give inputs as positional paths (or -i ${file} where the arguments are a query)\n`);
    const o = await runCli(['rbac', 'who-can', 'get', 'pods', '-i', file, '-o', 'json']);
    expect([o.code, o.stderr]).toEqual([2, 'kspect: -o is the output file now; for the json format use -f json (to write a file named "json", give -o ./json)\n']);
  });
});

describe('scan reports rbac findings', () => {
  it('on examples/insecure, alongside workload findings', async () => {
    const r = await runCli(['scan', 'examples/insecure', '--format', 'json']);
    const j = JSON.parse(r.stdout) as { findings: { checkId: string }[] };
    const ids = new Set(j.findings.map((f) => f.checkId));
    expect(ids.has('rbac-cluster-admin-binding')).toBe(true);
    expect(ids.has('rbac-secrets-read')).toBe(true);
    expect(ids.has('rbac-anonymous-access')).toBe(true);
    expect([...ids].some((id) => !id.startsWith('rbac-'))).toBe(true);
  });
});

describe('secrets stay secret', () => {
  it('no output of any rbac command or format contains a planted secret', async () => {
    const runs: string[][] = [
      ['rbac', 'can-i', 'get', 'secrets', '-n', 'dev', '--as', 'dana', '--name', 'builder-token'],
      ['rbac', 'who-can', 'get', 'secrets'],
      ['rbac', 'access', 'system:serviceaccount:dev:builder'],
      ['rbac', 'risks', file],
      ['rbac', 'paths', file],
    ];
    for (const args of runs) {
      const judging = args[1] === 'paths' || args[1] === 'risks';
      for (const format of args[1] === 'paths' ? [...FORMATS, 'dot', 'mermaid'] : judging ? FORMATS : ['table', 'json']) {
        const r = await runCli([...args, ...(judging ? [] : ['-i', file]), '--format', format]);
        for (const out of [r.stdout, r.stderr]) {
          expect(out).not.toContain(SECRET);
          expect(out).not.toContain(SECRET_B64);
        }
      }
    }
    const scan = await runCli(['scan', file, '--format', 'json']);
    expect(scan.stdout).not.toContain(SECRET);
    expect(scan.stdout).not.toContain(SECRET_B64);
  });
});
