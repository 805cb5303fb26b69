/**
 * One runner, one Report: a single `.kspect.yaml` (severity overrides and exemptions) and a single baseline file are
 * applied to every judging command — scan, pss check, rbac risks, rbac paths, netpol check, pki check, node, images
 * verify and (on
 * the testbed's etcd) etcd check and probe — and each behaves the same way: the override sets the severity, the exemption moves
 * findings to `suppressed` (by config), the baseline moves the accepted finding there (by baseline), nothing is
 * lost (findings + suppressed of the configured run = findings of the plain run), `--fail-on none` reports only,
 * and `--fail-on-not-evaluated` fails exactly when something was not evaluated (manual controls aside). Every check
 * id any of them prints is one `kspect explain` knows.
 */
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { findBinaries, startEtcd, TestCA, testbedUnavailable, type Etcd } from './testbed/testbed.js';

interface Finding {
  checkId: string;
  severity: string;
  fingerprint: string;
  alsoReportedBy?: string[];
}
interface Report {
  summary: { findings: number; suppressed: number; notEvaluated: number; manual?: number };
  findings: Finding[];
  suppressed: { finding: Finding; by: string; reason: string }[];
  notEvaluated: { checkId?: string; reason: string }[];
  results: { id: string; outcome: string; findings: number; suppressed: number }[];
}

const WORKLOAD = `apiVersion: v1
kind: Pod
metadata: {name: priv, namespace: shop}
spec:
  hostPID: true
  containers:
    - name: app
      image: nginx
      securityContext: {privileged: true}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: nginx:1.27
`;

const RBAC = `apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: dev}
---
apiVersion: v1
kind: Secret
metadata: {name: builder-token, namespace: dev, annotations: {kubernetes.io/service-account.name: builder}}
type: kubernetes.io/service-account-token
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
kind: ClusterRole
metadata: {name: impersonator}
rules:
  - {apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: erin-impersonates}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: erin}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-nowhere, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: not-in-the-input}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: frank}]
`;

/** Each judging command, its input, the check whose severity the config lowers and the check it exempts. */
interface Case {
  readonly name: string;
  readonly args: () => string[];
  readonly override: string;
  readonly exempt?: string;
}

const NODE_ROOT = fileURLToPath(new URL('../examples/node', import.meta.url));
let dir = '';
let etcd: Etcd | undefined;
const skipEtcd = testbedUnavailable();

const CASES: Case[] = [
  { name: 'scan', args: () => ['scan', 'workload.yaml'], override: 'image-latest-tag', exempt: 'pod-resources-missing' },
  { name: 'pss check', args: () => ['pss', 'check', 'workload.yaml'], override: 'pss-restricted' },
  { name: 'rbac risks', args: () => ['rbac', 'risks', 'rbac.yaml'], override: 'rbac-cluster-admin-binding', exempt: 'rbac-pod-create' },
  { name: 'rbac paths', args: () => ['rbac', 'paths', 'rbac.yaml'], override: 'rbac-escalation-path' },
  { name: 'netpol check', args: () => ['netpol', 'check', 'workload.yaml'], override: 'netpol-ingress-unisolated', exempt: 'netpol-egress-unrestricted-token' },
  { name: 'pki check', args: () => ['pki', 'check', 'pki'], override: 'pki-key-permissions', exempt: 'cert-identity' },
  { name: 'node', args: () => ['node', '--root', NODE_ROOT], override: 'kubelet-anonymous-auth', exempt: 'pki-private-key-permissions' },
  // Offline: image-signature is not evaluated (no registry), image-latest-tag is found (the override scan shares).
  { name: 'images verify', args: () => ['images', 'verify', 'workload.yaml', '--key', 'cosign.pub'], override: 'image-latest-tag' },
  ...(skipEtcd === undefined
    ? [
        { name: 'etcd check', args: () => ['etcd', 'check', '--endpoints', etcd?.endpoint ?? ''], override: 'etcd-client-plaintext', exempt: 'etcd-client-cert-auth-disabled' },
        // The exposure probe, against the same etcd's plain-HTTP client listener.
        { name: 'probe', args: () => ['probe', new URL(etcd?.endpoint ?? 'http://127.0.0.1:1').host], override: 'etcd-metrics-unauthenticated', exempt: 'etcd-client-cert-auth-disabled' },
      ]
    : []),
];

