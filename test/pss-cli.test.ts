/** End-to-end tests of `kspect pss check` and of the PSS checks in `kspect scan`, spawning the built CLI. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../src/reporters/index.js';
import { parseReport, runCli } from './support/cli.js';

const SECRET = 'kspect-planted-secret-Zq9xW2vT7';

const DENIED = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostPID: true
      containers:
        - name: web
          image: nginx:1.27
          env:
            - {name: DB_PASSWORD, value: ${SECRET}}
          securityContext:
            privileged: true
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: ${SECRET}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
`;

const ALLOWED = `apiVersion: v1
kind: Pod
metadata: {name: ok, namespace: shop}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-pss-'));
  writeFileSync(join(dir, 'denied.yaml'), DENIED);
  writeFileSync(join(dir, 'allowed.yaml'), ALLOWED);
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\nspec: [\n');
  writeFileSync(join(dir, 'wrongtype.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  hostPID: "true"\n  containers: [{name: a, image: x}]\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Finding {
  checkId: string;
  severity: string;
  path: string;
  message: string;
  references: { pss: string[] };
  resource: { kind: string; namespace?: string; name: string };
  location: { file: string; line: number };
}

describe('kspect pss check', () => {
  it('reports every violated control of each denied object as a finding of the one Report, and exits 1', async () => {
    const r = await runCli(['pss', 'check', '--level', 'baseline', 'denied.yaml', 'allowed.yaml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Deployment shop/web  denied.yaml');
    expect(r.stdout).toMatch(/:18\s+HIGH\s+pss-baseline\s+hostNamespaces \(Host Namespaces\): /);
    expect(r.stdout).toMatch(/:25\s+HIGH\s+pss-baseline\s+privileged \(Privileged Containers\): /);
    expect(r.stdout).not.toContain('Pod shop/ok');
    expect(r.stdout).toContain('baseline:latest (v1.37): 2 objects, 1 allowed, 1 denied');
  });

  it('the level asked for applies to every object, whatever its namespace labels say', async () => {
    const r = await runCli(['pss', 'check', '--level', 'restricted', '--version', 'v1.24', '--format', 'json', 'denied.yaml', 'allowed.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = parseReport(r.stdout) as unknown as { findings: Finding[] };
    expect(report.findings.map((f) => [f.checkId, f.references.pss[0], f.resource.name, f.location.file])).toEqual([
      ['pss-restricted', 'runAsNonRoot', 'web', 'denied.yaml'],
      ['pss-restricted', 'seccompProfile_restricted', 'web', 'denied.yaml'],
      ['pss-baseline', 'hostNamespaces', 'web', 'denied.yaml'],
      ['pss-restricted', 'allowPrivilegeEscalation', 'web', 'denied.yaml'],
      ['pss-restricted', 'capabilities_restricted', 'web', 'denied.yaml'],
      ['pss-baseline', 'privileged', 'web', 'denied.yaml'],
    ]);
    expect(report.findings.find((f) => f.references.pss[0] === 'privileged')?.path).toBe('spec.template.spec.containers[0].securityContext.privileged');
    expect(report.findings[0]?.message).toContain('restricted:v1.24');
  });

  it('exits 0 when everything is allowed, and reads stdin', async () => {
    const r = await runCli(['pss', 'check', '-'], { stdin: ALLOWED });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('restricted:latest (v1.37): 1 object, 1 allowed, 0 denied');
    const p = await runCli(['pss', 'check', '--level', 'privileged', 'denied.yaml'], { cwd: dir });
    expect(p.code).toBe(0);
    expect((await runCli(['pss', 'check', 'denied.yaml', '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
  });

  it('evaluates latest at the API server version given (1.30, v1.30 and 1.30.2 alike)', async () => {
    for (const v of ['1.30', 'v1.30', '1.30.2']) {
      const r = await runCli(['pss', 'check', '--k8s-version', v, 'denied.yaml', '--fail-on', 'none'], { cwd: dir });
      expect(r.stdout, v).toContain('restricted:latest (v1.30): 1 object, 0 allowed, 1 denied');
    }
  });

  it.each([
    [['pss', 'check', '--level', 'strict', 'x.yaml'], 'kspect: --level must be one of privileged, baseline, restricted\n'],
    [['pss', 'check', '--version', 'v1.07', 'x.yaml'], 'kspect: --version must be latest or v1.N (e.g. v1.30)\n'],
    [['pss', 'check', '--format', 'xml', 'x.yaml'], 'kspect: --format must be one of table, json, sarif, junit, markdown, html, policyreport\n'],
    [['pss', 'check', 'x.yaml', '-o', 'sarif'], 'kspect: -o is the output file now; for the sarif format use -f sarif (to write a file named "sarif", give -o ./sarif)\n'],
    [['pss', 'check'], 'kspect: pss check needs at least one PATH (or - for stdin), or --cluster\n'],
    [['pss', 'verify'], 'kspect: unknown pss subcommand "verify" (try: kspect pss check --help)\n'],
  ])('rejects bad usage %j with one line and exit 2', async (args, stderr) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(stderr);
    expect(r.stdout).toBe('');
  });

  it('has help', async () => {
    const r = await runCli(['pss', 'check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kspect pss check');
    expect((await runCli(['pss'])).code).toBe(2);
    expect((await runCli(['--help'])).stdout).toContain('pss ');
  });

  it('still judges the readable files when one is broken, names it, and exits 2', async () => {
    const r = await runCli(['pss', 'check', 'broken.yaml', 'allowed.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kspect: broken\.yaml:\d+(:\d+)?: .+\n$/);
    expect(r.stdout).toContain('1 object, 1 allowed, 0 denied');
  });

  it('treats fields of the wrong type as bad input', async () => {
    const r = await runCli(['pss', 'check', 'wrongtype.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kspect: wrongtype.yaml:5:3: Pod w: spec.hostPID must be a boolean; the API server would reject this object\n');
    const j = await runCli(['pss', 'check', '--format', 'json', 'wrongtype.yaml'], { cwd: dir });
    expect(j.code).toBe(2);
    expect((JSON.parse(j.stdout) as { problems: { code: string }[] }).problems.map((p) => p.code)).toEqual(['pss-malformed']);
  });
});

describe('Pod Security in kspect scan', () => {
  it('judges each workload at its namespace labels and references the violated control', async () => {
    const r = await runCli(['scan', '--checks', 'pss-baseline,pss-restricted', '--format', 'json', 'denied.yaml', 'allowed.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = parseReport(r.stdout) as unknown as { findings: { checkId: string; severity: string; path: string; message: string; references: { pss: string[] }; location: { line: number } }[] };
    // shop enforces baseline: only baseline controls, nothing from restricted.
    expect(report.findings.map((f) => [f.checkId, f.severity, f.references.pss, f.path, f.location.line])).toEqual([
      ['pss-baseline', 'high', ['hostNamespaces'], 'spec.template.spec.hostPID', 18],
      ['pss-baseline', 'high', ['privileged'], 'spec.template.spec.containers[0].securityContext.privileged', 25],
    ]);
    expect(report.findings[0]?.message).toContain('denied by PodSecurity "baseline:latest (v1.37)" (from the labels of namespace "shop")');
  });

  it('uses --pss-level for objects whose namespace is not in the input', async () => {
    const text = DENIED.split('---\n').slice(1).join('---\n');
    const r = await runCli(['scan', '-', '--checks', 'pss-baseline,pss-restricted', '--pss-level', 'restricted', '--format', 'json'], { stdin: text });
    const report = parseReport(r.stdout) as unknown as { findings: { checkId: string; references: { pss: string[] } }[] };
    expect(report.findings.map((f) => `${f.checkId}:${f.references.pss.join()}`)).toEqual([
      'pss-restricted:runAsNonRoot',
      'pss-restricted:seccompProfile_restricted',
      'pss-baseline:hostNamespaces',
      'pss-restricted:allowPrivilegeEscalation',
      'pss-restricted:capabilities_restricted',
      'pss-baseline:privileged',
    ]);
    const baseline = await runCli(['scan', '-', '--checks', 'pss-restricted', '--pss-level', 'baseline', '--format', 'json'], { stdin: text });
    expect((JSON.parse(baseline.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });
});

describe('Pod Security defaults from .kspect.yaml', () => {
  it('takes the default level from the configuration file', async () => {
    const cfgDir = mkdtempSync(join(tmpdir(), 'kspect-pss-cfg-'));
    try {
      writeFileSync(join(cfgDir, '.kspect.yaml'), 'pss:\n  level: baseline\n  version: v1.30\n');
      writeFileSync(join(cfgDir, 'root.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: root}\nspec:\n  containers: [{name: a, image: x, securityContext: {runAsUser: 0}}]\n');
      const r = await runCli(['scan', '--checks', 'pss-baseline,pss-restricted', '--format', 'json', 'root.yaml'], { cwd: cfgDir });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toEqual([]);
      const strict = await runCli(['scan', '--checks', 'pss-restricted', '--pss-level', 'restricted', '--format', 'json', 'root.yaml'], { cwd: cfgDir });
      expect((JSON.parse(strict.stdout) as { findings: { message: string }[] }).findings.map((f) => f.message.split(' ')[0]).sort()).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted']);
    } finally {
      rmSync(cfgDir, { recursive: true, force: true });
    }
  });
});

describe('secrets stay secret', () => {
  it.each([
    ...FORMATS.map((format) => [['pss', 'check', '--format', format, 'denied.yaml']]),
    // Every output format scan has.
    ...FORMATS.map((format) => [['scan', '--checks', 'pss-baseline,pss-restricted', '--pss-level', 'restricted', '--show-suppressed', '--format', format, 'denied.yaml']]),
  ])('%j never prints the planted secret', async (args) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stderr).not.toContain(SECRET);
  });
});