const plain = new Map<string, Report>();
const baselined = new Map<string, Finding>();

async function json(args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runCli([...args, '-f', 'json'], { cwd: dir });
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-one-report-'));
  writeFileSync(join(dir, 'workload.yaml'), WORKLOAD);
  writeFileSync(join(dir, 'rbac.yaml'), RBAC);
  writeFileSync(join(dir, 'cosign.pub'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
  cpSync(new URL('../examples/pki/etc-kubernetes/pki', import.meta.url), join(dir, 'pki'), { recursive: true });
  if (skipEtcd === undefined) {
    const bins = findBinaries();
    if (!bins) throw new Error('testbed binaries missing');
    // etcd on plain HTTP, without client-certificate auth: kspect etcd check finds both.
    etcd = await startEtcd(bins, dir, new TestCA(dir), { plaintext: true, metricsListener: false });
  }
  // The plain runs: what each command finds without configuration. The accepted finding of each is one no
  // exemption touches and that restates no other check's finding.
  const exempted = new Set(CASES.map((c) => c.exempt));
  for (const c of CASES) {
    const { report } = await json([...c.args(), '--fail-on', 'none']);
    plain.set(c.name, report);
    const free = report.findings.filter((f) => !exempted.has(f.checkId) && f.alsoReportedBy === undefined);
    const accepted = free.find((f) => f.checkId !== c.override) ?? free[0];
    if (accepted) baselined.set(c.name, accepted);
  }
  // One configuration and one baseline for every command.
  const severity = [...new Set(CASES.map((c) => c.override))].map((id) => `  ${id}: low`).join('\n');
  const exempt = [...new Set(CASES.flatMap((c) => (c.exempt !== undefined ? [c.exempt] : [])))];
  writeFileSync(join(dir, '.kspect.yaml'), `severity:\n${severity}\nexemptions:\n  - checks: [${exempt.join(', ')}]\n    reason: accepted for the cross-command test\n`);
  writeFileSync(join(dir, 'baseline.json'), JSON.stringify({ baselineVersion: 1, entries: [...baselined.values()].map((f) => ({ fingerprint: f.fingerprint, checkId: f.checkId })) }));
}, 180_000);

afterAll(async () => {
  await etcd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('one configuration and one baseline, applied by every judging command alike', () => {
  if (skipEtcd !== undefined) it.skip(`etcd check (${skipEtcd})`, () => undefined);
  for (const c of CASES) {
    describe(c.name, () => {
      it('the plain run has something to override, exempt and accept', () => {
        const r0 = plain.get(c.name);
        expect(r0).toBeDefined();
        const ids = new Set(r0?.findings.map((f) => f.checkId));
        expect(ids.has(c.override), `${c.override} in ${[...ids].join(', ')}`).toBe(true);
        if (c.exempt !== undefined) expect(ids.has(c.exempt), c.exempt).toBe(true);
        expect(r0?.findings.filter((f) => f.checkId === c.override).every((f) => f.severity !== 'low')).toBe(true);
        expect(baselined.get(c.name)).toBeDefined();
      });

      it('severity override, exemption and baseline behave as in scan; nothing is lost', async () => {
        const r0 = plain.get(c.name) as Report;
        const { report: r1 } = await json([...c.args(), '--baseline', 'baseline.json', '--fail-on', 'none']);
        const all = [...r1.findings, ...r1.suppressed.map((s) => s.finding)];
        // Override: every finding of the check, reported or suppressed, at the configured severity.
        const overridden = all.filter((f) => f.checkId === c.override);
        expect(overridden.length).toBe(r0.findings.filter((f) => f.checkId === c.override).length);
        expect(new Set(overridden.map((f) => f.severity))).toEqual(new Set(['low']));
        // Exemption: the exempted check's findings are suppressed by config, each with its reason.
        if (c.exempt !== undefined) {
          expect(r1.findings.filter((f) => f.checkId === c.exempt)).toEqual([]);
          const byConfig = r1.suppressed.filter((s) => s.finding.checkId === c.exempt);
          expect(byConfig.length).toBe(r0.findings.filter((f) => f.checkId === c.exempt).length);
          expect(new Set(byConfig.map((s) => `${s.by}: ${s.reason}`))).toEqual(new Set(['config: accepted for the cross-command test']));
        }
        // Baseline: the accepted finding is suppressed by the baseline, not reported.
        const accepted = baselined.get(c.name) as Finding;
        expect(r1.findings.map((f) => f.fingerprint)).not.toContain(accepted.fingerprint);
        expect(r1.suppressed.filter((s) => s.finding.fingerprint === accepted.fingerprint).map((s) => s.by)).toEqual(['baseline']);
        // Nothing lost, nothing invented; the summary and the per-check results agree. A Pod Security finding the
        // plain run folded into a specific finding shows up on its own once suppressed (scan only).
        const r0fps = new Set(r0.findings.map((f) => f.fingerprint));
        const unfolded = r1.suppressed.filter((x) => !r0fps.has(x.finding.fingerprint));
        for (const x of unfolded) expect(r0.findings.some((f) => f.alsoReportedBy?.includes(x.finding.checkId)), x.finding.checkId).toBe(true);
        expect(r1.summary.findings + r1.summary.suppressed - unfolded.length).toBe(r0.summary.findings);
        expect(r1.summary.suppressed).toBe(r1.suppressed.length);
        expect(r1.summary.notEvaluated).toBe(r0.summary.notEvaluated);
        for (const res of r1.results) {
          expect(res.findings, res.id).toBe(r1.findings.filter((f) => f.checkId === res.id).length);
          expect(res.suppressed, res.id).toBe(r1.suppressed.filter((s) => s.finding.checkId === res.id).length);
        }
        if (c.exempt !== undefined) expect(r1.results.find((x) => x.id === c.exempt)?.outcome).toBe('fail');
      });

      it('--fail-on and --fail-on-not-evaluated gate alike', async () => {
        const r0 = plain.get(c.name) as Report;
        const config = ['--baseline', 'baseline.json'];
        expect((await runCli([...c.args(), ...config, '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
        const { report: r1 } = await json([...c.args(), ...config, '--fail-on', 'none']);
        const low = await runCli([...c.args(), ...config, '--fail-on', 'low'], { cwd: dir });
        expect(low.code).toBe(r1.findings.some((f) => f.severity !== 'info') ? 1 : 0);
        const info = await runCli([...c.args(), ...config, '--fail-on', 'info'], { cwd: dir });
        expect(info.code).toBe(r1.findings.length > 0 ? 1 : 0);
        const ne = await runCli([...c.args(), ...config, '--fail-on', 'none', '--fail-on-not-evaluated'], { cwd: dir });
        // Manual controls (node) are not evaluated by design and do not count; anything else does.
        expect(ne.code).toBe(r0.notEvaluated.some((n) => n.reason !== 'manual') ? 1 : 0);
        expect(r0.summary.manual).toBe(r0.notEvaluated.filter((n) => n.reason === 'manual').length);
      });
    });
  }

  it('every check id any command printed is one kspect explain knows', async () => {
    const known = new Set((JSON.parse((await runCli(['checks', '-f', 'json'])).stdout) as { id: string }[]).map((c) => c.id));
    const printed = new Set([...plain.values()].flatMap((r) => [...r.findings.map((f) => f.checkId), ...r.findings.flatMap((f) => f.alsoReportedBy ?? []), ...r.notEvaluated.flatMap((n) => (n.checkId !== undefined ? [n.checkId] : []))]));
    expect(printed.size).toBeGreaterThan(30);
    expect([...printed].filter((id) => !known.has(id))).toEqual([]);
  });

  it('manual accounting is exercised: node lists manual controls, and --fail-on-not-evaluated ignores them', () => {
    const r0 = plain.get('node') as Report;
    expect(r0.summary.manual).toBeGreaterThan(0);
  });

  it('not-evaluated accounting is exercised: rbac risks cannot judge a binding to a role not in the input', () => {
    const r0 = plain.get('rbac risks') as Report;
    expect(r0.notEvaluated.length).toBeGreaterThan(0);
  });
});
